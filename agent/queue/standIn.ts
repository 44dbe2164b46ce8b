import { isExpired, type Yymm } from '../../protocol/index.js';
import type { CardStanding } from './cardMemory.js';
import type { OfflineLimits, OfflineRefusal } from './offlineLimits.js';

/** How long a card's last known balance is stood in on when `offline.balanceMaxAgeS` is not set, seconds. */
export const BALANCE_MAX_AGE_S = 86_400;

/** Why the offline stand-in refuses a card: what the terminal knows of it says the host would. */
export type StandInCode = 'offline-expired-card' | 'offline-card-refused' | 'offline-over-known-balance' | 'offline-card-not-seen';

/**
 * Whether the host would refuse the card itself, as far as the terminal can
 * tell with the host away (DESIGN.md, "Offline stand-in"): its expiry has
 * passed by the terminal's clock, or the host refused it online (unknown,
 * expired) and has not answered for it since. Applies to offline burns and
 * offline earnings alike. Null: nothing known against it.
 */
export function cardStandInRefusal(expiry: Yymm, standing: CardStanding, now: number): OfflineRefusal | null {
  if (isExpired(expiry, new Date(now))) {
    return { code: 'offline-expired-card', message: 'the card has expired by the terminal clock', decline: 'expired-card' };
  }
  if (standing.refusal) {
    const { reason } = standing.refusal;
    return { code: 'offline-card-refused', message: `the host refused this card while online (${reason})`, decline: reason };
  }
  return null;
}

/**
 * The balance an offline burn of `points` stands in on: the card's last
 * known balance, no older than `offline.balanceMaxAgeS`, less its pending
 * debits (offline burns and earn reversals not yet applied by the host, and
 * direct burns whose outcome is still unknown; rule 9). A card with no
 * such balance gets offline burns only with `offline.unknownCards: allow`.
 * Null: the burn fits.
 */
export function balanceStandInRefusal(
  limits: Pick<OfflineLimits, 'balanceMaxAgeS' | 'unknownCards'>,
  standing: CardStanding,
  pendingDebits: number,
  points: number,
  now: number,
): OfflineRefusal | null {
  const maxAgeS = limits.balanceMaxAgeS ?? BALANCE_MAX_AGE_S;
  const known = standing.balance !== null && now - standing.balance.at <= maxAgeS * 1000 ? standing.balance : null;
  if (known === null) {
    if (limits.unknownCards === 'allow') return null;
    return {
      code: 'offline-card-not-seen',
      message: `no balance of this card is known on this terminal from the last ${maxAgeS} s (offline.unknownCards: refuse)`,
    };
  }
  if (pendingDebits + points > known.points) {
    return {
      code: 'offline-over-known-balance',
      message: `over the card's last known balance less what the host will still take (${Math.max(0, known.points - pendingDebits)} points)`,
    };
  }
  return null;
}
