/**
 * `pos-agent queue rekey` as a technician runs it: the built CLI in a child
 * process, killed mid-way by a failpoint and at seeded random moments; the
 * file is always wholly under one of the two keys, and opens with it.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardCipher, loadQueueKey, OperationQueue, writeQueueKeyFile, type QueueError } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from './fakeHost.js';
import { earn, EMPTY, HAPPY, OFFER, tempDir } from './queueTestKit.js';

const CLI = resolve('dist/agent/cli.js');
const ROWS = 3000;
const tmp = tempDir();
const keyA = join(tmp.dir, 'a.key');
const keyB = join(tmp.dir, 'b.key');
const cards = [HAPPY, EMPTY, OFFER];
/** The queue made once; each test works on a copy. transactionId → the PAN it was accepted with. */
const source = join(tmp.dir, 'source.db');
const panOf = new Map<string, string>();

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with npx tsc -p tsconfig.json`);
  writeQueueKeyFile(keyA);
  writeQueueKeyFile(keyB);
  const q = OperationQueue.open({ path: source, key: loadQueueKey(keyA) });
  try {
    for (let b = 0; b < ROWS / 100; b++) {
      const ops = q.enqueueMany(Array.from({ length: 100 }, (_, j) => ({ kind: 'earn' as const, card: cards[(b * 100 + j) % 3]!, payload: earn(100 + j) })));
      ops.forEach((o, j) => panOf.set(o.transactionId, cards[(b * 100 + j) % 3]!.pan));
    }
  } finally {
    q.close();
  }
});
afterAll(() => tmp.cleanup());

let copies = 0;
function copy(): string {
  const db = join(tmp.dir, `q${++copies}.db`);
  copyFileSync(source, db);
  return db;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function rekey(db: string, key: string, newKey: string, o: { failpoint?: string; killAfterMs?: number } = {}): Promise<Run> {
  return new Promise((done) => {
    const env = { ...process.env, ...(o.failpoint ? { POS_AGENT_FAILPOINT: o.failpoint } : {}) };
    const child = spawn(process.execPath, [CLI, 'queue', 'rekey', '--db', db, '--key', key, '--new-key', newKey], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = o.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), o.killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** Which key each row's card data opens with: exactly one per row, the same for all rows. Returns that key's file. */
function keyOfEveryRow(db: string): string {
  const ciphers = [
    { file: keyA, c: new CardCipher(loadQueueKey(keyA)) },
    { file: keyB, c: new CardCipher(loadQueueKey(keyB)) },
  ];
  const conn = new Database(db, { readonly: true });
  try {
    const seen = new Set<string>();
    const rows = conn.prepare<[], { id: number; transaction_id: string; card_blob: Buffer; card_fp: string }>(`SELECT id, transaction_id, card_blob, card_fp FROM ops`).all();
    expect(rows).toHaveLength(ROWS);
    for (const r of rows) {
      const opening = ciphers.filter(({ c }) => {
        try {
          return c.open(r.card_blob, r.id).pan === panOf.get(r.transaction_id);
        } catch {
          return false;
        }
      });
      expect(opening, `row ${r.id}`).toHaveLength(1);
      const k = opening[0]!;
      // The fingerprint (card order) was recomputed in the same transaction as the blob.
      expect(r.card_fp).toBe(k.c.fingerprint(panOf.get(r.transaction_id) as never));
      seen.add(k.file);
    }
    expect([...seen], 'all rows under one key').toHaveLength(1);
    return [...seen][0]!;
  } finally {
    conn.close();
  }
}

/** The queue opens with `key` and refuses the other one with a typed error that names the fix. */
function opensWithOnly(db: string, key: string): void {
  const other = key === keyA ? keyB : keyA;
  let caught: unknown;
  try {
    OperationQueue.open({ path: db, key: loadQueueKey(other) }).close();
  } catch (err) {
    caught = err;
  }
  expect(caught).toMatchObject({ code: 'QUEUE_ERR_KEY_MISMATCH' });
  expect((caught as QueueError).message).toMatch(/point queue\.keyFile at the key .*rekey/);
  const q = OperationQueue.open({ path: db, key: loadQueueKey(key) });
  try {
    expect(q.stats()).toMatchObject({ pending: ROWS, counters: { accepted: ROWS }, invariantHolds: true });
  } finally {
    q.close();
  }
}

describe('pos-agent queue rekey', () => {
  it('killed mid-way (failpoint after 1500 of 3000 rows): every row still under the old key, which opens the queue', async () => {
    const db = copy();
    const r = await rekey(db, keyA, keyB, { failpoint: 'rekey-row:1500' });
    expect(r.signal).toBe('SIGKILL');
    expect(keyOfEveryRow(db)).toBe(keyA);
    opensWithOnly(db, keyA);
  });

  it('killed at random moments: always wholly under one key; rekey back and forth goes on from there', async () => {
    const db = copy();
    let current = keyA;
    let s = 20240607;
    const kills: string[] = [];
    for (let i = 0; i < 8; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const killAfterMs = 100 + ((s >>> 0) % 700);
      const next = current === keyA ? keyB : keyA;
      const r = await rekey(db, current, next, { killAfterMs });
      kills.push(`${killAfterMs}ms:${r.signal ?? r.code}`);
      const under = keyOfEveryRow(db);
      if (r.code === 0) expect(under).toBe(next);
      expect([current, next]).toContain(under);
      current = under;
    }
    opensWithOnly(db, current);
  });

  it('a full rekey re-encrypts every row, says what to do next, and the agent drains it with every card intact', async () => {
    const db = copy();
    const r = await rekey(db, keyA, keyB);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`re-encrypted the card data of ${ROWS} queue record(s) under the key in ${keyB}`);
    expect(r.stdout).toContain(`point queue.keyFile at ${keyB}`);
    expect(r.stdout).toMatch(/retire the old key/);
    expect(keyOfEveryRow(db)).toBe(keyB);
    // Run again (the technician is not sure it finished): it says so and changes nothing.
    const again = await rekey(db, keyA, keyB);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already under the key');

    const q = OperationQueue.open({ path: db, key: loadQueueKey(keyB) });
    const host = new FakeHost();
    try {
      const fwd = new Forwarder({ queue: q, host, concurrency: 8 });
      let sent = 0;
      for (let i = 0; i < 50 && sent < ROWS; i++) sent += (await fwd.flush()).sent;
      expect(sent).toBe(ROWS);
      expect(q.stats()).toMatchObject({ pending: 0, done: ROWS, dead: 0, invariantHolds: true });
    } finally {
      q.close();
    }
    expect(host.journal.size).toBe(ROWS);
    for (const [txn, pan] of panOf) {
      expect(host.line(txn)).toMatchObject({ op: 'earn', received: 1, applied: 1 });
      expect(host.calls.find((c) => c.transactionId === txn)?.pan).toBe(pan);
    }
  });

  describe('refusals', () => {
    const run = (args: string[]): Promise<Run> =>
      new Promise((done) => {
        execFile(process.execPath, [CLI, 'queue', 'rekey', ...args], (err, stdout, stderr) => {
          done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, signal: null, stdout, stderr });
        });
      });

    it('while the agent holds the queue', async () => {
      const db = copy();
      const agent = OperationQueue.open({ path: db, key: loadQueueKey(keyA) });
      try {
        const r = await run(['--db', db, '--key', keyA, '--new-key', keyB]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`the agent (pid ${process.pid}) owns ${db}; stop it first`);
        expect(r.stderr).toContain('QUEUE_ERR_LOCKED');
      } finally {
        agent.close();
      }
      expect(keyOfEveryRow(db)).toBe(keyA);
    });

    it('the same key, a key file others may read, a short key, a missing --new-key', async () => {
      const db = copy();
      const same = await run(['--db', db, '--key', keyA, '--new-key', keyA]);
      expect(same.code).toBe(1);
      expect(same.stderr).toContain('QUEUE_ERR_KEY_SAME');
      const loose = join(tmp.dir, 'loose.key');
      copyFileSync(keyB, loose);
      chmodSync(loose, 0o644);
      const r1 = await run(['--db', db, '--key', keyA, '--new-key', loose]);
      expect(r1.code).toBe(1);
      expect(r1.stderr).toContain('QUEUE_ERR_KEY_MODE');
      const short = join(tmp.dir, 'short.key');
      writeFileSync(short, Buffer.alloc(16, 7), { mode: 0o600 });
      const r2 = await run(['--db', db, '--key', keyA, '--new-key', short]);
      expect(r2.code).toBe(1);
      expect(r2.stderr).toContain('QUEUE_ERR_KEY_LENGTH');
      const r3 = await run(['--db', db, '--key', keyA]);
      expect(r3.code).toBe(2);
      expect(r3.stderr).toContain('rekey needs --new-key FILE');
      expect(keyOfEveryRow(db)).toBe(keyA);
    });
  });
});
