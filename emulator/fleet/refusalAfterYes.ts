/** Why the host refused, later, what a POS had heard as a yes: a short reason for the fleet's and the console's figures. */
export type RefusalAfterYes = 'unknown-card' | 'expired-card' | 'insufficient-points' | 'queue-expired' | 'other';

/** Every reason, in the order the figures list them. */
export const REFUSALS_AFTER_YES: readonly RefusalAfterYes[] = ['unknown-card', 'expired-card', 'insufficient-points', 'queue-expired', 'other'];

/**
 * The short reason of a dead-letter item's dead reason. The text is the
 * forwarder's (agent/queue/chainSender.ts: describeSendError, e.g.
 * "HOST_ERR_REJECTED status 422 host code L54: Expired card", or
 * "HOST_ERR_REJECTED host code 14: ..." on the ISO 8583 link, where the host
 * code is DE39), or `expired` for an item that outgrew the queue's age limit.
 */
export function refusalAfterYes(deadReason: string): RefusalAfterYes {
  const text = deadReason.trim();
  if (text === 'expired') return 'queue-expired';
  const hostCode = /\bhost code (\S+?):?(?:\s|$)/.exec(text)?.[1];
  switch (hostCode) {
    case 'L14':
    case '14':
      return 'unknown-card';
    case 'L54':
    case '54':
      return 'expired-card';
    case 'L51':
    case '51':
    case 'insufficient-points':
      return 'insufficient-points';
  }
  return /\binsufficient-points\b/.test(text) ? 'insufficient-points' : 'other';
}
