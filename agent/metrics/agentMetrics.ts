import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OfflineExposure, OfflineLimits, QueueStats } from '../queue/index.js';
import type { SerialReaderCounters } from '../cardSources/serial/index.js';

/** What the metrics read at scrape time. Each is cheap: counts the agent keeps anyway. */
export interface MetricSources {
  queue: { stats(): QueueStats; offlineExposure(): OfflineExposure; refusedAfterYes?(): { kind: string; reason: string; count: number }[] };
  limits: OfflineLimits;
  /** The reader once it is open (undefined before: not connected, no swipes). */
  reader: () => { readonly state: 'connected' | 'disconnected'; counters(): SerialReaderCounters } | undefined;
  /** Epoch ms (for the age of the oldest offline burn). */
  now: () => number;
}

export interface BuildInfo {
  version: string;
  /** `rest` or `iso8583`. */
  transport: string;
}

/** Host request outcome labels: `ok`, or the {@link HostOutcome} of the failure. */
export type HostOutcomeLabel = 'ok' | 'not-sent' | 'unknown' | 'rejected' | 'failed';

const QUEUE_STATES = ['pending', 'sending', 'done', 'dead', 'abandoned'] as const;
/** Seconds: from a fast loopback answer to the POS deadlines and the host timeout (10 s by default). */
const HOST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/**
 * The agent's Prometheus metrics (DESIGN.md, Operations), in prom-client's
 * registry. Queue, offline and reader figures are read from their owners at
 * scrape time; host durations and POS requests are recorded as they happen.
 * No label ever holds a PAN, a reference or a transactionId: labels are
 * fixed sets (states, operations, outcomes, route patterns, status codes).
 */
export class AgentMetrics {
  readonly registry = new Registry();
  readonly #hostDuration: Histogram<'operation' | 'outcome'>;
  readonly #posRequests: Counter<'route' | 'status'>;
  readonly #refusals: Counter<'operation' | 'reason'>;

