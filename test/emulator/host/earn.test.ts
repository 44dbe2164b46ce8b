import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES, type Fixtures } from '../../../emulator/host/fixtures.js';
import { balanceOf, card, codeOf, hostPerTest, MERCHANT, TERMINAL, testClock } from './hostFixture.js';

const emu = hostPerTest();
const { api } = emu;

const EARN = '/api/v1/loyalty/rewards/earn';
const happy = card('happy');
const earn = (body: Record<string, unknown>, headers?: Record<string, string>) =>
  api({ method: 'POST', path: EARN, body, ...(headers ? { headers } : {}) });
const base = { merchantId: MERCHANT, terminalId: TERMINAL, timeStamp: '20260601120000' };

describe('POST /api/v1/loyalty/rewards/earn', () => {
  it("takes the seed's sample body verbatim (card in the PAN header) and answers the seed's shape", async () => {
    // The seed's sample has expiryDate 1612: run the host in November 2016 with the happy card expiring 1612.
    const fixtures: Fixtures = { ...DEFAULT_FIXTURES, cards: DEFAULT_FIXTURES.cards.map((c) => (c.name === 'happy' ? { ...c, expiry: '1612' } : c)) };
    const clock = testClock(Date.UTC(2016, 10, 15));
    await emu.start({ fixtures, clock: clock.now });
    const sample = { expiryDate: '1612', merchantId: 'IBP000000000162', terminalId: '20690111', timeStamp: '20140600122810', transactionId: '2093', amount: '10' };
    const r = await earn(sample, { PAN: happy.pan });
    expect(r.status).toBe(200);
    // floor(10 * 0.1) = 1 point; the seed's shape plus the extension's earnedPoints (emulator/README.md, "Returns and voids: the host extension").
    expect(r.body).toEqual({
      rewardTrxId: expect.stringMatching(/^[0-9]+$/),
      accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: '2451' }],
      earnedPoints: '1',
    });
  });

  it('credits floor(amount * earnRate) and takes pan or PAN in the body', async () => {
    await emu.start();
    const a = await earn({ ...base, pan: happy.pan, expiryDate: happy.expiry, transactionId: 'e1', amount: '12345' });
    expect((a.body as { accounts: { availableBalance: string }[] }).accounts[0]?.availableBalance).toBe(String(2450 + 1234));
    const b = await earn({ ...base, PAN: happy.pan, expiryDate: happy.expiry, transactionId: 'e2', amount: '9' });
    expect((b.body as { accounts: { availableBalance: string }[] }).accounts[0]?.availableBalance).toBe(String(2450 + 1234));
  });

  it('is idempotent by transactionId: a repeat returns the first answer and never credits twice', async () => {
    await emu.start();
    const body = { ...base, pan: happy.pan, expiryDate: happy.expiry, transactionId: 'q-1', amount: '1000' };
    const first = await earn(body);
    const second = await earn(body);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const bal = await balanceOf(api, happy);
    expect((bal.body as { accounts: { availableBalance: string }[] }).accounts[0]?.availableBalance).toBe('2550');
    const changed = await earn({ ...body, amount: '2000' });
    expect(changed.status).toBe(409);
    expect(codeOf(changed.body)).toBe('2020');
  });

  it('earns on a mobile-number account (opens account 12)', async () => {
    await emu.start();
    await api({ method: 'POST', path: '/api/v1/loyalty/accounts', body: { accountId: '+2348030000066' } });
    const r = await earn({ ...base, pan: '+2348030000066', transactionId: 'm1', amount: '500' });
    expect(r.status).toBe(200);
    expect((r.body as { accounts: unknown[] }).accounts).toEqual([{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: '50' }]);
  });

  it.each([
    ['unknown card', { pan: card('unknown').pan, expiryDate: card('unknown').expiry }, 404, 'L14'],
    ['expired card', { pan: card('expired').pan, expiryDate: card('expired').expiry }, 422, 'L54'],
    ['bad Luhn', { pan: '6280000000000017', expiryDate: '3012' }, 400, '1013'],
    ['bad email', { pan: 'a@b' }, 400, '1013'],
    ['no identifier', {}, 400, '1013'],
  ])('%s → %s %s', async (_n, id, status, code) => {
    await emu.start();
    const r = await earn({ ...base, ...id, transactionId: 'x', amount: '100' });
    expect(r.status).toBe(status);
    expect(codeOf(r.body)).toBe(code);
  });

  it.each([
    ['amount as a number', { amount: 100 }],
    ['amount with decimals', { amount: '1.50' }],
    ['no transactionId', { transactionId: undefined }],
    ['no merchantId', { merchantId: undefined }],
    ['timeStamp not 14 digits', { timeStamp: '2026' }],
  ])('rejects %s with 400 E37', async (_n, patch) => {
    await emu.start();
    const r = await earn({ ...base, pan: happy.pan, expiryDate: happy.expiry, transactionId: 'y', amount: '100', ...patch });
    expect(r.status).toBe(400);
    expect(codeOf(r.body)).toBe('E37');
  });
});
