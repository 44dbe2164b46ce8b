import type { Logger } from 'pino';
import { startApi, type AgentControl } from './api/index.js';
import { queueItemView } from './api/index.js';
import type { AgentConfig } from './config/index.js';
import { composeAgent, type ComposedAgent, type ComposeOptions } from './composeAgent.js';

/** A running agent: every part it opened, and how to stop them in order. */
export interface AgentRuntime {
  apiUrl: string;
  /** The composed parts behind the API (the emulated counter reads the queue and waits for it to drain). */
  agent: ComposedAgent;
  /** Cancels card waits, lets in-flight work finish (durable before it answers), then closes the API, the forwarder, the host client and the DB. */
  stop(): Promise<void>;
}

/**
 * Composes the agent (composeAgent: queue, host client, forwarder, reader,
 * checkout) and starts the local API on it. If the API cannot start (its port
 * taken), everything composed is closed again before the error is thrown: a
 * failed start holds no lock, no port and no timer.
 */
export async function startAgentRuntime(config: AgentConfig, logger: Logger, opts: ComposeOptions = {}): Promise<AgentRuntime> {
  const agent = await composeAgent(config, logger, opts);
  const { queue, forwarder, checkout } = agent;
  const control: AgentControl = {
    health: () => agent.health(),
    listQueue: (q) => ({ stats: queue.stats(), forwarder: forwarder.counters(), items: queue.list(q).map(queueItemView) }),
    flushQueue: async () => ({ flushed: await forwarder.flush(), stats: queue.stats() }),
  };
  let api: Awaited<ReturnType<typeof startApi>>;
  try {
    api = await startApi({
      checkout,
      control,
      logger,
      metrics: agent.metrics,
      listen: { host: config.api.host, port: config.api.port },
      ...(config.api.token === undefined ? {} : { token: config.api.token }),
      openRoutes: config.api.openRoutes,
    });
  } catch (err) {
    await agent.close();
    throw err;
  }
  logger.info({ url: api.url, auth: config.api.token === undefined ? 'none' : 'bearer', openRoutes: config.api.openRoutes }, 'api listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Release a cashier waiting on a swipe (the read ends as reader-unavailable), then stop taking
      // requests and let the ones in flight finish: each makes its work durable before it answers.
      await agent.reader.close();
      await api.app.close();
      await agent.close();
      logger.info('agent stopped');
    })());
  return { apiUrl: api.url, agent, stop };
}
