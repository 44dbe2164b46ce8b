import type { IdentifierKind } from '../../protocol/loyalty/index.js';
import type { MaskedPan } from '../../protocol/index.js';
import type { RewardAccount } from '../../protocol/loyalty/index.js';

/** How a card shows in a response: masked, never the PAN. */
export interface CardView {
  pan: MaskedPan;
  kind: IdentifierKind;
}

export type RedemptionStatus = 'approved' | 'declined' | 'unavailable' | 'timeout';

export interface RedemptionResult {
  status: RedemptionStatus;
  /** The burn's id; for a decline before any burn, the balance enquiry's id. */
  transactionId: string;
  card?: CardView;
  /** Points debited (0 unless approved). */
  debited: number;
  /** Points left after the burn; null when not known (offline approval, no answer). */
  balanceAfter: number | null;
  /** True for an offline approval that waits in the queue. */
  queued?: boolean;
  /** Why it was not approved, as a stable code (e.g. `insufficient-points`, `unknown-card`, `host-unreachable`). */
  reason?: string;
}

/**
 * An earning: `accepted` once it is durable, or `declined` with the host's
 * reason. When the host answers within the POS deadline the POS hears its
 * word: credited (`queued: false`) or refused (`unknown-card`,
 * `expired-card`, ...). "Accepted, queued" is only for work the host has not
 * answered yet. With the host away, a card the offline stand-in knows the
 * host would refuse (expired by the terminal's clock, refused online) is
 * declined at once, and nothing is queued.
 */
export type EarningResult = EarningAccepted | EarningDeclined;

export interface EarningAccepted {
  status: 'accepted';
  transactionId: string;
  /** False when the host has it already; true when it waits in the durable queue (host offline or slow: see GET /v1/queue). */
  queued: boolean;
  card?: CardView;
}

export interface EarningDeclined {
  status: 'declined';
  /** The earning's id; empty when the stand-in declined it before anything was written. */
  transactionId: string;
  reason: string;
  card?: CardView;
}

export interface BalanceView {
  status: 'ok' | 'declined' | 'unavailable' | 'timeout';
  card?: CardView;
  accounts: RewardAccount[];
  reason?: string;
}

export type OfferStatus = 'applied' | 'available' | 'none' | 'declined' | 'unavailable';

export interface OfferStep {
  status: OfferStatus;
  cardOfferId?: string;
  displayText?: string;
  type?: 'discount' | 'cashback';
  benefit: number;
  redemptionId?: string;
  transactionId?: string;
  reason?: string;
}

/**
 * A checkout's earning that could not be written (the store refused it: a full disk) after the checkout's burn or
 * offer had already gone through at the host. Nothing of it is queued: the POS may record the earning later.
 */
export interface EarningNotRecorded {
  status: 'unavailable';
  reason: 'not-recorded';
}

export const EARNING_NOT_RECORDED: EarningNotRecorded = { status: 'unavailable', reason: 'not-recorded' };

export interface CheckoutResult {
  reference: string;
  card: CardView;
  amount: number;
  offer: OfferStep;
  redemption: RedemptionResult | null;
  earning: EarningResult | EarningNotRecorded | null;
  /** What the customer still pays, minor units: amount − discount − points debited (1 point = 1 minor unit). */
  amountDue: number;
}

/** One step of a void or return at the host: points given back (refund) or taken back (earn reversal). */
export interface UndoStep {
  /**
   * `done`: the host has it; `queued`: it waits in the durable queue (host away, or the original is still
   * queued); `refused`: the host refused it (see GET /v1/queue); `none`: nothing to undo for this step.
   */
  status: 'done' | 'queued' | 'refused' | 'none';
  transactionId?: string;
  /** Points given or taken back; null while the host has not yet said how many the earn credited. */
  points: number | null;
  reason?: string;
}

/** The offer's part in a void or return. */
export interface OfferUndo {
  /**
   * `reversed` (the host undid the redemption) or `queued` (it will); `kept`: the redemption stands (the goods
   * kept still meet its minimum spend); `already-reversed`: an earlier return undid it; `refused`; `none`: no offer.
   */
  status: 'reversed' | 'queued' | 'kept' | 'already-reversed' | 'refused' | 'none';
  transactionId?: string;
  /** Minor units of the discount or cashback the POS takes back from the customer's refund now. */
  clawBack: number;
  reason?: string;
}

export type UndoStatus = 'accepted' | 'declined' | 'unavailable' | 'timeout';

/** The answer to POST /v1/voids and POST /v1/returns. */
export interface UndoResult {
  status: UndoStatus;
  kind: 'void' | 'return';
  reference: string;
  originalReference: string;
  card?: CardView;
  /** Minor units of the sale this covers (a void: all that was left). */
  amount: number;
  /** Minor units of the sale still returnable after it; null in an answer rebuilt after a crash. */
  remaining: number | null;
  /** Points given back on the sale's burn. */
  refund: UndoStep;
  /** Points taken back from the sale's earning. */
  earnReversal: UndoStep;
  offer: OfferUndo;
  /** True when some step waits in the durable queue. */
  queued: boolean;
  /** Why it was not accepted, a stable code (`sale-not-found`, `return-exceeds-sale`, `card-mismatch`...). */
  reason?: string;
}
