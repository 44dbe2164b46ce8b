/**
 * The console's "yes, then refused by the host" view over hand-written queue
 * items: dead earnings and dead offline burns count, by reason in words;
 * other dead items (a direct burn, a reversal) and live ones do not.
 */
import { describe, expect, it } from 'vitest';
import { yesThenRefused, type DeadItemView } from '../../../emulator/console/yesThenRefused.js';

const item = (kind: string, state: string, deadReason: string | null, refusal: string | null, offline = false): DeadItemView => ({ kind, state, offline, deadReason, refusal });

describe('yesThenRefused', () => {
  it('counts the dead earnings and offline burns by why the host refused them', () => {
    const items = [
      item('earn', 'dead', 'HOST_ERR_REJECTED status 404 host code L14: Card not enrolled', 'unknown-card'),
      item('earn', 'dead', 'HOST_ERR_REJECTED host code 14: not enrolled', 'unknown-card'),
      item('burn', 'dead', 'HOST_ERR_REJECTED host code insufficient-points: offline burn of 40 points exceeds the available balance', 'host-insufficient-points', true),
      item('earn', 'dead', 'expired', null),
      item('earn', 'dead', 'HOST_ERR_REJECTED status 400 host code 1013: Invalid identifier', 'invalid-identifier'),
      item('burn', 'dead', 'unknown-outcome', null), // a direct burn: the POS heard no
      item('reversal', 'dead', 'HOST_ERR_REJECTED status 422 host code L54: Expired card', 'expired-card'),
      item('earn', 'pending', null, null),
      item('earn', 'done', null, null),
    ];
    expect(yesThenRefused(items)).toEqual({
      total: 5,
      byReason: [
        { words: 'The card is not in the loyalty programme', count: 2 },
        { words: 'Not enough points on the card', count: 1 },
        { words: 'It waited in the queue too long', count: 1 },
        { words: 'Another refusal (see the queue)', count: 1 },
      ],
    });
  });

  it('is empty for a queue with no dead item', () => {
    expect(yesThenRefused([item('earn', 'done', null, null)])).toEqual({ total: 0, byReason: [] });
  });
});
