import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { balanceOf, card, codeOf, hostForFile } from './hostFixture.js';

const emu = hostForFile();
const { api } = emu;

describe('malformed and hostile requests', () => {
  it.each([
    ['truncated JSON', '{"redemptionMandates": ['],
    ['trailing garbage', '{"a":1} x'],
    ['single quotes', "{'a':1}"],
    ['NUL bytes', '\u0000\u0000'],
    ['empty body', ''],
    ['prototype poisoning', '{"__proto__":{"admin":true}}'],
  ])('%s → 400 E32', async (_n, body) => {
    const r = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ code: 'E32', message: 'JSON data is badly formatted' }], error: { code: 'E32', message: 'JSON data is badly formatted' } });
  });

  it.each([
    ['an array', []],
    ['a string', 'just text'],
    ['null', null],
    ['a number', 42],
    ['deeply nested', JSON.parse('['.repeat(2000) + ']'.repeat(2000)) as unknown],
    ['wrong types everywhere', { rewardTrxId: { $gt: '' }, transactionId: [1], redemptionMandates: { 0: 1 } }],
  ])('valid JSON of the wrong shape (%s) → 400 with an error body', async (_n, body) => {
    const r = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body: JSON.stringify(body) });
    expect(r.status).toBe(400);
    expect(['E37', 'E32']).toContain(codeOf(r.body));
  });

  it('an oversize body gets 413 with the error body', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(200 * 1024) });
    const r = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: big });
    expect(r.status).toBe(413);
    expect(codeOf(r.body)).toBe('E37');
  });

  it('an unsupported content type gets 415 E14', async () => {
    const r = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: '<xml/>', headers: { 'content-type': 'application/xml' } });
    expect(r.status).toBe(415);
    expect(codeOf(r.body)).toBe('E14');
  });

  it('an unknown route gets 404 with the error body', async () => {
    const r = await request(`${emu.host.url}/api/v1/loyalty/nothing-here`);
    expect(r.statusCode).toBe(404);
    expect(codeOf(await r.body.json())).toBe('E16');
  });

  it('survives all of it: a normal request still works', async () => {
    expect((await balanceOf(api, card('happy'))).status).toBe(200);
  });

  it('headers over 16 KiB get 431 with the seed error body, not a bare status line', async () => {
    const r = await request(`${emu.host.url}/api/v1/loyalty/rewards`, { headers: { 'x-big': 'a'.repeat(60 * 1024) } });
    expect(r.statusCode).toBe(431);
    expect(await r.body.json()).toEqual({ errors: [{ code: 'E37', message: expect.stringContaining('too large') }], error: { code: 'E37', message: expect.stringContaining('too large') } });
  });
});
