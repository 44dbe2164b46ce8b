import { describe, expect, it } from 'vitest';
import { responseError, transportError } from '../../../agent/host/restErrors.js';

const withCode = (code: string): Error => Object.assign(new Error(`boom ${code}`), { code });

describe('transportError: never sent vs sent without an answer', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'HOST_ERR_CONNECT', 'not-sent'],
    ['ECONNREFUSED', 'HOST_ERR_CONNECT', 'not-sent'],
    ['ENOTFOUND', 'HOST_ERR_CONNECT', 'not-sent'],
    ['EHOSTUNREACH', 'HOST_ERR_CONNECT', 'not-sent'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'HOST_ERR_CONNECT', 'not-sent'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'HOST_ERR_CONNECT', 'not-sent'],
    ['UND_ERR_HEADERS_TIMEOUT', 'HOST_ERR_TIMEOUT', 'unknown'],
    ['UND_ERR_BODY_TIMEOUT', 'HOST_ERR_TIMEOUT', 'unknown'],
    ['UND_ERR_SOCKET', 'HOST_ERR_TIMEOUT', 'unknown'],
    ['ECONNRESET', 'HOST_ERR_TIMEOUT', 'unknown'],
    ['EPIPE', 'HOST_ERR_TIMEOUT', 'unknown'],
    ['HPE_INVALID_CONSTANT', 'HOST_ERR_PROTOCOL', 'unknown'],
    ['SOMETHING_NEW', 'HOST_ERR_TIMEOUT', 'unknown'],
  ])('%s → %s / %s', (code, want, outcome) => {
    const e = transportError('burn', withCode(code));
    expect(e.code).toBe(want);
    expect(e.outcome).toBe(outcome);
    expect(e.message).toContain(code);
  });

  it('looks into cause for the code', () => {
    expect(transportError('earn', new Error('wrapped', { cause: withCode('ECONNREFUSED') })).outcome).toBe('not-sent');
  });
});

describe('responseError: status and host code → outcome', () => {
  const body = (code: string): unknown => ({ errors: [{ code, message: 'm' }], error: { code, message: 'm' } });
  it.each([
    [422, body('L51'), 'HOST_ERR_REJECTED', 'rejected', 'L51'],
    [404, body('L14'), 'HOST_ERR_REJECTED', 'rejected', 'L14'],
    [409, body('2020'), 'HOST_ERR_REJECTED', 'rejected', '2020'],
    [400, body('E32'), 'HOST_ERR_REJECTED', 'rejected', 'E32'],
    [401, body('E26'), 'HOST_ERR_AUTH', 'failed', 'E26'],
    [403, body('E28'), 'HOST_ERR_AUTH', 'failed', 'E28'],
    [408, undefined, 'HOST_ERR_SERVER', 'failed', undefined],
    [429, body('E34'), 'HOST_ERR_SERVER', 'failed', 'E34'],
    [500, body('L96'), 'HOST_ERR_SERVER', 'failed', 'L96'],
    [503, body('E18'), 'HOST_ERR_SERVER', 'failed', 'E18'],
    [502, undefined, 'HOST_ERR_SERVER', 'unknown', undefined],
    [504, body('E20'), 'HOST_ERR_SERVER', 'unknown', 'E20'],
    [401, { code: 'Unauthorized', description: 'Bad credentials', errors: null }, 'HOST_ERR_AUTH', 'failed', 'Unauthorized'],
  ])('HTTP %i %j → %s / %s', (status, b, code, outcome, hostCode) => {
    const e = responseError('op', status, b);
    expect(e).toMatchObject({ code, outcome, status, hostCode });
  });

  it('masks a PAN the host echoed in its message', () => {
    const e = responseError('burn', 422, { errors: [], error: { code: 'L51', message: 'card 6280000000000016 has too few points' } });
    expect(e.message).not.toContain('6280000000000016');
    expect(e.message).toContain('628000******0016');
  });
});
