import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/index.js';
import type { CardMemory } from './cardMemory.js';
import type { DoneRetention } from './doneRetention.js';

/** Retention's defaults: a tick a minute, up to 4 batches of 500 rows a tick, up to 4096 free pages (16 MiB) given back. */
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCHES_PER_TICK = 4;
const VACUUM_PAGES_PER_TICK = 4096;

/** What one `pruneDone` call removed and gave back. */
export interface PruneResult {
  /** Done and abandoned operations deleted. */
  ops: number;
  /** POS references deleted. */
  refs: number;
  /** Free pages returned to the file system (`PRAGMA incremental_vacuum`), after the next checkpoint. */
  freedPages: number;
}

/** The parts of the queue retention runs with. */
export interface RetentionParts {
  db: Database.Database;
  retention: DoneRetention;
  memory: CardMemory;
  now: Clock;
  /** `queue.retainDoneS` in ms; 0: retention is off. */
  retainDoneMs: number;
  /** The queue's write (refused once closed, storage failures typed), without the proof of a durable commit. */
  write: <T>(fn: () => T) => T;
  log: Logger | undefined;
}

/**
 * Retention of settled operations (`queue.retainDoneS`), in batches of
 * DoneRetention, each its own transaction; cards not heard of within
 * retention are forgotten with them. Runs on a timer that never keeps the
 * process alive.
 */
export class RetentionRunner {
  readonly #p: RetentionParts;
  readonly #prune: Database.Transaction<(cutoff: number) => { ops: number; refs: number }>;
  #timer: NodeJS.Timeout | undefined;

  constructor(parts: RetentionParts) {
    this.#p = parts;
    this.#prune = parts.db.transaction((cutoff: number) => {
      const batch = parts.retention.pruneBatch(cutoff);
      // Cards not heard of within retention are forgotten (not counted: the card memory is no operation).
      parts.memory.prune(cutoff);
      return batch;
    });
  }

  /**
   * Prunes done operations that settled more than `queue.retainDoneS` ago on
   * the queue's clock, with their POS references: up to `maxBatches`
   * transactions of about 500 rows, each counting what it deleted in
   * 'pruned'; then gives up to `maxVacuumPages` free pages back to the file
   * system (`PRAGMA incremental_vacuum`; the file shrinks at the next
   * checkpoint). Nothing is pruned while retention is off (retainDoneS 0).
   */
  pruneDone(opts: { maxBatches?: number; maxVacuumPages?: number } = {}): PruneResult {
    const { db, write } = this.#p;
    const out: PruneResult = { ops: 0, refs: 0, freedPages: 0 };
    if (this.#p.retainDoneMs <= 0) return out;
    const cutoff = this.#p.now() - this.#p.retainDoneMs;
    for (let b = 0; b < (opts.maxBatches ?? PRUNE_BATCHES_PER_TICK); b++) {
      const r = write(() => this.#prune.immediate(cutoff));
      out.ops += r.ops;
      out.refs += r.refs;
      if (r.ops === 0 && r.refs === 0) break;
    }
    const pages = Math.max(0, Math.trunc(opts.maxVacuumPages ?? VACUUM_PAGES_PER_TICK));
    if (out.ops + out.refs > 0 && pages > 0) {
      const before = db.pragma('freelist_count', { simple: true }) as number;
      write(() => db.pragma(`incremental_vacuum(${pages})`));
      out.freedPages = before - (db.pragma('freelist_count', { simple: true }) as number);
    }
    if (out.ops + out.refs > 0) this.#p.log?.info(out, 'pruned settled operations past queue.retainDoneS');
    return out;
  }

  /** Prunes every `everyMs` (default a minute) while retention is on; a failed tick is logged and tried again at the next. */
  start(everyMs = PRUNE_EVERY_MS): void {
    if (this.#p.retainDoneMs <= 0) return;
    this.#timer = setInterval(() => {
      try {
        this.pruneDone();
      } catch (err) {
        this.#p.log?.warn({ code: (err as { code?: string }).code }, 'pruning done operations failed; trying again at the next tick');
      }
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
