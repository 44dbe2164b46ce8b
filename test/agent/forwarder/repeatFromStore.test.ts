/**
 * The repeat MTIs (ISO 8583 0221, 0421) come from the store (issue 32): an
 * earning or reversal whose earlier attempt may have reached the host is
 * resent as a repeat, also by a new process after a restart, which the host
 * client's own memory (gone with the process) could not know. Real parts: the
 * queue in a SQLite file, the ISO client on loopback against a stub host.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { IsoHostClient } from '../../../agent/host/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { generateQueueKey, retryDeadOperation, type OperationQueue } from '../../../agent/queue/index.js';
import { DE39, encode, frame, responseTo } from '../../../protocol/iso8583/index.js';
import { IsoStubHost } from '../host/isoStubHost.js';
import { earn, HAPPY, openQueue, tempDir } from '../queue/queueTestKit.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** One agent process's parts: its queue, its own ISO client (a fresh one after a restart), its forwarder. */
function agentOn(path: string, key: Buffer, port: number): { q: OperationQueue; fwd: Forwarder } {
  const q = openQueue(path, { key });
  const host = new IsoHostClient({ host: '127.0.0.1', port, merchantId: 'M1', terminalId: 'T1', timeoutMs: 300, connectTimeoutMs: 2000 });
  const fwd = new Forwarder({ queue: q, host, backoff: { baseMs: 1, maxMs: 1 } });
  cleanup.push(() => host.close(), () => q.close());
  return { q, fwd };
}

/** A stub ISO host answering as `answer` says (nothing: no answer), and a queue file with its key, all removed after the test. */
async function world(answer: (req: Parameters<typeof responseTo>[0]) => Buffer | undefined): Promise<{ port: number; received: IsoStubHost['received']; path: string; key: Buffer }> {
  const s = await IsoStubHost.start((req, socket) => {
    const out = answer(req);
    if (out !== undefined) socket.write(frame(out));
  });
  cleanup.push(() => s.close());
  const t = tempDir();
  cleanup.push(() => t.cleanup());
  return { port: s.port, received: s.received, path: join(t.dir, 'queue.db'), key: generateQueueKey() };
}

it('an earning and a reversal that went unanswered are resent as 0221 and 0421 by the next process', async () => {
  let answer = false;
  // The first of each goes unanswered (sent, no answer: the outcome is unknown); then the host answers.
  const s = await world((req) => (answer ? encode(responseTo(req, { responseCode: DE39.approved })) : undefined));

  const first = agentOn(s.path, s.key, s.port);
  first.q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'E-1' });
  first.q.enqueue({ kind: 'reversal', card: HAPPY, payload: { originalTransactionId: 'B-1', originalSentAt: 0 }, transactionId: 'R-1' });
  await first.fwd.flush();
  expect(s.received.map((m) => m.mti).sort()).toEqual(['0220', '0420']);
  expect(first.q.getByTransactionId('E-1')).toMatchObject({ state: 'pending', attempts: 1 });
  first.q.close();

  // A restart: a new queue handle on the same file and a new ISO client, which has never sent anything.
  answer = true;
  const second = agentOn(s.path, s.key, s.port);
  second.q.expediteAll();
  await second.fwd.flush();
  expect(s.received.map((m) => m.mti).slice(2).sort()).toEqual(['0221', '0421']);
  expect(second.q.getByTransactionId('E-1')?.state).toBe('done');
  expect(second.q.getByTransactionId('R-1')?.state).toBe('done');
});

it('a first send goes as 0220 / 0420, not as a repeat', async () => {
  const s = await world((req) => encode(responseTo(req, { responseCode: DE39.approved })));
  const { q, fwd } = agentOn(s.path, s.key, s.port);
  q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'E-2' });
  q.enqueue({ kind: 'reversal', card: HAPPY, payload: { originalTransactionId: 'B-2', originalSentAt: 0 }, transactionId: 'R-2' });
  await fwd.flush();
  expect(s.received.map((m) => m.mti).sort()).toEqual(['0220', '0420']);
});

it("an earning the host refused, resent after a technician's `queue retry` (agent stopped), goes as 0221: the host has seen its id", async () => {
  let refuse = true;
  const s = await world((req) => encode(responseTo(req, { responseCode: refuse ? DE39.formatError : DE39.approved })));

  const first = agentOn(s.path, s.key, s.port);
  const e = first.q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'E-3' });
  await first.fwd.flush();
  expect(first.q.get(e.id)).toMatchObject({ state: 'dead', attempts: 0 });
  first.q.close();

  // The technician's resend, as `pos-agent queue retry ID` does it while the agent is stopped; then the agent starts.
  expect(retryDeadOperation(s.path, e.id)).toMatchObject({ state: 'pending' });
  refuse = false;
  const second = agentOn(s.path, s.key, s.port);
  await second.fwd.flush();
  expect(s.received.map((m) => m.mti)).toEqual(['0220', '0221']);
  expect(second.q.get(e.id)?.state).toBe('done');
});
