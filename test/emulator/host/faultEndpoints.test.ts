/**
 * The host's fault endpoints are one list (FAULT_ENDPOINTS): the fault API refuses any other name with
 * 400 E37 naming it and the known ones (a typo used to set a fault nothing matched), and every name on
 * the list is a route of the host.
 */
import { describe, expect, it } from 'vitest';
import { assertFaultEndpoint, FAULT_ENDPOINTS } from '../../../emulator/host/index.js';
import { codeOf, hostForFile } from './hostFixture.js';

const emu = hostForFile();

const postFault = async (body: unknown) => {
  const res = await fetch(`${emu.host.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as unknown };
};
const faultsNow = async () => ((await (await fetch(`${emu.host.url}/_emulator/faults`)).json()) as { faults: Record<string, unknown> }).faults;

describe('fault endpoints', () => {
  it('refuses an unknown endpoint with 400 E37, naming it and the known ones, and sets nothing', async () => {
    for (const endpoint of ['rewards/eran', '/api/v1/loyalty/rewards/earn', 'REWARDS', '']) {
      const r = await postFault({ endpoint, status: 503 });
      expect(r.status, endpoint).toBe(400);
      expect(codeOf(r.body), endpoint).toBe('E37');
      const message = (r.body as { error: { message: string } }).error.message;
      expect(message).toContain(`unknown fault endpoint ${JSON.stringify(endpoint)}`);
      for (const known of FAULT_ENDPOINTS) expect(message).toContain(known);
    }
    expect(await faultsNow()).toEqual({});
  });

  it('accepts every endpoint on the list', async () => {
    for (const endpoint of FAULT_ENDPOINTS) expect((await postFault({ endpoint, latencyMs: 1 })).status, endpoint).toBe(200);
    expect(Object.keys(await faultsNow()).sort()).toEqual([...FAULT_ENDPOINTS].sort());
    await fetch(`${emu.host.url}/_emulator/faults`, { method: 'DELETE' });
  });

  it('names only routes the host has (the host refuses to start with a route the list lacks)', () => {
    const routed = (endpoint: string) =>
      ['GET', 'POST'].some((method) => [`/api/v1/loyalty/${endpoint}`, `/${endpoint}`].some((url) => emu.host.app.hasRoute({ method, url })));
    expect(FAULT_ENDPOINTS.filter((e) => e !== '*' && !routed(e))).toEqual([]);
  });
});

describe('a host route without a fault endpoint', () => {
  it.each([
    ['/api/v1/loyalty/rewards/new-thing', true],
    ['/_emulatorX', true],
    ['/extra', true],
    ['/api/v1/loyalty/rewards', false],
    ['/api/v1/loyalty/accounts/', false],
    ['/api/v1/loyalty/rewards/redeem/:transactionId/reversal', false],
    ['/_emulator', false],
    ['/_emulator/faults', false],
  ])('%s is refused at start: %s', (url, refused) => {
    if (refused) expect(() => assertFaultEndpoint(url)).toThrow(`route ${url} has no fault endpoint: add it to FAULT_ENDPOINTS (faultEndpoints.ts)`);
    else expect(() => assertFaultEndpoint(url)).not.toThrow();
  });
});
