import type { Logger } from 'pino';
import type { Clock } from '../../protocol/index.js';
import { PosError } from '../../protocol/index.js';
import type { HostClient } from '../host/index.js';
import type { BackoffOptions } from '../../protocol/index.js';
import type { OperationQueue } from '../queue/index.js';

export interface ForwarderOptions {
  queue: OperationQueue;
  host: HostClient;
  /** Cards sent to at once (each card's items go one after another), an integer from 1 to 1024. Default 8. */
  concurrency?: number;
  /** Retry delays. Default {baseMs: 500, maxMs: 30000, jitter: 0.2}. baseMs and maxMs are integers from 1 ms to a day; jitter is from 0 to 1. */
  backoff?: BackoffOptions;
  /** Items older than this go dead with reason 'expired', seconds, above 0 (at most 10 years). Default 604800 (7 days). */
  maxAgeS?: number;
  /**
   * How long after a burn was sent it may still land on the host, ms: the host timeout plus a margin.
   * A reversal answered "original not found" is retried until then (rule 8). From 0 to a day. Default 60000.
   */
  lateOriginalMs?: number;
  /** While offline, ping the host this often, ms, an integer from 1 to 3600000. Default 1000. */
  probeIntervalMs?: number;
  /** Most consecutive items of one card claimed at once, an integer from 1 to 10000. Default 32. */
  chainLength?: number;
  /** Cards claimed per claim transaction (sent `concurrency` at a time), an integer from 1 to 100000. Default max(64, 4 × concurrency). */
  claimCards?: number;
  logger?: Logger;
  /** Clock, epoch ms. Default: the queue's clock. */
  now?: Clock;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
}

export interface FlushResult {
  sent: number;
  failed: number;
  dead: number;
}

export interface ForwarderCounters {
  sent: number;
  retried: number;
  dead: number;
  expired: number;
  oldestPendingAgeS: number;
}

/** A forwarder option outside its range: `option` names it, the message gives the bad value and the range expected. */
export class ForwarderOptionError extends PosError<'FORWARDER_ERR_OPTION'> {
  readonly option: string;

  constructor(option: string, message: string) {
    super('FORWARDER_ERR_OPTION', message);
    this.option = option;
  }
}

/** The numeric options with their defaults applied, each checked against its range. */
export interface ForwarderSettings {
  concurrency: number;
  claimCards: number;
  chainLength: number;
  maxAgeMs: number;
  lateOriginalMs: number;
  probeIntervalMs: number;
  backoff: BackoffOptions;
}

const DAY_MS = 86_400_000;

/** One range check: the option's name, whether it must be an integer, and its bounds (`min` exclusive when `above`). */
interface Range {
  name: string;
  integer: boolean;
  min: number;
  max: number;
  /** The value must be above `min`, not at it. */
  above?: boolean;
}

const RANGES = {
  concurrency: { name: 'concurrency', integer: true, min: 1, max: 1024 },
  claimCards: { name: 'claimCards', integer: true, min: 1, max: 100_000 },
  chainLength: { name: 'chainLength', integer: true, min: 1, max: 10_000 },
  maxAgeS: { name: 'maxAgeS', integer: false, min: 0, max: 10 * 365 * 86_400, above: true },
  lateOriginalMs: { name: 'lateOriginalMs', integer: false, min: 0, max: DAY_MS },
  probeIntervalMs: { name: 'probeIntervalMs', integer: true, min: 1, max: 3_600_000 },
  baseMs: { name: 'backoff.baseMs', integer: true, min: 1, max: DAY_MS },
  maxMs: { name: 'backoff.maxMs', integer: true, min: 1, max: DAY_MS },
  jitter: { name: 'backoff.jitter', integer: false, min: 0, max: 1 },
} satisfies Record<string, Range>;

/**
 * Applies the defaults (with `??`) and checks every numeric option against
 * its range, once, when the forwarder is built: a value out of range is a
 * ForwarderOptionError, never silently clamped.
 */
export function forwarderSettings(opts: ForwarderOptions): ForwarderSettings {
  const concurrency = checked(RANGES.concurrency, opts.concurrency ?? 8);
  const b = opts.backoff ?? {};
  return {
    concurrency,
    claimCards: checked(RANGES.claimCards, opts.claimCards ?? Math.max(64, 4 * concurrency)),
    chainLength: checked(RANGES.chainLength, opts.chainLength ?? 32),
    maxAgeMs: checked(RANGES.maxAgeS, opts.maxAgeS ?? 604_800) * 1000,
    lateOriginalMs: checked(RANGES.lateOriginalMs, opts.lateOriginalMs ?? 60_000),
    probeIntervalMs: checked(RANGES.probeIntervalMs, opts.probeIntervalMs ?? 1000),
    backoff: {
      ...(b.baseMs === undefined ? {} : { baseMs: checked(RANGES.baseMs, b.baseMs) }),
      ...(b.maxMs === undefined ? {} : { maxMs: checked(RANGES.maxMs, b.maxMs) }),
      ...(b.jitter === undefined ? {} : { jitter: checked(RANGES.jitter, b.jitter) }),
    },
  };
}

function checked(r: Range, value: number): number {
  const inRange = typeof value === 'number' && Number.isFinite(value) && (r.above === true ? value > r.min : value >= r.min) && value <= r.max;
  if (inRange && (!r.integer || Number.isInteger(value))) return value;
  const what = r.integer ? 'an integer' : 'a number';
  const range = r.above === true ? `above ${r.min} and at most ${r.max}` : `from ${r.min} to ${r.max}`;
  throw new ForwarderOptionError(r.name, `forwarder option "${r.name}" must be ${what} ${range} (got ${String(value)})`);
}