  /** `processMetrics`: also Node's own (memory, event loop lag, GC), prefixed `pos_agent_`. Default true. */
  constructor(sources: MetricSources, build: BuildInfo, { processMetrics = true }: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'pos_agent_' });
    const readerCounters = (): SerialReaderCounters | undefined => sources.reader()?.counters();
    /**
     * A counter mirroring counts its owner keeps (the queue's survive a restart), read at each scrape. When the
     * read gives nothing, the last values stay: a counter that drops reads as a restart.
     */
    const mirror = (name: string, help: string, read: () => number | Record<string, number> | undefined, label?: string): void => {
      new Counter({
        name,
        help,
        labelNames: label === undefined ? [] : [label],
        registers,
        collect() {
          const v = read();
          if (v === undefined) return;
          this.reset();
          if (typeof v === 'number') this.inc(v);
          else for (const [value, n] of Object.entries(v)) this.inc({ [label as string]: value }, n);
        },
      });
    };

    new Gauge({
      name: 'pos_agent_build_info',
      help: 'Always 1; the labels say which build runs.',
      labelNames: ['version', 'node', 'transport'],
      registers,
    }).set({ version: build.version, node: process.version, transport: build.transport }, 1);

    // One stats() read per scrape, shared by the queue and forwarder series below. A queue that cannot be
    // read (a damaged file, an I/O error) must not take the other series down with it: its series are left
    // out of that scrape (counters and ages keep their last values) and pos_agent_queue_readable says 0.
    let stats: QueueStats | undefined;
    const read = <T>(f: () => T): T | undefined => {
      try {
        return f();
      } catch {
        return undefined;
      }
    };
    new Gauge({
      name: 'pos_agent_queue_readable',
      help: '1 when the queue answered this scrape, 0 when it could not be read (see /v1/health for the reason).',
      registers,
      collect() {
        stats = read(() => sources.queue.stats());
        this.set(stats === undefined ? 0 : 1);
      },
    });
    new Gauge({
      name: 'pos_agent_queue_items',
      help: 'Queue items by state.',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        if (stats) for (const state of QUEUE_STATES) this.set({ state }, stats[state]);
      },
    });
    new Gauge({
      name: 'pos_agent_queue_oldest_pending_age_seconds',
      help: 'Age of the oldest pending or sending item (0 when none).',
      registers,
      collect() {
        if (stats) this.set(stats.oldestPendingAgeS);
      },
    });
    mirror('pos_agent_queue_pruned_total', 'Done items deleted by retention (queue.retainDoneS); with the items by state they add up to every item accepted.', () => stats?.counters.pruned);
    mirror('pos_agent_forwarder_sent_total', 'Items the host accepted.', () => stats?.counters.sent);
    mirror('pos_agent_forwarder_retried_total', 'Sends that failed and were scheduled again.', () => stats?.counters.retried);
    mirror('pos_agent_forwarder_dead_total', 'Items moved to dead-letter.', () => stats?.counters.dead);
    mirror('pos_agent_forwarder_expired_total', 'Items dead-lettered because they outlived queue.maxAgeS.', () => stats?.counters.expired);

    new Gauge({
      name: 'pos_agent_offline_exposure',
      help: 'Offline burns outstanding, against each offline limit: count, points, and the oldest one\'s age in seconds.',
      labelNames: ['limit'],
      registers,
      collect() {
        this.reset();
        const e = read(() => sources.queue.offlineExposure());
        if (!e) return;
        this.set({ limit: 'count' }, e.count);
        this.set({ limit: 'points' }, e.points);
        this.set({ limit: 'age_seconds' }, e.oldestCreatedAt === null ? 0 : Math.max(0, (sources.now() - e.oldestCreatedAt) / 1000));
      },
    });
    const l = sources.limits;
    const limitGauge = new Gauge({
      name: 'pos_agent_offline_limit',
      help: 'The configured offline limits (0 everywhere when offline burns are disabled).',
      labelNames: ['limit'],
      registers,
    });
    limitGauge.set({ limit: 'count' }, l.enabled ? l.maxCount : 0);
    limitGauge.set({ limit: 'points' }, l.enabled ? l.maxTotalPoints : 0);
    limitGauge.set({ limit: 'age_seconds' }, l.enabled ? l.maxAgeS : 0);
    limitGauge.set({ limit: 'points_per_transaction' }, l.enabled ? l.maxPointsPerTxn : 0);

    new Gauge({
      name: 'pos_agent_reader_connected',
      help: '1 when the card reader is connected, else 0.',
      registers,
      collect() {
        this.set(sources.reader()?.state === 'connected' ? 1 : 0);
      },
    });
    mirror('pos_agent_reader_swipes_total', 'Swipes by result: read (a valid card for a pending read), invalid, ignored (no read pending), bad_swipe.', () => {
      const c = readerCounters();
      return c && { read: c.cardsRead, invalid: c.invalidCards, ignored: c.ignoredCards, bad_swipe: c.readErrors };
    }, 'result');
    mirror('pos_agent_reader_frame_errors_total', 'Frames from the reader that were refused, by kind.', () => {
      const c = readerCounters();
      return c && { bad_lrc: c.badLrc, oversize: c.oversize, truncated: c.truncated, duplicate: c.duplicates };
    }, 'kind');
    mirror('pos_agent_reader_reconnects_total', 'Times the reader connection was opened again after a loss.', () => readerCounters()?.reconnects ?? 0);

    new Counter({
      name: 'pos_agent_refused_after_yes_total',
      help: 'What the POS heard as a yes (an accepted earning, an offline burn approved) and the host refused later, by operation and the host\'s reason (dead-letter items).',
      labelNames: ['operation', 'reason'],
      registers,
      collect() {
        const rows = sources.queue.refusedAfterYes ? read(() => sources.queue.refusedAfterYes?.()) : [];
        if (rows === undefined) return; // the queue could not be read: the last values stay
        this.reset();
        for (const r of rows) this.inc({ operation: r.kind, reason: r.reason }, r.count);
      },
    });
    this.#refusals = new Counter({
      name: 'pos_agent_refusals_total',
      help: 'The "no" answers the POS heard (declined, unavailable, timeout), by step (burn, earn, offer) and stable reason.',
      labelNames: ['operation', 'reason'],
      registers,
    });
    this.#hostDuration = new Histogram({
      name: 'pos_agent_host_request_duration_seconds',
      help: 'Loyalty host requests by operation and outcome (ok, not-sent, unknown, rejected, failed).',
      labelNames: ['operation', 'outcome'],
      buckets: HOST_BUCKETS,
      registers,
    });
    this.#posRequests = new Counter({
      name: 'pos_agent_pos_requests_total',
      help: 'Requests to the local POS API by route pattern and HTTP status.',
      labelNames: ['route', 'status'],
      registers,
    });
  }

  /** One host request, timed by the caller. */
  hostRequest(operation: string, outcome: HostOutcomeLabel, seconds: number): void {
    this.#hostDuration.observe({ operation, outcome }, seconds);
  }

  /** One "no" the POS heard: its step and stable reason (a fixed vocabulary, never a reference). */
  refusal(operation: string, reason: string): void {
    this.#refusals.inc({ operation, reason });
  }

  /** One POS API request. `route` is the route's pattern (`/v1/operations/:reference`), never its URL. */
  posRequest(route: string, status: number): void {
    this.#posRequests.inc({ route, status: String(status) });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
