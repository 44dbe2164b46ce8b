import type { CardRefusal } from '../../protocol/loyalty/index.js';
import { BALANCE_MAX_AGE_S, type StandInCode } from './standIn.js';

/**
 * Limits on burns approved while the host is unreachable (config `offline.*`).
 * Off by default: then every offline burn is refused and the POS gets `unavailable`.
 */
export interface OfflineLimits {
  /** Allow offline burns at all. Default false. */
  enabled: boolean;
  /** Most points one offline burn may debit. Default 0. */
  maxPointsPerTxn: number;
  /** Most points outstanding (offline burns not yet sent) at once. Default 0. */
  maxTotalPoints: number;
  /** Most offline burns outstanding at once. Default 0. */
  maxCount: number;
  /** Refuse new offline burns once the oldest outstanding one is older than this, seconds. Default 0. */
  maxAgeS: number;
  /** How long a card's last known balance (from an online balance or burn answer) may be stood in on, seconds. Default 86400. */
  balanceMaxAgeS?: number;
  /** Offline burns on a card with no known balance (never seen online here, or too long ago): `refuse` (default) or `allow`. */
  unknownCards?: 'allow' | 'refuse';
}

export const DEFAULT_OFFLINE_LIMITS: OfflineLimits = Object.freeze({
  enabled: false,
  maxPointsPerTxn: 0,
  maxTotalPoints: 0,
  maxCount: 0,
  maxAgeS: 0,
  balanceMaxAgeS: BALANCE_MAX_AGE_S,
  unknownCards: 'refuse',
});

/** Outstanding offline burns, as the queue counts them. */
export interface OfflineExposure {
  count: number;
  points: number;
  /** created_at of the oldest outstanding offline burn, epoch ms; null if none. */
  oldestCreatedAt: number | null;
}

/** Which rule refused an offline burn: one code per limit, plus "disabled" and "no points". */
export type OfflineRefusalCode =
  | 'offline-disabled'
  | 'offline-bad-points'
  | 'offline-over-per-txn'
  | 'offline-over-count'
  | 'offline-over-total'
  | 'offline-too-old'
  | StandInCode;

export interface OfflineRefusal {
  code: OfflineRefusalCode;
  /** For the log: the limit that refused it, in words. */
  message: string;
  /** The host would refuse the card itself: the POS hears `declined` with this reason (not `unavailable`). */
  decline?: CardRefusal;
}

/** Pure check: why a new offline burn of `points` is refused, or null when it fits. */
export function offlineRefusal(limits: OfflineLimits, exposure: OfflineExposure, points: number, now: number): OfflineRefusal | null {
  const no = (code: OfflineRefusalCode, message: string): OfflineRefusal => ({ code, message });
  if (!limits.enabled) return no('offline-disabled', 'offline burns are disabled');
  if (!Number.isSafeInteger(points) || points <= 0) return no('offline-bad-points', 'points must be a positive integer');
  if (points > limits.maxPointsPerTxn) return no('offline-over-per-txn', `over the per-transaction offline limit of ${limits.maxPointsPerTxn} points`);
  if (exposure.count + 1 > limits.maxCount) return no('offline-over-count', `over the offline count limit of ${limits.maxCount} burns`);
  if (exposure.points + points > limits.maxTotalPoints) return no('offline-over-total', `over the offline total limit of ${limits.maxTotalPoints} points`);
  if (exposure.oldestCreatedAt !== null && now - exposure.oldestCreatedAt > limits.maxAgeS * 1000) {
    return no('offline-too-old', `offline for longer than ${limits.maxAgeS} s`);
  }
  return null;
}
