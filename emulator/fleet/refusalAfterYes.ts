/** Why the host refused, later, what a POS had heard as a yes: a short reason for the fleet's and the console's figures. */
export type RefusalAfterYes = 'unknown-card' | 'expired-card' | 'insufficient-points' | 'queue-expired' | 'other';

/** Every reason, in the order the figures list them. */
export const REFUSALS_AFTER_YES: readonly RefusalAfterYes[] = ['unknown-card', 'expired-card', 'insufficient-points', 'queue-expired', 'other'];

/** The fields of a dead queue item this reads (the agent's queue list, and `GET /v1/queue`). */
export interface DeadItem {
  /**
   * The host's refusal as the queue keeps it: a stable reason
   * (agent/host/declineReason.ts: `unknown-card`, `expired-card`,
   * `insufficient-points`, ..., `host-<code>` for any other), or null when
   * the item died of something else (its age, an unknown outcome).
   */
  refusal: string | null;
  /** Why it is dead: the forwarder's text, or `expired` for an item that outgrew the queue's age limit. */
  deadReason: string | null;
}

/**
 * The short reason of a dead-letter item, from the refusal the queue kept
 * for it (never from the text of its dead reason, except the queue's own
 * `expired`).
 */
export function refusalAfterYes(item: DeadItem): RefusalAfterYes {
  if (item.deadReason?.trim() === 'expired') return 'queue-expired';
  switch (item.refusal) {
    case 'unknown-card':
    case 'expired-card':
    case 'insufficient-points':
      return item.refusal;
    // The agent's own refusal of an offline burn the balance no longer covers (agent/forwarder/sendOperation.ts):
    // no host code reads as a kind, so declineReason keeps it as `host-insufficient-points`.
    case 'host-insufficient-points':
      return 'insufficient-points';
    default:
      return 'other';
  }
}
