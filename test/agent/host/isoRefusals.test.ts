import { afterEach, describe, expect, it } from 'vitest';
import { IsoHostClient } from '../../../agent/host/isoHostClient.js';
import { encode, frame, responseTo, type ResponseCode } from '../../../protocol/iso8583/index.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';
import { hostErrorOf } from '../../support/hostErrorOf.js';
import { IsoStubHost } from './isoStubHost.js';

const card = fixtureCardRef('happy');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A stub host that answers every request with `code`, and a client on it. */
async function answering(code: ResponseCode): Promise<IsoHostClient> {
  const s = await IsoStubHost.start((req, socket) => socket.write(frame(encode(responseTo(req, { responseCode: code })))));
  cleanup.push(() => s.close());
  const c = new IsoHostClient({ host: '127.0.0.1', port: s.port, merchantId: 'M1', terminalId: 'T1', timeoutMs: 5000, connectTimeoutMs: 2000 });
  cleanup.push(() => c.close());
  return c;
}

const burn = { card, rewardTrxId: 'R', transactionId: 'T', mandates: [{ accountId: '12', accountType: '1', debit: 1 }] };

describe('IsoHostClient reads DE39 through the refusal table', () => {
  it.each([
    ['13', 'HOST_ERR_REJECTED', 'rejected', 'over-reversal'],
    ['14', 'HOST_ERR_REJECTED', 'rejected', 'unknown-card'],
    ['25', 'HOST_ERR_REJECTED', 'rejected', 'original-not-found'],
    ['30', 'HOST_ERR_REJECTED', 'rejected', 'format-error'],
    ['51', 'HOST_ERR_REJECTED', 'rejected', 'insufficient-points'],
    ['54', 'HOST_ERR_REJECTED', 'rejected', 'expired-card'],
    ['58', 'HOST_ERR_REJECTED', 'rejected', 'wrong-terminal'],
    ['94', 'HOST_ERR_REJECTED', 'rejected', 'duplicate'],
    ['96', 'HOST_ERR_SERVER', 'failed', 'system-error'],
  ] as [ResponseCode, string, string, string][])('a burn answered %s → %s / %s, %s', async (code, errCode, outcome, refusal) => {
    const err = await hostErrorOf((await answering(code)).burn(burn));
    expect(err).toMatchObject({ code: errCode, outcome, hostCode: code, refusal });
  });

  it('a reversal answered original-not-found (25) resolves reversed: false', async () => {
    expect(await (await answering('25')).reverse({ card, originalTransactionId: 'O', transactionId: 'R' })).toEqual({ reversed: false });
  });

  it('a reversal answered anything else refused still throws', async () => {
    const err = await hostErrorOf((await answering('94')).reverse({ card, originalTransactionId: 'O', transactionId: 'R' }));
    expect(err).toMatchObject({ outcome: 'rejected', hostCode: '94', refusal: 'duplicate' });
  });
});
