import type { Logger } from 'pino';
import { QueueError, STORAGE_ERROR_CODES, storageError } from './queueError.js';

/**
 * Whether the queue's store takes writes. A storage failure (disk full, I/O
 * error, damage) makes the queue unwritable, and health says so, until a
 * write that surely wrote succeeds again. The change is logged here, once
 * each way.
 */
export class StorageHealth {
  readonly #path: string;
  readonly #log: Logger | undefined;
  #fault: QueueError | undefined;

  constructor(path: string, log: Logger | undefined) {
    this.#path = path;
    this.#log = log;
  }

  /** False after a write failed and until one succeeds again. */
  get writable(): boolean {
    return this.#fault === undefined;
  }

  /** The storage error that made the queue unwritable, while it lasts. */
  get fault(): QueueError | undefined {
    return this.#fault;
  }

  /**
   * Runs one write. A storage failure becomes a typed QueueError (FULL,
   * CORRUPT, IO) naming the file, and marks the queue unwritable until a
   * write that surely wrote (`proof`: not a claim or an update that may
   * match no row) succeeds again.
   */
  run<T>(fn: () => T, proof = true): T {
    try {
      const out = fn();
      if (this.#fault !== undefined && proof) {
        this.#log?.info({ code: this.#fault.code }, 'queue writable again');
        this.#fault = undefined;
      }
      return out;
    } catch (err) {
      const typed = storageError(err, this.#path);
      if (isStorageFailure(typed)) {
        if (this.#fault === undefined) this.#log?.error({ code: typed.code }, typed.message);
        this.#fault = typed;
      }
      throw typed;
    }
  }

  /**
   * `err` as a typed error; a storage failure seen outside `run` (a read
   * before a write) also marks the queue unwritable, if it is not already.
   */
  note(err: unknown): unknown {
    const typed = storageError(err, this.#path);
    if (isStorageFailure(typed)) this.#fault ??= typed;
    return typed;
  }
}

/** A QueueError that says the store itself failed (the POS API answers 503). */
export function isStorageFailure(err: unknown): err is QueueError {
  return err instanceof QueueError && STORAGE_ERROR_CODES.has(err.code);
}
