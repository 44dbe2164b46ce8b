import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IsoHostClient } from '../../../agent/host/isoHostClient.js';
import { DEFAULT_FIXTURES, type CardFixture } from '../../../emulator/host/fixtures.js';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { startIsoServer, type IsoServer } from '../../../emulator/host/iso/index.js';
import { chooseMandates } from '../../../protocol/loyalty/mandate.js';
import type { Pan, Yymm } from '../../../protocol/pan.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';
import { hostErrorOf } from '../../support/hostErrorOf.js';

let host: RunningHost;
let iso: IsoServer;
let client: IsoHostClient;

beforeEach(async () => {
  host = await startHost();
  iso = await startIsoServer({ ledger: host.ledger, delay: async () => undefined });
  client = new IsoHostClient({ host: '127.0.0.1', port: iso.port, merchantId: 'IBP000000000162', terminalId: '20690111', timeoutMs: 5000 });
});

afterEach(async () => {
  await client.close();
  await iso.close();
  await host.close();
});

async function ledgerBalance(name: string): Promise<number | undefined> {
  const body = (await (await fetch(`${host.url}/_emulator/ledger`)).json()) as { cards: { name: string; accounts: { balance: number }[] }[] };
  return body.cards.find((c) => c.name === name)?.accounts[0]?.balance;
}

describe('IsoHostClient against the host emulator over loopback TCP', () => {
  it('balance → burn → reverse → earn, on the same ledger as REST', async () => {
    const card = fixtureCardRef('happy');
    const bal = await client.balance({ card, transactionId: 'BAL1' });
    expect(bal.accounts).toEqual([{ accountId: '12', accountName: '', accountType: '1', availableBalance: 2450 }]);
    expect(bal.rewardTrxId).toMatch(/^[0-9]+$/);

    const burn = await client.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: 'BURN1', mandates: [{ accountId: '12', accountType: '1', debit: 450 }] });
    expect(burn.accounts).toEqual([{ accountId: '12', accountType: '1', debit: 450, balance: 2000 }]);
    expect(await ledgerBalance('happy')).toBe(2000);

    // Retried burn (same transactionId): answered from the record, no second debit.
    await client.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: 'BURN1', mandates: [{ accountId: '12', accountType: '1', debit: 450 }] });
    expect(await ledgerBalance('happy')).toBe(2000);

    expect(await client.reverse({ card, originalTransactionId: 'BURN1', transactionId: 'REV1' })).toEqual({ reversed: true });
    expect(await client.reverse({ card, originalTransactionId: 'BURN1', transactionId: 'REV1' })).toEqual({ reversed: true });
    expect(await ledgerBalance('happy')).toBe(2450);
    expect(await client.reverse({ card, originalTransactionId: 'NEVER', transactionId: 'REV2' })).toEqual({ reversed: false });

    const earn = await client.earn({ card, transactionId: 'EARN1', amount: 5000, timeStamp: '20261122001500' });
    expect(earn.accounts[0]?.availableBalance).toBe(2950); // 5000 * 0.1 = 500 points
    await client.earn({ card, transactionId: 'EARN1', amount: 5000, timeStamp: '20261122001500' });
    expect(await ledgerBalance('happy')).toBe(2950);

    await client.ping();
  });

  it('carries long (UUID) transaction ids through their DE37 hash, consistently for burn and reversal', async () => {
    const card = fixtureCardRef('happy');
    const bal = await client.balance({ card, transactionId: '0b8e1c2a-5d4f-4e6a-9b7c-1a2b3c4d5e6f' });
    const id = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    await client.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: id, mandates: [{ accountId: '12', accountType: '1', debit: 100 }] });
    expect(await ledgerBalance('happy')).toBe(2350);
    expect(await client.reverse({ card, originalTransactionId: id, transactionId: 'r' })).toEqual({ reversed: true });
    expect(await ledgerBalance('happy')).toBe(2450);
  });

  it.each([
    { name: 'unknown', code: '14', outcome: 'rejected', errCode: 'HOST_ERR_REJECTED' },
    { name: 'expired', code: '54', outcome: 'rejected', errCode: 'HOST_ERR_REJECTED' },
    { name: 'host-error', code: '96', outcome: 'failed', errCode: 'HOST_ERR_SERVER' },
  ])('balance of the $name card: DE39 $code → $outcome', async ({ name, code, outcome, errCode }) => {
    const err = await hostErrorOf(client.balance({ card: fixtureCardRef(name), transactionId: 'B' }));
    expect(err.code).toBe(errCode);
    expect(err.outcome).toBe(outcome);
    expect(err.hostCode).toBe(code);
    expect(err.message).not.toContain(fixtureCardRef(name).pan);
  });

  it('insufficient points: DE39 51, rejected', async () => {
    const card = fixtureCardRef('empty');
    const bal = await client.balance({ card, transactionId: 'B' });
    const err = await hostErrorOf(client.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: 'X1', mandates: [{ accountId: '12', accountType: '1', debit: 1 }] }));
    expect(err.hostCode).toBe('51');
    expect(err.outcome).toBe('rejected');
  });

  it('commit-then-drop: outcome unknown, then the reversal undoes the burn and the client has reconnected', async () => {
    const card = fixtureCardRef('commit-then-drop');
    const bal = await client.balance({ card, transactionId: 'B' });
    const err = await hostErrorOf(client.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: 'DROP1', mandates: [{ accountId: '12', accountType: '1', debit: 300 }] }));
    expect(err.outcome).toBe('unknown');
    expect(await ledgerBalance('commit-then-drop')).toBe(700);
    expect(await client.reverse({ card, originalTransactionId: 'DROP1', transactionId: 'R' })).toEqual({ reversed: true });
    expect(await ledgerBalance('commit-then-drop')).toBe(1000);
  });

  it('offers and redeemOffer are REST-only', async () => {
    const card = fixtureCardRef('offer');
    const a = await hostErrorOf(client.offers({ card, amount: 1000 }));
    const b = await hostErrorOf(client.redeemOffer({ card, cardOfferId: '1', transactionId: 't', amount: 1 }));
    for (const e of [a, b]) {
      expect(e.outcome).toBe('rejected');
      expect(e.message).toMatch(/REST-only/);
    }
  });

  it('refuses a multi-mandate burn without sending it', async () => {
    const card = fixtureCardRef('happy');
    const err = await hostErrorOf(client.burn({ card, rewardTrxId: '1', transactionId: 'M', mandates: [{ accountId: '12', accountType: '1', debit: 1 }, { accountId: '13', accountType: '1', debit: 1 }] }));
    expect(err.outcome).toBe('rejected');
    expect(await ledgerBalance('happy')).toBe(2450);
  });
});

