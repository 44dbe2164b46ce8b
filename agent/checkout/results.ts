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

export interface EarningResult {
  status: 'accepted';
  transactionId: string;
  /** False when the host has it already; true when it waits in the durable queue (host offline, slow, or refusing: see GET /v1/queue). */
  queued: boolean;
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

export interface CheckoutResult {
  reference: string;
  card: CardView;
  amount: number;
  offer: OfferStep;
  redemption: RedemptionResult | null;
  earning: EarningResult | null;
  /** What the customer still pays, minor units: amount − discount − points debited (1 point = 1 minor unit). */
  amountDue: number;
}
