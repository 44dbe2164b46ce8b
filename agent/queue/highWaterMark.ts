import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { QueueError } from './queueError.js';
import { realPathOf } from './writerLock.js';

/** How often the mark follows the queue's `accepted` counter, ms. */
const FOLLOW_MS = 1000;

/**
 * The high-water mark of accepted operations, kept beside the database in
 * `<queue>.accepted` (DESIGN.md, "Queue storage"). It follows the queue's
 * `accepted` counter a second behind (plus the write), fsynced (written to a temporary
 * file, fsynced, renamed, and the folder fsynced), and on close. A database
 * that holds fewer accepted operations than the mark lost work: a deleted or
 * damaged -wal, a zero-length file, an older copy. The queue then refuses to
 * open (`QUEUE_ERR_ROLLED_BACK`) until a person accepts the loss.
 * It costs no fsync per enqueue, and the follow writes run on the thread pool:
 * their two fsyncs never stall the event loop (a card read, a POS answer).
 */
export class HighWaterMark {
  readonly path: string;
  readonly #dbPath: string;
  #written: number;
  #timer: NodeJS.Timeout | undefined;
  /** The follow write on the thread pool, if one is in flight; the next tick waits for it. */
  #following: Promise<void> | undefined;
  #stopped = false;

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
      if (this.#following) return;
      let accepted: number;
      try {
        accepted = read();
      } catch {
        return; // a closed queue, a damaged file: the mark only lags
      }
      if (accepted <= this.#written) return;
      this.#following = this.#follow(accepted)
        .then(
          () => {
            this.#written = Math.max(this.#written, accepted);
          },
          () => undefined, // a full disk: the mark only lags; the next tick tries again
        )
        .finally(() => {
          this.#following = undefined;
        });
    }, FOLLOW_MS);
    this.#timer.unref();
  }

  /** Resolves once no follow write is in flight (it never rejects: a failed follow only lags). */
  idle(): Promise<void> {
    return this.#following ?? Promise.resolve();
  }

  /** Stops following, writing the final count (`read()`, best effort: the mark only lags when it fails). */
  stop(read: () => number): void {
    this.#stopped = true;
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

  /**
   * {@link #write} on the thread pool, through a temporary file of its own (a
   * `stop()` meanwhile writes through the other). A follow that finishes after
   * `stop()` can only put back a smaller count: the mark may lag, never lead.
   */
  async #follow(accepted: number): Promise<void> {
    const tmp = `${this.path}.follow.tmp`;
    try {
      const file = await open(tmp, 'w', 0o600);
      try {
        await file.writeFile(markText(accepted));
        await file.sync();
      } finally {
        await file.close();
      }
    } catch (err) {
      await unlink(tmp).catch(() => undefined); // a full disk: no half-written file left beside the queue
      throw err;
    }
    if (this.#stopped) {
      await unlink(tmp); // stop() wrote the final count
      return;
    }
    await rename(tmp, this.path);
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  #write(accepted: number): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, markText(accepted));
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

function markText(accepted: number): string {
  return JSON.stringify({ accepted, at: new Date().toISOString() }) + '\n';
}
