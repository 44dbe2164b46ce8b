import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES } from '../../../../emulator/host/fixtures.js';
import { startOffersApp, type TestApp } from './offersTestApp.js';

/** Every enrolled fixture PAN (the `offer` card is seeded; the others go through POST /cards). */
const CARDS = DEFAULT_FIXTURES.cards.filter((c) => c.expiry !== '2001');

function scan(files: string[], needles: string[]): string[] {
  const hits: string[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    const bytes = readFileSync(f);
    for (const n of needles) {
      if (bytes.includes(Buffer.from(n, 'ascii'))) hits.push(`${f}: ${n.slice(-4)}`);
    }
  }
  return hits;
}

describe('card data at rest', () => {
  let dir = '';
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps no PAN in the database file, its WAL or its shared memory, nor in the logs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'offers-pan-'));
    const dbFile = join(dir, 'host.db');
    const logs: Buffer[] = [];
    const logStream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(Buffer.from(chunk));
        cb();
      },
    });
    t = await startOffersApp({ dbFile, logStream });
    const { person_id } = (await t.post('/persons', { first_name: 'P', last_name: 'S', email: 'p@example.com' })).body;
    for (const c of CARDS) {
      if (c.name === 'offer') continue;
      const res = await t.post('/cards', { person_id, pan: c.pan, exp_month: 12, exp_year: 2030 });
      expect(res.status).toBe(201);
    }
    const lookup = await t.post('/terminal/offers', { merchantId: 'IBP000000000162', terminalId: 'T', pan: '6280000000000057', expiryDate: '3012', amount: 1000 });
    expect(lookup.body.offers).toHaveLength(1);
    const redeem = await t.post('/terminal/offers/redeem', {
      card_offer_id: 'cof_1', merchantId: 'IBP000000000162', terminalId: 'T', transactionId: 'scan-1', amount: 1000,
      pan: '6280000000000057', expiryDate: '3012',
    });
    expect(redeem.status).toBe(200);

    const files = [dbFile, `${dbFile}-wal`, `${dbFile}-shm`];
    // The scan must be able to see data: the last 4 digits are stored on purpose, in the WAL while it is open.
    expect(readFileSync(`${dbFile}-wal`).includes(Buffer.from('0057', 'ascii'))).toBe(true);
    const pans = CARDS.map((c) => c.pan);
    expect(scan(files, pans)).toEqual([]);
    // Expiries are not stored either: a card row has no column that could hold one.
    const columns = t.db.prepare("SELECT name FROM pragma_table_info('offers_cards')").all();
    expect(columns).toEqual([{ name: 'id' }, { name: 'person_id' }, { name: 'fingerprint' }, { name: 'last4' }, { name: 'created_at' }]);

    await t.close();
    t = undefined;
    expect(scan(files, pans)).toEqual([]);
    const logText = Buffer.concat(logs).toString('utf8');
    expect(logText.length).toBeGreaterThan(0);
    for (const pan of pans) expect(logText).not.toContain(pan);
  });
});
