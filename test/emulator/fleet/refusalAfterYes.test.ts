/**
 * The short reason of a dead-letter item the POS had heard as a yes, from
 * dead-reason texts written by hand in the forwarder's shape
 * (agent/queue/chainSender.ts describeSendError: "CODE status N host code X: message"),
 * over REST (L codes) and ISO 8583 (DE39), and the queue's own `expired`.
 */
import { describe, expect, it } from 'vitest';
import { refusalAfterYes } from '../../../emulator/fleet/refusalAfterYes.js';

describe('refusalAfterYes', () => {
  it.each([
    ['HOST_ERR_REJECTED status 404 host code L14: Card not enrolled', 'unknown-card'],
    ['HOST_ERR_REJECTED host code 14: 0210 DE39 14', 'unknown-card'],
    ['HOST_ERR_REJECTED status 422 host code L54: Expired card', 'expired-card'],
    ['HOST_ERR_REJECTED host code 54: expired card', 'expired-card'],
    ['HOST_ERR_REJECTED status 422 host code L51: Insufficient points', 'insufficient-points'],
    ['HOST_ERR_REJECTED host code 51: not sufficient funds', 'insufficient-points'],
    ['HOST_ERR_REJECTED host code insufficient-points: offline burn of 40 points exceeds the available balance', 'insufficient-points'],
    ['expired', 'queue-expired'],
    [' expired\n', 'queue-expired'],
  ] as const)('%j is %s', (text, reason) => {
    expect(refusalAfterYes(text)).toBe(reason);
  });

  it.each([
    'HOST_ERR_REJECTED status 400 host code 1013: Invalid identifier',
    'HOST_ERR_REJECTED status 422 host code L141: something new',
    'HOST_ERR_REJECTED status 422 host code 514: something else',
    'HOST_ERR_REJECTED status 409 host code L94: reversal seen first',
    'HOST_ERR_REJECTED status 422 host code L99: Expired card data', // the words alone are not the code
    'unknown-outcome',
    'rejected',
    '',
  ])('%j is other', (text) => {
    expect(refusalAfterYes(text)).toBe('other');
  });
});
