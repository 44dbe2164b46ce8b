import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RestHostClient } from '../../../agent/host/restHostClient.js';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';

const CLIENT = { clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', clientSecret: 'secret' };
const TERMINAL = { merchantId: 'IBP000000000162', terminalId: '20690111' };

const dir = mkdtempSync(join(tmpdir(), 'rest-emu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let host: RunningHost | undefined;
let client: RestHostClient | undefined;
afterEach(async () => {
  await client?.close();
  await host?.close();
  client = undefined;
  host = undefined;
});

describe('RestHostClient against the host emulator', () => {
  it('balance → burn → reverse round trip with the happy card', async () => {
    host = await startHost();
    client = new RestHostClient({ baseUrl: host.url, ...CLIENT, ...TERMINAL });
    const card = fixtureCardRef('happy');
    const bal = await client.balance({ card, transactionId: 'it-bal-1' });
    expect(bal.accounts).toEqual([expect.objectContaining({ accountId: '12', accountType: '1', availableBalance: 2450 })]);
    const burn = await client.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: 'it-burn-1', mandates: [{ accountId: '12', accountType: '1', debit: 100 }] });
    expect(burn.accounts).toEqual([{ accountId: '12', accountType: '1', debit: 100, balance: 2350 }]);
    // Same transactionId, same body: the host answers the first result again.
    const again = await client.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: 'it-burn-1', mandates: [{ accountId: '12', accountType: '1', debit: 100 }] });
    expect(again.accounts[0]?.balance).toBe(2350);
    expect(await client.reverse({ card, originalTransactionId: 'it-burn-1', transactionId: 'it-rev-1' })).toEqual({ reversed: true });
    const after = await client.balance({ card, transactionId: 'it-bal-2' });
    expect(after.accounts[0]?.availableBalance).toBe(2450);
    // Reversing a burn the host never saw: nothing to undo.
    expect(await client.reverse({ card, originalTransactionId: 'it-never', transactionId: 'it-rev-2' })).toEqual({ reversed: false });
  });

  it('declines come back as rejected with the project host codes', async () => {
    host = await startHost();
    client = new RestHostClient({ baseUrl: host.url, ...CLIENT, ...TERMINAL });
    const unknown = await client.balance({ card: fixtureCardRef('unknown'), transactionId: 'it-u' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ outcome: 'rejected', hostCode: 'L14' });
    const card = fixtureCardRef('happy');
    const bal = await client.balance({ card, transactionId: 'it-bal-3' });
    const tooMuch = await client.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: 'it-burn-2', mandates: [{ accountId: '12', accountType: '1', debit: 999_999 }] }).catch((e: unknown) => e);
    expect(tooMuch).toMatchObject({ outcome: 'rejected', hostCode: 'L51' });
  });

  it('over TLS, trusting the emulator certificate through caFile', async () => {
    const caFile = join(dir, 'host-ca.pem');
    host = await startHost({ tls: true, tlsCaOut: caFile });
    expect(host.url.startsWith('https://')).toBe(true);
    client = new RestHostClient({ baseUrl: host.url, ...CLIENT, ...TERMINAL, caFile });
    const probe = await client.probe();
    expect(probe.serverDate).toBeInstanceOf(Date);
    const bal = await client.balance({ card: fixtureCardRef('happy'), transactionId: 'it-tls-1' });
    expect(bal.accounts[0]?.availableBalance).toBe(2450);
  });

  it('over TLS without the CA: not-sent (the handshake fails before any request)', async () => {
    host = await startHost({ tls: true });
    client = new RestHostClient({ baseUrl: host.url, ...CLIENT, ...TERMINAL });
    const err = await client.balance({ card: fixtureCardRef('happy'), transactionId: 'it-tls-2' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HOST_ERR_CONNECT', outcome: 'not-sent' });
  });
});
