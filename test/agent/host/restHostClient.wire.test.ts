import { afterEach, describe, expect, it } from 'vitest';
import { RestHostClient } from '../../../agent/host/restHostClient.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';
import { seedError, startTestHost, type TestHost } from './restTestServer.js';

const card = fixtureCardRef('happy');

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

let host: TestHost | undefined;
let client: RestHostClient | undefined;
afterEach(async () => {
  await client?.close();
  await host?.close();
});

/** A host answering each path with a fixed reply, recording what it saw. */
async function replying(replies: Record<string, { status?: number; body: unknown }>): Promise<Seen[]> {
  const seen: Seen[] = [];
  host = await startTestHost((app) => {
    app.all('/*', async (req, reply) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: req.body });
      const r = replies[req.url.split('?')[0] ?? ''];
      if (!r) return reply.code(404).send(seedError('E16', 'no such route'));
      return reply.code(r.status ?? 200).send(r.body);
    });
  });
  const local = new Date(2024, 5, 2, 12, 28, 10).getTime(); // local 2024-06-02 12:28:10
  client = new RestHostClient({ baseUrl: host.url, clientId: 'cid', clientSecret: 'cs', merchantId: 'IBP000000000162', terminalId: '20690111', now: () => local });
  return seen;
}

describe('RestHostClient wire format', () => {
  it('balance: card in headers, never in the URL; string amounts become integers', async () => {
    const seen = await replying({ '/api/v1/loyalty/rewards': { body: { rewardTrxId: 2263234, accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: '2450' }] } } });
    const res = await client!.balance({ card, transactionId: 'bal-1' });
    expect(res).toEqual({ rewardTrxId: '2263234', accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: 2450 }] });
    const req = seen[0];
    expect(req?.method).toBe('GET');
    expect(req?.url).toBe('/api/v1/loyalty/rewards?timeStamp=20240602122810&transactionId=bal-1');
    expect(req?.url).not.toContain(card.pan);
    expect(req?.headers).toMatchObject({ merchantid: 'IBP000000000162', terminalid: '20690111', pan: card.pan, expirydate: card.expiry });
  });

  it('earn: the seed body with amount as a string', async () => {
    const seen = await replying({ '/api/v1/loyalty/rewards/earn': { body: { rewardTrxId: '2268927', accounts: [{ accountId: '12', accountName: '', accountType: '1', availableBalance: '3650' }] } } });
    const res = await client!.earn({ card, transactionId: 'earn-1', amount: 1099, timeStamp: '20240602122810' });
    expect(res.accounts[0]?.availableBalance).toBe(3650);
    expect(seen[0]?.body).toEqual({ merchantId: 'IBP000000000162', terminalId: '20690111', pan: card.pan, expiryDate: card.expiry, timeStamp: '20240602122810', transactionId: 'earn-1', amount: '1099' });
  });

  it('burn: rewardTrxId, transactionId and string debits', async () => {
    const seen = await replying({ '/api/v1/loyalty/rewards/redeem': { body: { rewardTrxId: '2263176', accounts: [{ accountId: '12', accountType: '1', debit: '100', balance: '2350' }] } } });
    const res = await client!.burn({ card, rewardTrxId: '2263176', transactionId: 'burn-1', mandates: [{ accountId: '12', accountType: '1', debit: 100 }] });
    expect(res).toEqual({ rewardTrxId: '2263176', accounts: [{ accountId: '12', accountType: '1', debit: 100, balance: 2350 }] });
    expect(seen[0]?.body).toEqual({ rewardTrxId: '2263176', transactionId: 'burn-1', merchantId: 'IBP000000000162', terminalId: '20690111', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '100' }] });
  });

  it('reverse: original id in the path; 404 L25 means nothing to undo', async () => {
    const seen = await replying({
      '/api/v1/loyalty/rewards/redeem/burn-1/reversal': { body: { originalTransactionId: 'burn-1', reversed: true, accounts: [] } },
      '/api/v1/loyalty/rewards/redeem/never-sent/reversal': { status: 404, body: seedError('L25', 'Original transaction not found') },
    });
    expect(await client!.reverse({ card, originalTransactionId: 'burn-1', transactionId: 'rev-1' })).toEqual({ reversed: true });
    expect(await client!.reverse({ card, originalTransactionId: 'never-sent', transactionId: 'rev-2' })).toEqual({ reversed: false });
    expect(seen[0]?.body).toEqual({ transactionId: 'rev-1', merchantId: 'IBP000000000162', terminalId: '20690111' });
  });

  it('returns and voids: refund, earn reversal and offer reversal with the original in the path and no PAN in the body', async () => {
    const seen = await replying({
      '/api/v1/loyalty/rewards/redeem/burn-1/refund': { body: { originalTransactionId: 'burn-1', transactionId: 'rf-1', points: '30', remaining: '70', accounts: [] } },
      '/api/v1/loyalty/rewards/earn/earn-1/reversal': { body: { originalTransactionId: 'earn-1', transactionId: 'er-1', points: '25', remaining: '75', accounts: [] } },
      '/terminal/offers/redemptions/red_1/reversal': { body: { redemption_id: 'red_1', transactionId: 'or-1', reversed: true, type: 'discount', benefit: 100 } },
    });
    expect(await client!.refund({ card, originalTransactionId: 'burn-1', transactionId: 'rf-1', points: 30 })).toEqual({ points: 30, remaining: 70 });
    expect(await client!.reverseEarn({ card, originalTransactionId: 'earn-1', transactionId: 'er-1', part: { points: 25, kept: 75 } })).toEqual({ points: 25, remaining: 75 });
    expect(await client!.reverseOffer({ card, redemptionId: 'red_1', transactionId: 'or-1' })).toEqual({ redemptionId: 'red_1', benefit: 100 });
    expect(seen.map((x) => x.body)).toEqual([
      { transactionId: 'rf-1', points: '30', merchantId: 'IBP000000000162', terminalId: '20690111' },
      { transactionId: 'er-1', points: '25', merchantId: 'IBP000000000162', terminalId: '20690111' },
      { transactionId: 'or-1', merchantId: 'IBP000000000162', terminalId: '20690111' },
    ]);
  });

  it('earn: the extension earnedPoints is read when the host sends it', async () => {
    await replying({ '/api/v1/loyalty/rewards/earn': { body: { rewardTrxId: '1', accounts: [], earnedPoints: '109' } } });
    expect(await client!.earn({ card, transactionId: 'earn-2', amount: 1099, timeStamp: '20240602122810' })).toEqual({ rewardTrxId: '1', accounts: [], earnedPoints: 109 });
  });

  it('offers: snake_case mapped to TerminalOffer', async () => {
    const seen = await replying({
      '/terminal/offers': {
        body: {
          offers: [
            { card_offer_id: 'co_1', offer_id: 'of_1', display_text: 'BP: 10% off', type: 'discount', value: 10, value_type: 'percent', benefit: 250 },
            { card_offer_id: 'co_2', offer_id: 'of_2', display_text: '1.00 back', type: 'cashback', value: 100, value_type: 'amount', benefit: 100, min_spend: 1000 },
          ],
        },
      },
    });
    const offers = await client!.offers({ card, amount: 2500 });
    expect(offers).toEqual([
      { cardOfferId: 'co_1', offerId: 'of_1', displayText: 'BP: 10% off', type: 'discount', value: 10, valueType: 'percent', benefit: 250, minSpend: 0 },
      { cardOfferId: 'co_2', offerId: 'of_2', displayText: '1.00 back', type: 'cashback', value: 100, valueType: 'amount', benefit: 100, minSpend: 1000 },
    ]);
    expect(seen[0]?.body).toEqual({ merchantId: 'IBP000000000162', terminalId: '20690111', pan: card.pan, expiryDate: card.expiry, amount: 2500 });
  });

  it('redeemOffer: body and mapping', async () => {
    const seen = await replying({ '/terminal/offers/redeem': { body: { redemption_id: 'rd_1', type: 'cashback', benefit: 300 } } });
    expect(await client!.redeemOffer({ card, cardOfferId: 'co_1', transactionId: 'off-1', amount: 3000 })).toEqual({ redemptionId: 'rd_1', type: 'cashback', benefit: 300 });
    expect(seen[0]?.body).toEqual({ card_offer_id: 'co_1', merchantId: 'IBP000000000162', terminalId: '20690111', transactionId: 'off-1', amount: 3000, pan: card.pan, expiryDate: card.expiry });
  });
});
