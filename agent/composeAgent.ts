import type { Logger } from 'pino';
import { agentHealth } from './api/index.js';
import type { Health } from './api/index.js';
import { CheckoutService } from './checkout/index.js';
import type { AgentConfig } from './config/index.js';
import { createHostClient } from './host/index.js';
import type { HostClient } from './host/index.js';
import { OperationQueue, loadQueueKey } from './queue/index.js';
import { Forwarder } from './forwarder/index.js';
import { openCardReader, type SerialBinding, type SerialCardReader } from './cardSources/serial/index.js';
import { AgentMetrics, instrumentHost } from './metrics/index.js';
import { packageVersion } from './packageInfo.js';

/** A margin past the host timeout during which a burn already sent may still land on the host (rule 8). */
const LATE_ORIGINAL_MARGIN_MS = 5_000;

/** The agent's parts, wired as `pos-agent run` wires them, without the local API. */
export interface ComposedAgent {
  queue: OperationQueue;
  host: HostClient;
  forwarder: Forwarder;
  reader: SerialCardReader;
  checkout: CheckoutService;
  /** Prometheus metrics of this agent (its host client is timed into them). */
  metrics: AgentMetrics;
  health(): Health;
  /** Cancels card waits, lets in-flight work finish, then closes the forwarder, the host client and the queue. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  /** serialport binding for the reader (the fleet's and tests' MockBinding). Default the real one. */
  binding?: SerialBinding;
  /** Node's own process metrics in the registry (one process, one agent). Default true; the fleet turns them off. */
  processMetrics?: boolean;
}

/**
 * Opens the queue (refusing a bad key or a second writer), the host client,
 * the forwarder and the reader supervisor, in that order, so nothing is
 * accepted before it can be made durable, and builds the checkout on them.
 * If a step fails, what was opened is closed again before the error is
 * thrown. A reader that is not there is not a failure: its supervisor keeps
 * trying. Used by `pos-agent run` and by each terminal of `pos-emulator fleet`.
 */
export async function composeAgent(config: AgentConfig, logger: Logger, opts: ComposeOptions = {}): Promise<ComposedAgent> {
  const opened: (() => Promise<void> | void)[] = [];
  const closeOpened = async () => {
    for (const close of opened.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err }, 'closing a part of the agent failed');
      }
    }
  };
  try {
    const queue = OperationQueue.open({ path: config.queue.path, key: loadQueueKey(config.queue.keyFile), limits: config.offline, logger, retainDoneS: config.queue.retainDoneS });
    opened.push(() => queue.close());
    // The metrics time the host client, which the reader opens after: they see the reader once it is there.
    let openedReader: SerialCardReader | undefined;
    const metrics = new AgentMetrics(
      { queue, limits: config.offline, reader: () => openedReader, now: Date.now },
      { version: packageVersion(), transport: config.host.transport },
      { processMetrics: opts.processMetrics ?? true },
    );
    const host = instrumentHost(createHostClient(config, logger), metrics);
    opened.push(() => host.close());
    const forwarder = new Forwarder({
      queue,
      host,
      concurrency: config.queue.concurrency,
      maxAgeS: config.queue.maxAgeS,
      lateOriginalMs: config.host.timeoutMs + Math.max(config.host.timeoutMs, LATE_ORIGINAL_MARGIN_MS),
      logger,
    });
    forwarder.start();
    opened.push(() => forwarder.stop());
    // The card source: the serial reader driver. Another source (cardSources/<name>/) is chosen and opened here.
    const reader = await openCardReader({
      path: config.reader.path,
      profile: config.reader.profile,
      baudRate: config.reader.baudRate,
      keepAliveMs: config.reader.keepAliveMs,
      logger,
      ...(opts.binding ? { binding: opts.binding } : {}),
    });
    opened.push(() => reader.close());
    openedReader = reader;
    const checkout = new CheckoutService(
      { reader, host, queue, forwarder, logger, now: Date.now },
      { retainDoneS: config.queue.retainDoneS, onRefusal: (r) => metrics.refusal(r.step, r.reason) },
    );
    return { queue, host, forwarder, reader, checkout, metrics, health: () => agentHealth({ reader, forwarder, queue }), close: closeOpened };
  } catch (err) {
    await closeOpened();
    throw err;
  }
}
