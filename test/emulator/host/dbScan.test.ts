import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';
import { balanceOf, MERCHANT, startTestHost, TERMINAL } from './hostFixture.js';

const dir = mkdtempSync(join(tmpdir(), 'host-dbscan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ledger database file', () => {
  it('never holds a fixture PAN in clear, after every kind of operation', async () => {
    const db = join(dir, 'ledger.db');
    const { host, api } = await startTestHost({ db });
    try {
      for (const c of DEFAULT_FIXTURES.cards.filter((x) => x.behaviour === 'normal')) {
        const b = await balanceOf(api, c);
        const id = (b.body as { rewardTrxId?: string }).rewardTrxId;
        if (id) await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body: { rewardTrxId: id, transactionId: `b-${c.name}`, redemptionMandates: [{ accountId: '12', accountType: '1', debit: '1' }] } });
        await api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: { merchantId: MERCHANT, terminalId: TERMINAL, pan: c.pan, expiryDate: c.expiry, transactionId: `e-${c.name}`, amount: '100' } });
        await api({ method: 'POST', path: `/api/v1/loyalty/rewards/redeem/b-${c.name}/reversal` });
      }
      await api({ method: 'POST', path: '/cards', body: { person_id: 'x', pan: DEFAULT_FIXTURES.cards[0]!.pan, exp_month: 12, exp_year: 2030 } });
    } finally {
      await host.close();
    }
    const files = readdirSync(dir).filter((f) => f.startsWith('ledger.db'));
    expect(files).toContain('ledger.db');
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
    expect(bytes.length).toBeGreaterThan(4096);
    // Sanity: the scan does find what is there (the masked form is stored).
    expect(bytes.includes(Buffer.from('628000******0016'))).toBe(true);
    for (const c of DEFAULT_FIXTURES.cards) {
      expect(bytes.includes(Buffer.from(c.pan, 'ascii'))).toBe(false);
      expect(bytes.includes(Buffer.from(c.pan, 'utf16le'))).toBe(false);
    }
  });
});
