import { closeSync, linkSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { QueueError, storageError } from './queueError.js';

/** Who holds a lock: the pid, and what makes that pid this very process (not a later one with the same number). */
interface Owner {
  pid: number;
  /** The kernel's boot id: a pid from before a reboot is not alive. */
  boot?: string;
  /** The process's start time (clock ticks since boot, /proc/PID/stat field 22): a reused pid has another. */
  start?: string;
}

/**
 * One writer per queue file: an exclusive lock file beside the database,
 * created with O_EXCL, holding the owner's pid, boot id and process start
 * time. The lock is named after the database's real path, so a symlink (or a
 * relative path) to the same file finds the same lock. A lock whose owner is
 * gone (crashed, killed, or a pid reused after a reboot) is stale and taken
 * over. The holder checks its lock every second and writes it again if it
 * was deleted. Readers (`queue status|list|dead`) do not take it.
 */
export class WriterLock {
  readonly path: string;
  readonly #owner: Owner;
  #held = true;
  #timer: NodeJS.Timeout | undefined;

  private constructor(path: string, owner: Owner) {
    this.path = path;
    this.#owner = owner;
    this.#timer = setInterval(() => this.#heal(), 1000);
    this.#timer.unref();
  }

  /** The lock file of a queue database: `<real path>.lock`. */
  static pathFor(dbPath: string): string {
    return `${realPathOf(dbPath)}.lock`;
  }

  static acquire(dbPath: string): WriterLock {
    const path = WriterLock.pathFor(dbPath);
    const me = selfOwner();
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeOwner(path, me);
        return new WriterLock(path, me);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          const typed = storageError(err, dbPath);
          if (typed instanceof QueueError) throw typed;
          throw new QueueError('QUEUE_ERR_LOCKED', `cannot create the queue lock file ${path}: ${(err as Error).message}`, { cause: err });
        }
      }
      const owner = readOwner(path);
      if (owner !== null && alive(owner)) {
        throw new QueueError(
          'QUEUE_ERR_LOCKED',
          `queue ${dbPath} is in use by another agent (pid ${owner.pid}); only one agent may write a queue. Stop it, or use "pos-agent queue status" to read`,
        );
      }
      // Stale (owner gone, or an unreadable file): remove and try again.
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
    const owner = readOwner(WriterLock.pathFor(dbPath));
    return owner !== null && alive(owner) ? owner.pid : null;
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    clearInterval(this.#timer);
    try {
      if (readOwner(this.path)?.pid === process.pid) unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }

  /** Someone deleted the lock under a running agent: write it again, so a second agent still finds it. */
  #heal(): void {
    if (!this.#held || readOwner(this.path) !== null) return;
    try {
      writeOwner(this.path, this.#owner);
    } catch {
      /* another process took it (it will see us as alive and refuse), or the disk is full: try next tick */
    }
  }
}

/** The database's real path (symlinks resolved); for a file not created yet, its folder's real path. */
export function realPathOf(dbPath: string): string {
  try {
    return realpathSync(dbPath);
  } catch {
    try {
      return join(realpathSync(dirname(dbPath)), basename(dbPath));
    } catch {
      return dbPath;
    }
  }
}

/**
 * Writes the owner to a private file, then links it into place: the lock
 * appears whole or not at all (a reader never sees it empty), and the link
 * fails with EEXIST while another owner holds it.
 */
function writeOwner(path: string, owner: Owner): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify({ ...owner, since: new Date().toISOString() }));
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } finally {
    unlinkSync(tmp);
  }
}

function readOwner(path: string): Owner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; boot?: unknown; start?: unknown };
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return {
      pid: parsed.pid,
      ...(typeof parsed.boot === 'string' ? { boot: parsed.boot } : {}),
      ...(typeof parsed.start === 'string' ? { start: parsed.start } : {}),
    };
  } catch {
    return null;
  }
}

function selfOwner(): Owner {
  const boot = bootId();
  const start = startTime(process.pid);
  return { pid: process.pid, ...(boot ? { boot } : {}), ...(start ? { start } : {}) };
}

/** True when the owner is a live process, and the very one that wrote the lock (same boot, same start time). */
function alive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.boot !== undefined && bootId() !== undefined && owner.boot !== bootId()) return false;
  const start = owner.start === undefined ? undefined : startTime(owner.pid);
  return !(owner.start !== undefined && start !== undefined && start !== owner.start);
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/PID/stat (after the command name, which may hold spaces and parentheses). */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
