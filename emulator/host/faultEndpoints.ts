/**
 * Every endpoint a host fault can name: a route path without its leading `/api/v1/loyalty/` (or `/`), or `*`
 * for all of them. The ISO 8583 link faults its flows under the same names (`rewards` is 0100, `rewards/redeem`
 * 0200, `rewards/earn` 0220, `rewards/redeem/:transactionId/reversal` and
 * `rewards/earn/:transactionId/reversal` the 0420s, `rewards/redeem/:transactionId/refund` the refund's 0200 with
 * processing code 20). `/_emulator/*` is never
 * faulted.
 *
 * The one list: the fault API refuses any other name (400 E37), and the fault hook, the ISO server, the fleet's
 * chaos schedule, the counter and the console take their names from it. This file imports nothing, so the
 * console's page (a browser bundle) can import it without the host.
 */
export const FAULT_ENDPOINTS = [
  '*',
  'passport/oauth/token',
  'rewards',
  'rewards/redeem',
  'rewards/earn',
  'rewards/redeem/:transactionId/reversal',
  'rewards/redeem/:transactionId/refund',
  'rewards/earn/:transactionId/reversal',
  'transactions',
  'accounts',
  'products',
  'accounts/:accountId/products',
  'offers',
  'persons',
  'cards',
  'cards/:id/offers',
  'terminal/offers',
  'terminal/offers/redeem',
  'terminal/offers/redemptions/:redemption_id/reversal',
] as const;

/** One of {@link FAULT_ENDPOINTS}. */
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

const KNOWN: ReadonlySet<string> = new Set(FAULT_ENDPOINTS);

/** True when `name` is one of {@link FAULT_ENDPOINTS}. */
export function isFaultEndpoint(name: string): name is FaultEndpoint {
  return KNOWN.has(name);
}
