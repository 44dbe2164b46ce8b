/**
 * Damaged queue state, one case each (DESIGN.md, "Queue storage"): every case
 * gets a typed error naming the file, or a correct start, and never a silent
 * loss. The -wal cases use a child process SIGKILLed with its recent work in
 * the -wal only, as a power cut leaves it.
 */
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OperationQueue, QueueError, writeQueueKeyFile, loadQueueKey } from '../../../agent/queue/index.js';
import { parsePan, parseYymm } from '../../../protocol/pan.js';
import { tempDir } from './queueTestKit.js';

const CHILD = join(process.cwd(), 'dist/test/agent/queue/fillChild.js');
const CARD = { pan: parsePan('6280000000000016'), expiry: parseYymm('3012') };
let tmp: ReturnType<typeof tempDir>;
let db: string;
let keyFile: string;
const opened: OperationQueue[] = [];

beforeEach(() => {
  tmp = tempDir();
  db = join(tmp.dir, 'queue.db');
  keyFile = join(tmp.dir, 'queue.key');
  writeQueueKeyFile(keyFile);
});
afterEach(() => {
  for (const q of opened.splice(0)) q.close();
  tmp.cleanup();
});

const open = (path = db, acceptLoss = false): OperationQueue => {
  const q = OperationQueue.open({ path, key: loadQueueKey(keyFile), acceptLoss });
  opened.push(q);
  return q;
};
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof QueueError) return `${err.code}: ${err.message}`;
    return `untyped: ${String(err)}`;
  }
  return 'opened';
};
const earn = (q: OperationQueue, n: number) => {
  for (let i = 0; i < n; i++) q.enqueue({ kind: 'earn', card: CARD, payload: { amount: 100 + i, timeStamp: '20300101120000' } });
};

/** Runs fillChild to accept `n` earnings, then SIGKILLs it once the mark has followed. */
async function crashAfter(n: number): Promise<number> {
  const child = spawn(process.execPath, [CHILD, db, keyFile, String(n)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const accepted = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /marked (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`fillChild exited ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return accepted;
}

describe('a damaged -wal after a power cut is never a silent loss', () => {
  it('missing -wal: QUEUE_ERR_ROLLED_BACK naming the files; accept-loss then opens what is there', async () => {
    expect(await crashAfter(20)).toBe(20);
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(0);
    unlinkSync(`${db}-wal`);
    const err = codeOf(() => open());
    expect(err).toMatch(/^QUEUE_ERR_ROLLED_BACK: queue .*queue\.db holds 0 accepted operations, but 20 were accepted/);
    expect(err).toContain('pos-agent queue accept-loss');
    const q = open(db, true);
    expect(q.stats().counters.accepted).toBe(0);
    q.close();
    expect(codeOf(() => open())).toBe('opened');
  });

  it('truncated -wal: QUEUE_ERR_ROLLED_BACK', async () => {
    await crashAfter(20);
    truncateSync(`${db}-wal`, 100);
    const before = statSync(db).size;
    expect(codeOf(() => open())).toMatch(/^QUEUE_ERR_ROLLED_BACK/);
    // The refusal leaves the evidence as it was: no checkpoint of the damaged -wal, which is still there.
    expect(statSync(`${db}-wal`).size).toBe(100);
    expect(statSync(db).size).toBe(before);
  });

  it('garbage -wal: QUEUE_ERR_ROLLED_BACK', async () => {
    await crashAfter(20);
    writeFileSync(`${db}-wal`, Buffer.alloc(statSync(`${db}-wal`).size, 0x5a));
    expect(codeOf(() => open())).toMatch(/^QUEUE_ERR_ROLLED_BACK/);
  });

  it('an intact -wal after a power cut: a correct start with every accepted operation', async () => {
    await crashAfter(20);
    expect(open().stats()).toMatchObject({ pending: 20, counters: { accepted: 20 }, invariantHolds: true });
  });
});

describe('checkpoints keep little in the -wal', () => {
  it('once a checkpoint ran, the database file alone holds every accepted operation', async () => {
    const q = OperationQueue.open({ path: db, key: loadQueueKey(keyFile), checkpointMs: 100 });
    opened.push(q);
    earn(q, 5);
    await new Promise((r) => setTimeout(r, 1300)); // a checkpoint, and the mark's tick
    const copy = join(tmp.dir, 'copy');
    mkdirSync(copy);
    copyFileSync(db, join(copy, 'queue.db')); // the file without its -wal, as a lost -wal leaves it
    copyFileSync(`${db}.accepted`, join(copy, 'queue.db.accepted'));
    expect(open(join(copy, 'queue.db')).stats()).toMatchObject({ pending: 5, counters: { accepted: 5 } });
  });
});

describe('a damaged queue file gets a typed error', () => {
  it('zero-length file (with its mark beside it): QUEUE_ERR_ROLLED_BACK', () => {
    earn(open(), 5);
    opened.pop()?.close();
    truncateSync(db, 0);
    rmSync(`${db}-wal`, { force: true });
    expect(codeOf(() => open())).toMatch(/^QUEUE_ERR_ROLLED_BACK: .* holds 0 accepted operations, but 5 were accepted/);
  });

  it('garbage header: QUEUE_ERR_CORRUPT naming the file and the fix', () => {
    earn(open(), 5);
    opened.pop()?.close();
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    closeSync(fd);
    const err = codeOf(() => open());
    expect(err).toMatch(/^QUEUE_ERR_CORRUPT: queue .*queue\.db is damaged/);
    expect(err).toContain('accept-loss');
  });

  it('one corrupt page: QUEUE_ERR_CORRUPT from the integrity check at open', () => {
    earn(open(), 300);
    opened.pop()?.close();
    const pageSize = readFileSync(db).readUInt16BE(16);
    const pages = statSync(db).size / pageSize;
    expect(pages).toBeGreaterThan(8);
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, pageSize * Math.floor(pages / 2));
    closeSync(fd);
    expect(codeOf(() => open())).toMatch(/^QUEUE_ERR_CORRUPT: queue .*queue\.db/);
  });

  it('a directory in place of the file: QUEUE_ERR_IO naming queue.path', () => {
    mkdirSync(db);
    expect(codeOf(() => open())).toMatch(/^QUEUE_ERR_IO: queue\.path .*queue\.db is not a regular file/);
  });

  it('the queue, its -wal and its -shm are mode 0600', () => {
    earn(open(), 1);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
  });
});

describe('one writer, truly', () => {
  it('a second agent reaching the same file through a symlink is refused', () => {
    open();
    const link = join(tmp.dir, 'link.db');
    symlinkSync(db, link);
    expect(codeOf(() => open(link))).toMatch(/^QUEUE_ERR_LOCKED: queue .*link\.db is in use by another agent \(pid \d+\)/);
  });

  it('a lock file deleted under a running agent is written again, so a second agent is still refused', async () => {
    open();
    unlinkSync(`${db}.lock`);
    await new Promise((r) => setTimeout(r, 1300));
    expect(codeOf(() => open())).toMatch(/^QUEUE_ERR_LOCKED/);
  });

  it('a stale lock naming a live but unrelated pid (reused after a reboot) does not block the start', () => {
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.ppid, boot: 'another-boot', start: '1' }));
    expect(codeOf(() => open())).toBe('opened');
  });
});
