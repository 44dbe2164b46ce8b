import { describe, expect, it } from 'vitest';
import { balanceOf, card, cardHeaders, codeOf, hostForFile } from './hostFixture.js';

const { api } = hostForFile();

describe('GET /api/v1/loyalty/rewards', () => {
  it("answers the seed's sample request (query verbatim, card in headers) with the seed's shape", async () => {
    const r = await balanceOf(api, card('happy'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      rewardTrxId: expect.stringMatching(/^[0-9]+$/),
      accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: '2450' }],
    });
  });

  it('issues a new rewardTrxId on every call', async () => {
    const a = (await balanceOf(api, card('happy'))).body as { rewardTrxId: string };
    const b = (await balanceOf(api, card('happy'))).body as { rewardTrxId: string };
    expect(a.rewardTrxId).not.toBe(b.rewardTrxId);
  });

  it('answers an empty card with a zero balance', async () => {
    const r = await balanceOf(api, card('empty'));
    expect((r.body as { accounts: { availableBalance: string }[] }).accounts[0]?.availableBalance).toBe('0');
  });

  it.each([
    ['unknown card', { pan: card('unknown').pan, expiry: card('unknown').expiry }, 404, 'L14'],
    ['expired card', { pan: card('expired').pan, expiry: card('expired').expiry }, 422, 'L54'],
    ['expiry not the card one', { pan: card('happy').pan, expiry: '2912' }, 422, 'L54'],
    ['PAN failing Luhn', { pan: '6280000000000017', expiry: '3012' }, 400, '1013'],
    ['expiry month 13', { pan: card('happy').pan, expiry: '3013' }, 400, '1013'],
    ['bad identifier without expiry', { pan: 'not-an-id' }, 400, '1013'],
    ['well-formed email nobody enrolled', { pan: 'nobody@example.com' }, 404, 'L14'],
  ])('%s → %s %s', async (_n, c, status, code) => {
    const r = await balanceOf(api, c);
    expect(r.status).toBe(status);
    expect(codeOf(r.body)).toBe(code);
    expect(r.text).not.toContain(c.pan);
  });

  it('requires merchantId, terminalId and PAN headers (E37)', async () => {
    for (const drop of ['merchantId', 'terminalId', 'PAN']) {
      const headers = cardHeaders(card('happy'));
      delete headers[drop];
      const r = await api({ path: '/api/v1/loyalty/rewards', headers });
      expect(r.status).toBe(400);
      expect(codeOf(r.body)).toBe(drop === 'PAN' ? '1013' : 'E37');
    }
  });

  it('rejects a malformed timeStamp query (E37)', async () => {
    const r = await api({ path: '/api/v1/loyalty/rewards?timeStamp=yesterday', headers: cardHeaders(card('happy')) });
    expect(r.status).toBe(400);
    expect(codeOf(r.body)).toBe('E37');
  });

  it('serves a mobile-number member created through POST accounts', async () => {
    const created = await api({ method: 'POST', path: '/api/v1/loyalty/accounts', body: { accountId: '08030000066' } });
    expect(created.status).toBe(201);
    const r = await balanceOf(api, { pan: '08030000066' });
    expect(r.status).toBe(200);
    expect((r.body as { accounts: unknown[] }).accounts).toEqual([]);
  });
});
