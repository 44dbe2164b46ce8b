import type { CardRef, Mandate } from '../host/hostClient.js';
import type { MaskedPan } from '../../protocol/pan.js';

export type OperationKind = 'earn' | 'burn' | 'reversal' | 'offer-redeem';
export type OperationState = 'pending' | 'sending' | 'done' | 'dead';

export const OPERATION_STATES: readonly OperationState[] = ['pending', 'sending', 'done', 'dead'];

export interface EarnPayload {
  /** Purchase amount, minor units. */
  amount: number;
  /** Local time of the sale, YYYYMMDDhhmmss. */
  timeStamp: string;
  /** The POS's own reference for the sale, kept for tracing. */
  reference?: string;
}

export interface OfferRedeemPayload {
  cardOfferId: string;
  /** Purchase amount, minor units. */
  amount: number;
  reference?: string;
}

/** A burn: offline ones carry only `points`; online (direct) ones also the balance's rewardTrxId and the mandates. */
export interface BurnPayload {
  points: number;
  rewardTrxId?: string;
  mandates?: Mandate[];
  reference?: string;
}

export interface ReversalPayload {
  /** The burn being reversed. */
  originalTransactionId: string;
}

export type PayloadOf<K extends OperationKind> = K extends 'earn'
  ? EarnPayload
  : K extends 'offer-redeem'
    ? OfferRedeemPayload
    : K extends 'burn'
      ? BurnPayload
      : ReversalPayload;

export type OperationPayload = EarnPayload | OfferRedeemPayload | BurnPayload | ReversalPayload;

/** What `enqueue` accepts: the kinds that always queue. */
export type EnqueueInput =
  | { kind: 'earn'; card: CardRef; payload: EarnPayload; transactionId?: string }
  | { kind: 'offer-redeem'; card: CardRef; payload: OfferRedeemPayload; transactionId?: string };

/** A queued operation as the queue shows it: the PAN only masked, never in the clear. */
export interface QueuedOperation {
  /** Record id (local, increasing). */
  id: number;
  /** The host idempotency key, fixed at creation and reused by every retry. */
  transactionId: string;
  kind: OperationKind;
  /** True for a burn approved offline (sent later by the forwarder). */
  offline: boolean;
  state: OperationState;
  maskedPan: MaskedPan;
  payload: OperationPayload;
  attempts: number;
  lastError: string | null;
  /** Why it is dead (`expired`, `unknown-outcome`, the host's refusal...). */
  deadReason: string | null;
  /** Epoch ms. */
  createdAt: number;
  nextDueAt: number;
  /** When a burn was (first) put on the wire, epoch ms; null if never. */
  sentAt: number | null;
  updatedAt: number;
}

/** An operation claimed for sending, with its card opened. Lives in memory only while being sent. */
export interface ClaimedOperation extends QueuedOperation {
  card: CardRef;
  cardFp: string;
  seq: number;
}

/** Persistent counters kept in the same transactions as the state changes they count. */
export interface QueueCounters {
  accepted: number;
  sent: number;
  retried: number;
  dead: number;
  expired: number;
}

export interface QueueStats {
  pending: number;
  sending: number;
  done: number;
  dead: number;
  counters: QueueCounters;
  /** Age of the oldest pending or sending item, seconds (0 if none). */
  oldestPendingAgeS: number;
  offline: { count: number; points: number };
  /** accepted === pending + sending + done + dead. */
  invariantHolds: boolean;
}

/** How a claimed item ended, applied in one transaction by `settle`. */
export type Settlement =
  | { id: number; outcome: 'done'; result?: unknown }
  | { id: number; outcome: 'dead'; reason: string; expired?: boolean }
  | { id: number; outcome: 'retry'; error: string; dueAt: number; clearSent?: boolean }
  | { id: number; outcome: 'release' }
  | { id: number; outcome: 'unknown'; reason: string };
