/**
 * Concurrent requests to one real host process. The host runs as its own
 * process (dist/, `pos-emulator host --port 0`), so the requests of a batch
 * are in flight together over separate connections and the host decides the
 * order; a per-request latency (the `x-emulator-fault` header) shuffles the
 * arrival order on purpose. The last test runs the first one's check against
 * a host started with `--unsafe-no-idempotency` and sees it fail.
 *
 * Expected values come from the fixtures (emulator/host/fixtures.ts): the
 * `happy` card holds 2450 points in account 12 (type 1).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killHostProcess, startHostProcess, type HostProcess } from '../../support/hostProcess.js';
import { signedClient, type SignedFetch, type SignedResponse } from '../../support/signedFetch.js';
import type { JournalEntry } from '../../../emulator/host/ledger/index.js';
import { cardHeaders, card, codeOf } from './hostFixture.js';

const REDEEM = '/api/v1/loyalty/rewards/redeem';
const FAULT_HEADER = 'x-emulator-fault';

interface LedgerView {
  cards: { name: string; accounts: { accountId: string; balance: number }[] }[];
  entries: { transactionId: string; kind: string; points: number; name: string }[];
}

const running: HostProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(killHostProcess));
});
afterAll(async () => {
  await Promise.all(running.splice(0).map(killHostProcess));
});

interface Host {
  url: string;
  api: SignedFetch;
}

async function host(...args: string[]): Promise<Host> {
  const h = await startHostProcess(args);
  running.push(h);
  return { url: h.url, api: await signedClient(h.url) };
}

async function emulatorGet<T>(h: Host, path: string): Promise<T> {
  const res = await fetch(`${h.url}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}
const ledgerOf = (h: Host): Promise<LedgerView> => emulatorGet<LedgerView>(h, '/_emulator/ledger');
const journalOf = async (h: Host): Promise<JournalEntry[]> => (await emulatorGet<{ transactions: JournalEntry[] }>(h, '/_emulator/journal')).transactions;

/** The happy card's points on the host's ledger. */
async function happyBalance(h: Host): Promise<number> {
  const c = (await ledgerOf(h)).cards.find((x) => x.name === 'happy');
  if (!c) throw new Error('the ledger has no happy card');
  return c.accounts.reduce((s, a) => s + a.balance, 0);
}

/** A rewardTrxId for the happy card, from a balance call. */
async function rewardTrxId(h: Host): Promise<string> {
  const r = await h.api({ path: '/api/v1/loyalty/rewards?timeStamp=20140602122810&transactionId=0133', headers: cardHeaders(card('happy')) });
  expect(r.status).toBe(200);
  return (r.body as { rewardTrxId: string }).rewardTrxId;
}

const burnBody = (trx: string, transactionId: string, debit: number) => ({
  rewardTrxId: trx,
  transactionId,
  redemptionMandates: [{ accountId: '12', accountType: '1', debit: String(debit) }],
});

/** A latency for this request only, so the host sees the batch in a shuffled order. */
const latency = (ms: number): Record<string, string> => ({ [FAULT_HEADER]: JSON.stringify({ latencyMs: ms }) });

/** What N identical burns (one transactionId, 100 points) sent at once left on the host. */
interface IdenticalBurns {
  n: number;
  rewardTrxId: string;
  answers: SignedResponse[];
  journal: JournalEntry | undefined;
  /** The ledger's burn entries for that transactionId. */
  burnEntries: number[];
  balance: number;
}

async function identicalBurns(h: Host, n: number): Promise<IdenticalBurns> {
  const trx = await rewardTrxId(h);
  const body = burnBody(trx, 'same-burn-1', 100);
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => h.api({ method: 'POST', path: REDEEM, body, headers: latency((i * 7) % 25) })));
  const journal = (await journalOf(h)).find((j) => j.kind === 'burn' && j.transactionId === 'same-burn-1');
  const burnEntries = (await ledgerOf(h)).entries.filter((e) => e.kind === 'burn' && e.transactionId === 'same-burn-1').map((e) => e.points);
  return { n, rewardTrxId: trx, answers, journal, burnEntries, balance: await happyBalance(h) };
}

/** Everything that is wrong with {@link identicalBurns}' outcome if the host is to apply a transactionId once. */
function appliedOnceViolations(r: IdenticalBurns): string[] {
  const v: string[] = [];
  if (r.journal?.received !== r.n) v.push(`the host received ${r.journal?.received ?? 0} of ${r.n}`);
  if (r.journal?.applied !== true) v.push('the journal does not show the burn applied');
  if (r.burnEntries.length !== 1 || r.burnEntries[0] !== -100) v.push(`the ledger holds burn entries ${JSON.stringify(r.burnEntries)}, not one of -100`);
  if (r.balance !== 2350) v.push(`the card holds ${r.balance} points, not 2450 - 100 = 2350`);
  const first = { rewardTrxId: r.rewardTrxId, accounts: [{ accountId: '12', accountType: '1', debit: '100', balance: '2350' }] };
  const odd = r.answers.filter((a) => a.status !== 200 || JSON.stringify(a.body) !== JSON.stringify(first));
  if (odd.length > 0) v.push(`${odd.length} of ${r.n} answers are not the first answer (balance 2350): ${odd.slice(0, 3).map((a) => a.text).join(' | ')}`);
  return v;
}

