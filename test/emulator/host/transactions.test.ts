import { beforeAll, describe, expect, it } from 'vitest';
import { signedClient, type SignedFetch } from '../../support/signedFetch.js';
import { card, hostForFile, MERCHANT, TERMINAL, testClock } from './hostFixture.js';

const clock = testClock(Date.UTC(2026, 2, 10, 9, 30, 0));
const emu = hostForFile({ clock: clock.now });
let api: SignedFetch;
const happy = card('happy');

beforeAll(async () => {
  api = emu.api;
  // Five earns, one a day from 2026-03-10 to 2026-03-14, and one on another card.
  for (let d = 0; d < 5; d++) {
    const r = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: { merchantId: MERCHANT, terminalId: TERMINAL, pan: happy.pan, expiryDate: happy.expiry, transactionId: `day-${d}`, amount: '1000' } });
    expect(r.status).toBe(200);
    clock.advance(86_400_000);
    // Tokens live 43199 s: get a fresh one after moving the clock a day.
    api = await signedClient(emu.host.url, { now: clock.now });
  }
  const other = card('offer');
  await api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: { merchantId: MERCHANT, terminalId: TERMINAL, pan: other.pan, expiryDate: other.expiry, transactionId: 'other', amount: '1000' } });
});

type Page = { transactions: { extRef: string; date: string; transactionRewardValue: number; totalRewardValue: number }[]; totalRecords: string; totalPages: string };
const list = async (query: string) => {
  const r = await api({ path: `/api/v1/loyalty/transactions${query === '' ? '' : `?${query}`}` });
  return { status: r.status, body: r.body as Page, raw: r.body };
};

describe('GET /api/v1/loyalty/transactions', () => {
  it("answers in the seed's sample shape", async () => {
    const r = await list(`pan=${happy.pan}&expiryDate=${happy.expiry}&startDate=20260310&endDate=20260310`);
    expect(r.status).toBe(200);
    expect(r.raw).toEqual({
      transactions: [{
        id: expect.any(Number), linkId: expect.any(Number), date: '10-03-2026 09:30:00', name: 'Points Earned',
        transactionValue: '10.00', transactionRewardValue: 100, transactionRewardPool: 'Reward Points', totalRewardValue: 2550,
        merchant: MERCHANT, deviceId: TERMINAL, extRef: 'day-0',
        product: { productId: '628000******0016', productType: 'LOYALTY_ACCT', productStatus: null, pan: null, expiryDate: null },
      }],
      totalRecords: '1',
      totalPages: '1',
    });
  });

  it('filters by an inclusive date range', async () => {
    const r = await list(`pan=${happy.pan}&expiryDate=${happy.expiry}&startDate=20260311&endDate=20260313`);
    expect(r.body.transactions.map((t) => t.extRef)).toEqual(['day-1', 'day-2', 'day-3']);
    expect(r.body.totalRecords).toBe('3');
  });

  it('pages with page and pageSize', async () => {
    const p1 = await list(`pan=${happy.pan}&expiryDate=${happy.expiry}&pageSize=2`);
    expect(p1.body.totalRecords).toBe('5');
    expect(p1.body.totalPages).toBe('3');
    expect(p1.body.transactions.map((t) => t.extRef)).toEqual(['day-0', 'day-1']);
    const p3 = await list(`pan=${happy.pan}&expiryDate=${happy.expiry}&pageSize=2&page=3`);
    expect(p3.body.transactions.map((t) => t.extRef)).toEqual(['day-4']);
    const p4 = await list(`pan=${happy.pan}&expiryDate=${happy.expiry}&pageSize=2&page=4`);
    expect(p4.body.transactions).toEqual([]);
  });

  it('without a card filter lists every card', async () => {
    expect((await list('')).body.totalRecords).toBe('6');
  });

  it.each([
    ['startDate=2026-03-10', 400, 'E37'],
    ['startDate=20260230', 400, '1013'],
    ['pageSize=101', 400, 'E37'],
    ['page=0', 400, 'E37'],
    [`pan=${card('unknown').pan}&expiryDate=${card('unknown').expiry}`, 404, 'L14'],
  ])('rejects %s', async (q, status, code) => {
    const r = await list(q);
    expect(r.status).toBe(status);
    expect((r.raw as { error: { code: string } }).error.code).toBe(code);
  });
});
