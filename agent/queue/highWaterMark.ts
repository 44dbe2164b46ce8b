import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { QueueError } from './queueError.js';
import { realPathOf } from './writerLock.js';

/** How often the mark follows the queue's `accepted` counter, ms. */
const FOLLOW_MS = 1000;

/**
 * The high-water mark of accepted operations, kept beside the database in
 * `<queue>.accepted` (DESIGN.md, "Queue storage"). It follows the queue's
 * `accepted` counter at most a second behind, fsynced (written to a temporary
 * file, fsynced, renamed, and the folder fsynced), and on close. A database
 * that holds fewer accepted operations than the mark lost work: a deleted or
 * damaged -wal, a zero-length file, an older copy. The queue then refuses to
 * open (`QUEUE_ERR_ROLLED_BACK`) until a person accepts the loss.
 * It costs no fsync per enqueue.
 */
export class HighWaterMark {
  readonly path: string;
  readonly #dbPath: string;
  #written: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(dbPath: string) {
    this.#dbPath = dbPath;
    this.path = `${realPathOf(dbPath)}.accepted`;
    try {
      this.#written = this.#read() ?? 0;
    } catch {
      this.#written = 0; // a damaged mark: check() says so; accept() rewrites it
    }
  }

  /** Refuses a database holding fewer accepted operations than the mark. */
  check(accepted: number): void {
    const mark = this.#read();
    if (mark === undefined || accepted >= mark) return;
    throw new QueueError(
      'QUEUE_ERR_ROLLED_BACK',
      `queue ${this.#dbPath} holds ${accepted} accepted operations, but ${mark} were accepted (mark ${this.path}): ` +
        `${mark - accepted} are missing (a lost or damaged ${this.#dbPath}-wal, or an older copy of the file). ` +
        `Keep the files; restore them if you can; then run "pos-agent queue accept-loss --config FILE" to start with what is there`,
    );
  }

  /** Sets the mark to what the database holds: `pos-agent queue accept-loss`. */
  accept(accepted: number): void {
    this.#write(accepted);
  }

  /** Follows `read()` (the queue's accepted counter) every second. */
  start(read: () => number): void {
    this.#timer = setInterval(() => {
      try {
        const accepted = read();
        if (accepted > this.#written) this.#write(accepted);
      } catch {
        // A full disk or a closed queue: the mark only lags; the next tick tries again.
      }
    }, FOLLOW_MS);
    this.#timer.unref();
  }

  /** Stops following, writing the final count (`read()`, best effort: the mark only lags when it fails). */
  stop(read: () => number): void {
    clearInterval(this.#timer);
    try {
      const accepted = read();
      if (accepted > this.#written) this.#write(accepted);
    } catch {
      /* best effort: the mark only lags */
    }
  }

  #read(): number | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const accepted = (() => {
      try {
        return (JSON.parse(text) as { accepted?: unknown }).accepted;
      } catch {
        return undefined;
      }
    })();
    if (typeof accepted !== 'number' || !Number.isInteger(accepted) || accepted < 0) {
      throw new QueueError(
        'QUEUE_ERR_CORRUPT',
        `the queue's high-water mark ${this.path} is damaged; check the queue with "pos-agent queue status", then run "pos-agent queue accept-loss --config FILE" to rewrite it`,
      );
    }
    return accepted;
  }

  #write(accepted: number): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ accepted, at: new Date().toISOString() }) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.#written = accepted;
  }
}
