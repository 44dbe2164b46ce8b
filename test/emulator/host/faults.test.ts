import { describe, expect, it } from 'vitest';
import { balanceOf, card, codeOf, hostPerTest, MERCHANT, TERMINAL } from './hostFixture.js';

const emu = hostPerTest();
const { api } = emu;

const faults = async (method: 'GET' | 'POST' | 'DELETE', body?: unknown) => {
  const res = await fetch(`${emu.host.url}/_emulator/faults`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as { faults: Record<string, unknown> } };
};
const entries = async () => ((await (await fetch(`${emu.host.url}/_emulator/ledger`)).json()) as { entries: { transactionId: string }[] }).entries;
const happy = card('happy');
const cardHeaders = () => ({ merchantId: MERCHANT, terminalId: TERMINAL, PAN: happy.pan, expiryDate: happy.expiry });
const earnBody = (id: string) => ({ merchantId: MERCHANT, terminalId: TERMINAL, pan: happy.pan, expiryDate: happy.expiry, transactionId: id, amount: '100' });

describe('/_emulator/faults', () => {
  it('x-emulator-fault sets a fault for that one request only', async () => {
    await emu.start();
    const failed = await api({ path: `/api/v1/loyalty/rewards?timeStamp=20260101120000&transactionId=h1`, headers: { ...cardHeaders(), 'x-emulator-fault': '{"status":503}' } });
    expect(failed.status).toBe(503);
    expect(codeOf(failed.body)).toBe('E34');
    await expect(api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: earnBody('h2'), headers: { 'x-emulator-fault': '{"commitThenDrop":true}' } })).rejects.toThrow();
    expect((await entries()).map((e) => e.transactionId)).toEqual(['h2']);
    expect((await balanceOf(api, happy)).status).toBe(200); // the next request is not faulted
    const bad = await api({ path: '/api/v1/loyalty/transactions', headers: { 'x-emulator-fault': '{"status":99}' } });
    expect(bad.status).toBe(400);
    expect(codeOf(bad.body)).toBe('E37');
    expect((await faults('GET')).body).toEqual({ faults: {} });
  });

  it('a status fault answers every request with that status and an error body until cleared', async () => {
    await emu.start();
    expect((await faults('POST', { status: 503 })).body).toEqual({ faults: { '*': { status: 503 } } });
    const r = await balanceOf(api, happy);
    expect(r.status).toBe(503);
    expect(codeOf(r.body)).toBe('E34');
    expect((await faults('GET')).body).toEqual({ faults: { '*': { status: 503 } } });
    expect((await faults('DELETE')).body).toEqual({ faults: {} });
    expect((await balanceOf(api, happy)).status).toBe(200);
  });

  it('a per-endpoint drop closes the connection without applying; other endpoints work', async () => {
    await emu.start();
    await faults('POST', { endpoint: 'rewards/earn', drop: true });
    await expect(api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: earnBody('d1') })).rejects.toThrow();
    expect(await entries()).toEqual([]);
    expect((await balanceOf(api, happy)).status).toBe(200);
  });

  it('commitThenDrop applies the earn and closes the connection', async () => {
    await emu.start();
    await faults('POST', { endpoint: 'rewards/earn', commitThenDrop: true });
    await expect(api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: earnBody('c1') })).rejects.toThrow();
    expect((await entries()).map((e) => e.transactionId)).toEqual(['c1']);
    await faults('POST', { clear: true });
    const retry = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: earnBody('c1') });
    expect(retry.status).toBe(200);
    expect(await entries()).toHaveLength(1);
  });

  it('latency holds matching requests; an endpoint fault wins over "*"', async () => {
    await emu.start();
    await faults('POST', { latencyMs: 600_000 });
    await faults('POST', { endpoint: 'transactions', status: 500 });
    let settled = false;
    const held = balanceOf(api, happy).finally(() => { settled = true; }).catch(() => undefined);
    const other = await api({ path: '/api/v1/loyalty/transactions' });
    expect(other.status).toBe(500);
    expect(codeOf(other.body)).toBe('L96');
    expect(settled).toBe(false);
    await emu.host.close();
    await held;
  });

  it('rejects an invalid fault with 400 E37', async () => {
    await emu.start();
    const r = await faults('POST', { status: 200 });
    expect(r.status).toBe(400);
    expect(codeOf(r.body)).toBe('E37');
    expect((await faults('POST', { latency: 5 })).status).toBe(400);
  });
});