describe('IsoHostClient: reward account types over DE63', () => {
  it('the happy card\'s balance lists accountType 1, as over REST', async () => {
    const bal = await client.balance({ card: fixtureCardRef('happy'), transactionId: 'BAL-T1' });
    expect(bal.accounts.map((a) => a.accountType)).toEqual(['1']);
  });

  it('a two-account card: chooseMandates debits the type-1 account first, in one ISO burn', async () => {
    // A card whose first listed account is not the pool account (type 1).
    const twoAccounts: CardFixture = {
      name: 'two-accounts', pan: '6280000000000099', expiry: '3012', holder: 'TWO/TESS', enrolled: true, behaviour: 'normal', linkedOffers: [],
      accounts: [
        { accountId: '13', accountName: 'Bonus', accountType: '2', balance: 100 },
        { accountId: '12', accountName: 'Reward Points', accountType: '1', balance: 500 },
      ],
    };
    const own = await startHost({ fixtures: { ...DEFAULT_FIXTURES, cards: [...DEFAULT_FIXTURES.cards, twoAccounts] } });
    const ownIso = await startIsoServer({ ledger: own.ledger, delay: async () => undefined });
    const c = new IsoHostClient({ host: '127.0.0.1', port: ownIso.port, merchantId: 'IBP000000000162', terminalId: '20690111', timeoutMs: 5000 });
    try {
      const card = { pan: twoAccounts.pan as Pan, expiry: twoAccounts.expiry as Yymm };
      const bal = await c.balance({ card, transactionId: 'BAL-2A' });
      expect(bal.accounts).toEqual([
        { accountId: '13', accountName: '', accountType: '2', availableBalance: 100 },
        { accountId: '12', accountName: '', accountType: '1', availableBalance: 500 },
      ]);
      // Without the types (all ''), the host's order would split this over 13 then 12: two mandates, which ISO refuses.
      const mandates = chooseMandates(bal.accounts, 300);
      expect(mandates).toEqual([{ accountId: '12', accountType: '1', debit: 300 }]);
      const burn = await c.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: 'BURN-2A', mandates: mandates ?? [] });
      expect(burn.accounts).toEqual([{ accountId: '12', accountType: '1', debit: 300, balance: 200 }]);
      const after = await c.balance({ card, transactionId: 'BAL-2B' });
      expect(after.accounts.map((a) => [a.accountId, a.accountType, a.availableBalance])).toEqual([['13', '2', 100], ['12', '1', 200]]);
    } finally {
      await c.close();
      await ownIso.close();
      await own.close();
    }
  });
});
