import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { QueueError } from './queueError.js';

/**
 * One writer per queue file: an exclusive lock file `<db>.lock` beside the
 * database, created with O_EXCL and holding the owner's pid. A lock whose pid
 * is no longer alive (the agent crashed or was killed) is stale and taken
 * over. Readers (`queue status|list|dead`) do not take it.
 */
export class WriterLock {
  readonly path: string;
  #held = true;

  private constructor(path: string) {
    this.path = path;
  }

  static acquire(dbPath: string): WriterLock {
    const path = `${dbPath}.lock`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
        } finally {
          closeSync(fd);
        }
        return new WriterLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new QueueError('QUEUE_ERR_LOCKED', `cannot create the queue lock file ${path}: ${(err as Error).message}`, { cause: err });
        }
      }
      const owner = readOwner(path);
      if (owner !== null && pidAlive(owner)) {
        throw new QueueError(
          'QUEUE_ERR_LOCKED',
          `queue ${dbPath} is in use by another agent (pid ${owner}); only one agent may write a queue. Stop it, or use "pos-agent queue status" to read`,
        );
      }
      // Stale (dead owner or unreadable file): remove and try again.
      try {
        unlinkSync(path);
      } catch {
        /* another process may have removed it first */
      }
    }
    throw new QueueError('QUEUE_ERR_LOCKED', `could not take the queue lock ${path}`);
  }

  /** The pid holding the lock of this database, or null when none is alive. */
  static holder(dbPath: string): number | null {
    const owner = readOwner(`${dbPath}.lock`);
    return owner !== null && pidAlive(owner) ? owner : null;
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    try {
      if (readOwner(this.path) === process.pid) unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}

function readOwner(path: string): number | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown };
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0 ? parsed.pid : null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
