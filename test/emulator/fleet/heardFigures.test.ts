/**
 * The fleet's figures of what the POS heard, over hand-built steps and
 * dead-letter items (dead reason and kept refusal), with every expected count written out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { HeardStep } from '../../../emulator/fleet/fleetTerminal.js';
import { heardFigures } from '../../../emulator/fleet/heardFigures.js';
import type { DeadItem } from '../../../emulator/fleet/refusalAfterYes.js';

const step = (kind: HeardStep['kind'], status: string, transactionId: string, reason?: string): HeardStep => ({
  terminalId: '30000000',
  reference: `30000000-${transactionId || 'x'}`,
  kind,
  status,
  transactionId,
  ...(reason ? { reason } : {}),
});

const steps: HeardStep[] = [
  step('burn', 'approved', 'B1'), // online: the host has it
  step('burn', 'approved', 'B2'), // offline, refused later: points spent meanwhile
  step('burn', 'approved', 'B3'), // offline, refused later: queue age
  step('burn', 'declined', 'B4', 'insufficient-points'),
  step('burn', 'declined', 'B5', 'insufficient-points'),
  step('burn', 'declined', 'B6', 'unknown-card'),
  step('burn', 'unavailable', 'B7', 'host-unreachable'),
  step('burn', 'timeout', '', 'no-card'),
  step('earn', 'accepted', 'E1'),
  step('earn', 'accepted', 'E2'), // refused later: unknown card (REST)
  step('earn', 'accepted', 'E3'), // refused later: unknown card (ISO 8583)
  step('earn', 'accepted', 'E4'), // refused later: expired card
  step('earn', 'accepted', 'E5'), // refused later: something else
  step('offer', 'applied', 'O1'),
  step('offer', 'declined', 'O2', 'expired-card'),
  step('offer', 'none', ''),
];
/** A dead item as the queue keeps it: the forwarder's dead reason and the refusal (agent/host/declineReason.ts). */
const dead = (deadReason: string, refusal: string | null): DeadItem => ({ deadReason, refusal });
const deadLettered = new Map([
  ['B2', dead('HOST_ERR_REJECTED host code insufficient-points: offline burn of 40 points exceeds the available balance', 'host-insufficient-points')],
  ['B3', dead('expired', null)],
  ['E2', dead('HOST_ERR_REJECTED status 404 host code L14: Card not enrolled', 'unknown-card')],
  ['E3', dead('HOST_ERR_REJECTED host code 14: not enrolled', 'unknown-card')],
  ['E4', dead('HOST_ERR_REJECTED status 422 host code L54: Expired card', 'expired-card')],
  ['E5', dead('HOST_ERR_REJECTED status 400 host code 1013: Invalid identifier', 'invalid-identifier')],
  ['B4', dead('HOST_ERR_REJECTED status 422 host code L51: Insufficient points', 'insufficient-points')], // not a yes: never counted as refused after one
]);

describe('heardFigures', () => {
  const f = heardFigures(steps, deadLettered);

  it('counts every step by kind, status and reason', () => {
    expect(f.outcomes).toEqual({
      'burn approved': 3,
      'burn declined:insufficient-points': 2,
      'burn declined:unknown-card': 1,
      'burn unavailable:host-unreachable': 1,
      'burn timeout:no-card': 1,
      'earn accepted': 5,
      'offer applied': 1,
      'offer declined:expired-card': 1,
      'offer none': 1,
    });
  });

  it('counts the no answers alone: declined, unavailable, timeout', () => {
    expect(f.refusals).toEqual({
      'burn declined:insufficient-points': 2,
      'burn declined:unknown-card': 1,
      'burn unavailable:host-unreachable': 1,
      'burn timeout:no-card': 1,
      'offer declined:expired-card': 1,
    });
  });

  it('counts the yes answers, and those the host refused later by short reason', () => {
    expect(f.yesAnswers).toBe(9); // 3 approved burns, 5 accepted earnings, 1 applied offer
    expect(f.refusedAfterYes).toEqual({
      total: 6,
      byReason: { 'unknown-card': 2, 'expired-card': 1, 'insufficient-points': 1, 'queue-expired': 1, other: 1 },
    });
  });

  it('gives zeros, every reason present, for a run with nothing', () => {
    expect(heardFigures([], new Map())).toEqual({
      outcomes: {},
      refusals: {},
      yesAnswers: 0,
      refusedAfterYes: { total: 0, byReason: { 'unknown-card': 0, 'expired-card': 0, 'insufficient-points': 0, 'queue-expired': 0, other: 0 } },
    });
  });
});
