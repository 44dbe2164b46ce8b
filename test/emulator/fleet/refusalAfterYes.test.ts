/**
 * The short reason of a dead-letter item the POS had heard as a yes, from
 * dead items written by hand: the dead-reason text in the forwarder's shape
 * (agent/forwarder/chainSender.ts describeSendError: "CODE status N host code X: message"),
 * over REST (L codes) and ISO 8583 (DE39), with the refusal the queue keeps for
 * it (agent/host/declineReason.ts), and the queue's own `expired`.
 */
import { describe, expect, it } from 'vitest';
import { refusalAfterYes } from '../../../emulator/fleet/refusalAfterYes.js';

describe('refusalAfterYes', () => {
  it.each([
    ['HOST_ERR_REJECTED status 404 host code L14: Card not enrolled', 'unknown-card', 'unknown-card'],
    ['HOST_ERR_REJECTED host code 14: 0210 DE39 14', 'unknown-card', 'unknown-card'],
    ['HOST_ERR_REJECTED status 422 host code L54: Expired card', 'expired-card', 'expired-card'],
    ['HOST_ERR_REJECTED host code 54: expired card', 'expired-card', 'expired-card'],
    ['HOST_ERR_REJECTED status 422 host code L51: Insufficient points', 'insufficient-points', 'insufficient-points'],
    ['HOST_ERR_REJECTED host code 51: not sufficient funds', 'insufficient-points', 'insufficient-points'],
    ['HOST_ERR_REJECTED host code insufficient-points: offline burn of 40 points exceeds the available balance', 'host-insufficient-points', 'insufficient-points'],
    ['expired', null, 'queue-expired'],
    [' expired\n', null, 'queue-expired'],
  ] as const)('%j (refusal %j) is %s', (text, refusal, reason) => {
    expect(refusalAfterYes({ deadReason: text, refusal })).toBe(reason);
  });

  it.each([
    ['HOST_ERR_REJECTED status 400 host code 1013: Invalid identifier', 'invalid-identifier'],
    ['HOST_ERR_REJECTED status 422 host code L141: something new', 'host-L141'],
    ['HOST_ERR_REJECTED status 422 host code 514: something else', 'host-514'],
    ['HOST_ERR_REJECTED status 409 host code L94: reversal seen first', 'host-L94'],
    ['HOST_ERR_REJECTED status 422 host code L99: Expired card data', 'host-L99'], // the words alone are not the code
    ['unknown-outcome', null],
    ['rejected', null],
    ['', null],
  ] as const)('%j (refusal %j) is other', (text, refusal) => {
    expect(refusalAfterYes({ deadReason: text, refusal })).toBe('other');
  });
});