describe('concurrent requests to one host process', () => {
  it('30 identical burns (one transactionId) sent at once: received 30, applied once, the card debited once, every answer the first', async () => {
    const h = await host();
    const r = await identicalBurns(h, 30);
    expect(appliedOnceViolations(r)).toEqual([]);
    expect(r.journal).toEqual({ kind: 'burn', transactionId: 'same-burn-1', received: 30, applied: true, reversed: false, lateOriginal: false });
  });

  it('40 different burns of 100 on the 2450-point card, each sent twice, all at once: 24 approved, never overdrawn, each transactionId answered alike', async () => {
    const h = await host();
    const trx = await rewardTrxId(h);
    const ids = Array.from({ length: 40 }, (_, i) => `burn-${i}`);
    // Each transactionId twice, the copies spread apart by their latencies.
    const sent = [...ids, ...ids].map((id, k) => ({ id, at: (k * 13) % 40 }));
    const answers = await Promise.all(sent.map((s) => h.api({ method: 'POST', path: REDEEM, body: burnBody(trx, s.id, 100), headers: latency(s.at) })));

    const byId = new Map<string, SignedResponse[]>();
    sent.forEach((s, k) => byId.set(s.id, [...(byId.get(s.id) ?? []), answers[k] as SignedResponse]));
    const approved = ids.filter((id) => byId.get(id)?.[0]?.status === 200);
    const refused = ids.filter((id) => byId.get(id)?.[0]?.status === 422);
    // floor(2450 / 100) = 24 fit; 2450 - 2400 = 50 is left.
    expect(approved).toHaveLength(24);
    expect(refused).toHaveLength(16);
    for (const id of ids) {
      const [a, b] = byId.get(id) as [SignedResponse, SignedResponse];
      expect(b.status, `the two answers for ${id}`).toBe(a.status);
      if (a.status === 200) expect(b.body, `the repeat of ${id} replays the first answer`).toEqual(a.body);
      else expect([codeOf(a.body), codeOf(b.body)]).toEqual(['L51', 'L51']);
    }
    // Each approved debit saw the one before it: the balances after are 2350, 2250, ..., 50, each once.
    const after = approved.map((id) => Number((byId.get(id)?.[0]?.body as { accounts: { balance: string }[] }).accounts[0]?.balance)).sort((x, y) => x - y);
    expect(after).toEqual(Array.from({ length: 24 }, (_, i) => 50 + 100 * i));

    expect(await happyBalance(h)).toBe(50);
    const burns = (await ledgerOf(h)).entries.filter((e) => e.kind === 'burn');
    expect(burns.map((e) => e.transactionId).sort()).toEqual([...approved].sort());
    expect(burns.every((e) => e.points === -100)).toBe(true);
    const journal = await journalOf(h);
    for (const id of ids) {
      const j = journal.find((x) => x.kind === 'burn' && x.transactionId === id);
      expect(j, `journal of ${id}`).toMatchObject({ received: 2, applied: approved.includes(id) });
    }
  });

  it('a reversal racing its burn: either the burn is applied and then reversed, or the reversal comes first and the late burn is refused; never a debit left behind', async () => {
    const h = await host();
    const trx = await rewardTrxId(h);
    const pairs = 20;
    // Even pairs: the reversal waits 60 ms, so the burn most likely comes first; odd pairs: the other way round.
    const sends = Array.from({ length: pairs }, (_, i) => {
      const id = `race-${i}`;
      const burnFirst = i % 2 === 0;
      return Promise.all([
        h.api({ method: 'POST', path: REDEEM, body: burnBody(trx, id, 10), headers: latency(burnFirst ? 0 : 60) }),
        h.api({ method: 'POST', path: `${REDEEM}/${id}/reversal`, body: {}, headers: latency(burnFirst ? 60 : 0) }),
      ]);
    });
    const answers = await Promise.all(sends);
    const { entries } = await ledgerOf(h);
    const journal = await journalOf(h);
    let reversedAfterBurn = 0;
    let refusedLate = 0;
    answers.forEach(([burn, reversal], i) => {
      const id = `race-${i}`;
      const lines = entries.filter((e) => e.transactionId === id).map((e) => [e.kind, e.points]);
      const j = journal.find((x) => x.kind === 'burn' && x.transactionId === id);
      if (burn.status === 200) {
        reversedAfterBurn++;
        expect(reversal.status, `reversal of ${id} after its burn was approved`).toBe(200);
        expect(reversal.body).toMatchObject({ originalTransactionId: id, reversed: true, accounts: [{ accountId: '12', debit: '10' }] });
        expect(lines).toEqual([['burn', -10], ['reversal', 10]]);
        expect(j).toMatchObject({ received: 1, applied: true, reversed: true, lateOriginal: false });
      } else {
        refusedLate++;
        expect([burn.status, codeOf(burn.body)], `burn ${id} after its reversal`).toEqual([409, 'L94']);
        expect([reversal.status, codeOf(reversal.body)], `reversal ${id} before its burn`).toEqual([404, 'L25']);
        expect(lines).toEqual([]);
        expect(j).toMatchObject({ received: 1, applied: false, lateOriginal: true });
      }
    });
    expect(reversedAfterBurn + refusedLate).toBe(pairs);
    // Both orders happened, so the race was really run both ways.
    expect(reversedAfterBurn).toBeGreaterThan(0);
    expect(refusedLate).toBeGreaterThan(0);
    expect(await happyBalance(h)).toBe(2450);
  });

  it('the identical-burns check fails against a host started with --unsafe-no-idempotency: the repeats are debited again', async () => {
    const h = await host('--unsafe-no-idempotency');
    const r = await identicalBurns(h, 10);
    const v = appliedOnceViolations(r);
    expect(v).not.toEqual([]);
    expect(v.join('\n')).toContain('burn entries');
    // The defect itself: every one of the 10 was applied (10 x 100 <= 2450).
    expect(r.burnEntries).toEqual(Array(10).fill(-100));
    expect(r.balance).toBe(2450 - 1000);
    expect(r.journal?.received).toBe(10);
  });
});
