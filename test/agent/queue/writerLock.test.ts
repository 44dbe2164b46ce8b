import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateQueueKey, QueueInspector, retryDeadOperation, type OperationQueue, type QueueError } from '../../../agent/queue/index.js';
import { earn, HAPPY, openQueue, tempDir } from './queueTestKit.js';

describe('one writer per queue file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let q: OperationQueue | undefined;
  const key = generateQueueKey();
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => {
    q?.close();
    tmp.cleanup();
  });

  it('refuses a second writer with QUEUE_ERR_LOCKED naming the owner pid', () => {
    const path = join(tmp.dir, 'q.db');
    q = openQueue(path, { key });
    expect(() => openQueue(path, { key })).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_LOCKED' }) as QueueError);
    expect(() => openQueue(path, { key })).toThrow(`pid ${process.pid}`);
  });

  it('releases the lock on close, and takes over a stale lock whose pid is dead', () => {
    const path = join(tmp.dir, 'q.db');
    openQueue(path, { key }).close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: Number(dead.stdout.toString()) }));
    q = openQueue(path, { key });
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('lets a read-only inspector read while the writer runs, and retry a dead item beside it', () => {
    const path = join(tmp.dir, 'q.db');
    q = openQueue(path, { key });
    const a = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    q.claim({ maxCards: 1, chainLength: 1 });
    q.settle([{ id: a.id, outcome: 'dead', reason: '1013 format' }]);
    const insp = QueueInspector.open(path);
    try {
      expect(insp.stats()).toMatchObject({ pending: 1, dead: 1, invariantHolds: true });
      expect(insp.list({ state: 'dead' })).toMatchObject([{ id: a.id, maskedPan: '628000******0016', deadReason: '1013 format' }]);
      expect(retryDeadOperation(path, a.id)).toMatchObject({ state: 'pending' });
      expect(q.get(a.id)?.state).toBe('pending');
      expect(insp.stats()).toMatchObject({ pending: 2, dead: 0 });
    } finally {
      insp.close();
    }
  });
});
