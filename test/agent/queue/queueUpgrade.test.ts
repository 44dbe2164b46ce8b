/**
 * Upgrades: the queue files kept in test/fixtures/ (one per schema version, made by
 * test/fixtures/makeQueueFixture.ts and never regenerated) open with the current code, migrating
 * if needed, and drain; a file from a newer agent is refused.
 */
import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadQueueKey, OperationQueue, QueueInspector, SCHEMA_VERSION } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from './fakeHost.js';
import { HAPPY, EMPTY, OFFER, tempDir } from './queueTestKit.js';

const FIXTURES = resolve('test/fixtures');
const VERSIONS = [3, 4, 5, 6, 7, 8];

function copyFixture(version: number, dir: string): { db: string; key: Buffer } {
  const db = join(dir, `queue-v${version}.db`);
  copyFileSync(join(FIXTURES, `queue-v${version}.db`), db);
  const keyFile = join(dir, `queue-v${version}.key`);
  copyFileSync(join(FIXTURES, `queue-v${version}.key`), keyFile);
  chmodSync(keyFile, 0o600); // git keeps 0644
  return { db, key: loadQueueKey(keyFile) };
}

describe.each(VERSIONS)('the schema %i fixture', (version) => {
  it('opens with the current code, keeps its counts and the invariant, and drains exactly once per transactionId', async () => {
    expect(existsSync(join(FIXTURES, `queue-v${version}.db`))).toBe(true);
    const tmp = tempDir();
    try {
      const { db, key } = copyFixture(version, tmp.dir);
      const q = OperationQueue.open({ path: db, key, now: () => Date.UTC(2030, 0, 2) });
      const host = new FakeHost();
      try {
        expect(q.stats()).toMatchObject({
          pending: 6,
          sending: 0,
          done: 2,
          dead: 2,
          abandoned: 0,
          counters: { accepted: 10, sent: 2, dead: 2, pruned: 0 },
          offline: { count: 2, points: 150 },
          invariantHolds: true,
        });
        expect(q.reference('R-done-2')?.answer).toEqual({ status: 'accepted', transactionId: 'fx-done-2', queued: false });
        const reversal = q.list({ state: 'pending', limit: 100 }).find((o) => o.kind === 'reversal');
        expect(reversal?.payload).toMatchObject({ originalTransactionId: 'fx-direct-burn' });
        expect(q.reference('R-burn')?.opIds).toEqual([q.getByTransactionId('fx-direct-burn')?.id, reversal?.id]);
        // Why it died is a value (schema 8): the POS's retry of R-burn hears "no answer, reversed", not a decline.
        expect(q.getByTransactionId('fx-direct-burn')).toMatchObject({ state: 'dead', unknownOutcome: true });
        expect(q.getByTransactionId('fx-dead-1')).toMatchObject({ state: 'dead', unknownOutcome: false });

        // The direct burn did land before its answer was lost: the reversal must undo it.
        await host.burn({ card: OFFER, rewardTrxId: 'rt-fx', transactionId: 'fx-direct-burn', mandates: [{ accountId: '12', accountType: '1', debit: 300 }] });
        const fwd = new Forwarder({ queue: q, host, now: () => Date.UTC(2030, 0, 2) });
        expect(await fwd.flush()).toEqual({ sent: 6, failed: 0, dead: 0 });
        expect(q.stats()).toMatchObject({ pending: 0, sending: 0, done: 8, dead: 2, counters: { accepted: 10 }, invariantHolds: true });
      } finally {
        q.close();
      }
      const received = (txn: string) => host.calls.filter((c) => c.transactionId === txn && c.op !== 'balance').map((c) => `${c.op}:${c.pan}`);
      expect(received('fx-earn-1')).toEqual([`earn:${HAPPY.pan}`]);
      expect(received('fx-earn-2')).toEqual([`earn:${EMPTY.pan}`]);
      expect(received('fx-earn-3')).toEqual([`earn:${OFFER.pan}`]);
      expect(received('fx-offline-1')).toEqual([`burn:${HAPPY.pan}`]);
      expect(received('fx-offline-2')).toEqual([`burn:${EMPTY.pan}`]);
      expect(host.line('fx-offline-1')).toMatchObject({ applied: 1 });
      expect(host.balances.get(HAPPY.pan)).toBe(10_000 - 100);
      expect(host.balances.get(EMPTY.pan)).toBe(10_000 - 50);
      // The burn was reversed once; done and dead items were not sent again.
      expect(host.line('fx-direct-burn')).toMatchObject({ applied: 1, reversed: 1 });
      for (const txn of ['fx-done-1', 'fx-done-2', 'fx-dead-1']) expect(received(txn)).toEqual([]);
      expect(host.calls.filter((c) => c.op === 'reverse')).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('a queue file from a newer agent', () => {
  it('is refused with QUEUE_ERR_SCHEMA naming the fix, by the writer and by the inspector, and left as it was', () => {
    const tmp = tempDir();
    try {
      const { db, key } = copyFixture(VERSIONS[VERSIONS.length - 1]!, tmp.dir);
      const raw = new Database(db);
      raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      raw.close();
      expect(() => OperationQueue.open({ path: db, key })).toThrow(
        expect.objectContaining({ code: 'QUEUE_ERR_SCHEMA', message: expect.stringMatching(`schema version ${SCHEMA_VERSION + 1} is newer than this agent understands \\(${SCHEMA_VERSION}\\); upgrade pos-agent`) as string }) as Error,
      );
      expect(() => QueueInspector.open(db)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_SCHEMA' }) as Error);
      const after = new Database(db, { readonly: true });
      expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
      after.close();
    } finally {
      tmp.cleanup();
    }
  });
});
