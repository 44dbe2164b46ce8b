import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { balanceOf, card, startTestHost } from './hostFixture.js';

const dir = mkdtempSync(join(tmpdir(), 'host-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('restart on the same port and database', () => {
  it('keeps balances and idempotency records; refuses connections while down', async () => {
    const db = join(dir, 'ledger.db');
    const first = await startTestHost({ db });
    const port = first.host.port;
    const id = ((await balanceOf(first.api, card('happy'))).body as { rewardTrxId: string }).rewardTrxId;
    const body = { rewardTrxId: id, transactionId: 'r-1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '400' }] };
    const burned = await first.api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body });
    expect(burned.status).toBe(200);
    await first.host.close();

    await expect(fetch(`http://127.0.0.1:${port}/_emulator/faults`)).rejects.toThrow();

    const second = await startTestHost({ db, port });
    try {
      expect(second.host.url).toBe(`http://127.0.0.1:${port}`);
      const bal = await balanceOf(second.api, card('happy'));
      expect((bal.body as { accounts: { availableBalance: string }[] }).accounts[0]?.availableBalance).toBe('2050');
      const replay = await second.api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(burned.body);
    } finally {
      await second.host.close();
    }
  });
});
