import type { Logger } from 'pino';
import { startApi, type AgentControl } from './api/apiServer.js';
import { agentHealth } from './api/agentHealth.js';
import { queueItemView } from './api/queueItemView.js';
import { CheckoutService } from './checkout/checkoutService.js';
import type { AgentConfig } from './config/index.js';
import { createHostClient } from './host/createHostClient.js';
import { Forwarder, OperationQueue, loadQueueKey } from './queue/index.js';
import { openCardReader } from './reader/index.js';

/** A running agent: every part it opened, and how to stop them in order. */
export interface AgentRuntime {
  apiUrl: string;
  /** Cancels card waits, lets in-flight work finish (durable before it answers), then closes the API, the forwarder, the host client and the DB. */
  stop(): Promise<void>;
}

/** A margin past the host timeout during which a burn already sent may still land on the host (rule 8). */
const LATE_ORIGINAL_MARGIN_MS = 5_000;

/**
 * Opens the queue (refusing a bad key or a second writer), the host client,
 * the forwarder, the reader supervisor and the local API, in that order, so
 * nothing is accepted before it can be made durable. If any step fails, what
 * was already opened is closed again (in reverse order) before the error is
 * thrown: a failed start holds no lock, no port and no timer. A reader that
 * is not there is not a failure: its supervisor keeps trying.
 */
export async function startAgentRuntime(config: AgentConfig, logger: Logger): Promise<AgentRuntime> {
  const opened: (() => Promise<void> | void)[] = [];
  try {
    const key = loadQueueKey(config.queue.keyFile);
    const queue = OperationQueue.open({
      path: config.queue.path,
      key,
      limits: config.offline,
      logger,
    });
    opened.push(() => queue.close());
    const host = createHostClient(config, logger);
    opened.push(() => host.close());
    const forwarder = new Forwarder({
      queue,
      host,
      concurrency: config.queue.concurrency,
      maxAgeS: config.queue.maxAgeS,
      lateOriginalMs: config.host.timeoutMs + Math.max(config.host.timeoutMs, LATE_ORIGINAL_MARGIN_MS),
      logger,
    });
    forwarder.onOnlineChange((online) => logger.info({ online }, online ? 'host online' : 'host offline'));
    forwarder.start();
    opened.push(() => forwarder.stop());
    const reader = await openCardReader({
      path: config.reader.path,
      profile: config.reader.profile,
      baudRate: config.reader.baudRate,
      keepAliveMs: config.reader.keepAliveMs,
      logger,
    });
    opened.push(() => reader.close());

    const checkout = new CheckoutService({
      reader,
      host,
      queue,
      forwarder,
      logger,
      now: () => new Date(),
    });

    const control: AgentControl = {
      health: () => agentHealth({ reader, forwarder, queue }),
      listQueue: (q) => ({ stats: queue.stats(), forwarder: forwarder.counters(), items: queue.list(q).map(queueItemView) }),
      flushQueue: async () => ({ flushed: await forwarder.flush(), stats: queue.stats() }),
    };
    const api = await startApi({ checkout, control, logger, listen: { host: config.api.host, port: config.api.port } });
    logger.info({ url: api.url }, 'api listening');

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        // Release a cashier waiting on a swipe (the read ends as reader-unavailable), then stop taking
        // requests and let the ones in flight finish: each makes its work durable before it answers.
        await reader.close();
        await api.app.close();
        await forwarder.stop();
        await host.close();
        queue.close();
        logger.info('agent stopped');
      })());
    return { apiUrl: api.url, stop };
  } catch (err) {
    for (const close of opened.reverse()) {
      try {
        await close();
      } catch (closeErr) {
        logger.warn({ err: closeErr }, 'closing after a failed start failed');
      }
    }
    throw err;
  }
}
