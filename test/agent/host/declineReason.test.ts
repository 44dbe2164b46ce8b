import { describe, expect, it } from 'vitest';
import { HostError, cardRefusalOf, declineReason } from '../../../agent/host/index.js';
import { responseError, transportError } from '../../../agent/host/restErrors.js';

const body = (code: string): unknown => ({ errors: [{ code, message: 'm' }], error: { code, message: 'm' } });

// The reasons are the POS API's and the metrics' words: these are the strings declineReason has always given.
describe('declineReason: the same reason for each host answer, read through its kind', () => {
  it.each([
    [404, 'L14', 'unknown-card', 'unknown-card'],
    [422, 'L54', 'expired-card', 'expired-card'],
    [422, 'L51', 'insufficient-points', 'insufficient-points'],
    [422, 'L30', 'stale-balance-enquiry', 'stale-balance-enquiry'],
    [400, '1013', 'invalid-identifier', 'invalid-identifier'],
    [409, '2020', 'duplicate', 'duplicate'],
    [404, 'L25', 'original-not-found', 'host-L25'],
    [409, 'L94', 'late-original-refused', 'host-L94'],
    [422, 'L13', 'over-reversal', 'host-L13'],
    [403, 'L58', 'wrong-terminal', 'host-L58'],
    [403, 'P58', 'wrong-terminal', 'host-P58'],
    [422, 'P54', 'offer-card-expired', 'host-P54'],
    [404, 'P14', 'offer-not-found', 'host-P14'],
    [409, 'P12', 'already-reversed', 'host-P12'],
    [422, 'P57', 'offer-unavailable', 'host-P57'],
    [400, 'E37', 'bad-request', 'host-E37'],
    [400, '10002', 'other', 'host-10002'],
    [404, 'X99', 'other', 'host-X99'],
  ])('REST %i %s → %s, %s', (status, code, refusal, reason) => {
    const err = responseError('burn', status, body(code));
    expect(err.refusal).toBe(refusal);
    expect(declineReason(err)).toBe(reason);
  });

  it.each([
    ['14', 'unknown-card', 'unknown-card'],
    ['54', 'expired-card', 'expired-card'],
    ['51', 'insufficient-points', 'insufficient-points'],
    ['94', 'duplicate', 'duplicate'],
    ['30', 'format-error', 'host-30'],
    ['25', 'original-not-found', 'host-25'],
    ['13', 'over-reversal', 'host-13'],
    ['58', 'wrong-terminal', 'host-58'],
    ['96', 'system-error', 'host-96'],
  ])('DE39 %s → %s, %s (a HostError built with the code alone reads it by its shape)', (code, refusal, reason) => {
    const err = new HostError('HOST_ERR_REJECTED', 'declined', { outcome: 'rejected', hostCode: code });
    expect(err.refusal).toBe(refusal);
    expect(declineReason(err)).toBe(reason);
  });

  it('falls back to host-<code> for the agent\'s own refusals and for failures without a host code', () => {
    const own = new HostError('HOST_ERR_REJECTED', 'offline burn too big', { outcome: 'rejected', hostCode: 'insufficient-points' });
    expect([own.refusal, declineReason(own)]).toEqual(['other', 'host-insufficient-points']);
    const bare = new HostError('HOST_ERR_REJECTED', 'REST-only', { outcome: 'rejected' });
    expect([bare.refusal, declineReason(bare)]).toEqual([undefined, 'host-HOST_ERR_REJECTED']);
    const timeout = transportError('burn', Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
    expect([timeout.refusal, declineReason(timeout)]).toEqual([undefined, 'host-HOST_ERR_TIMEOUT']);
  });

  it('an explicit kind wins over the code\'s shape', () => {
    const err = new HostError('HOST_ERR_REJECTED', 'declined', { outcome: 'rejected', hostCode: '30', refusal: 'stale-balance-enquiry' });
    expect(declineReason(err)).toBe('stale-balance-enquiry');
  });
});

describe('cardRefusalOf', () => {
  it.each([
    ['L14', 'unknown-card'],
    ['14', 'unknown-card'],
    ['L54', 'expired-card'],
    ['54', 'expired-card'],
    ['P54', undefined],
    ['L51', undefined],
    ['1013', undefined],
  ])('%s → %s', (hostCode, card) => {
    expect(cardRefusalOf(new HostError('HOST_ERR_REJECTED', 'no', { outcome: 'rejected', hostCode }))).toBe(card);
  });
});
