import type { CardRef } from '../../protocol/index.js';
import type { Mandate, ReturnShare } from '../../protocol/loyalty/index.js';
import type { MaskedPan } from '../../protocol/index.js';

export type OperationKind = OperationBody['kind'];
/** `abandoned`: never left the terminal (a direct send refused before any byte went out); not a dead-letter item. */
export type OperationState = 'pending' | 'sending' | 'done' | 'dead' | 'abandoned';

export const OPERATION_STATES: readonly OperationState[] = ['pending', 'sending', 'done', 'dead', 'abandoned'];

export interface EarnPayload {
  /** Purchase amount, minor units. */
  amount: number;
  /** Local time of the sale, YYYYMMDDhhmmss. */
  timeStamp: string;
}

export interface OfferRedeemPayload {
  cardOfferId: string;
  /** Purchase amount, minor units. */
  amount: number;
  /** The offer's minimum spend, minor units (0: none): a return that leaves less undoes the redemption. */
  minSpend?: number;
}

/**
 * A burn. A direct (online) one is written while its balance call is in
 * flight, with what a reversal needs (its transactionId, the card, the
 * points): it is never resent, so it keeps no rewardTrxId or mandates. An
 * offline one holds only `points` until it is put on the wire: then its
 * request's rewardTrxId and mandates are kept, so that a resend repeats it
 * to the letter.
 */
export interface BurnPayload {
  points: number;
  rewardTrxId?: string;
  mandates?: Mandate[];
}

export interface ReversalPayload {
  /** The burn being reversed. */
  originalTransactionId: string;
  /** When the burn was put on the wire, epoch ms: "original not found" is not final while it could still land. */
  originalSentAt?: number;
}

/** Points given back on a burn of a sale (a return or void). `originalTransactionId`: the burn. */
export interface RefundPayload {
  originalTransactionId: string;
  points: number;
}

/**
 * Points taken back from an earn of a sale (a return or void). Without
 * `share`, all the earn has left; with it, the share of the earn's points
 * (known once the earn is done: the host's `earnedPoints`) that the returned
 * goods carried, worked out when it is sent.
 */
export interface EarnReversalPayload {
  originalTransactionId: string;
  /** Worked out when the earn was done at the time of the return: the points to take back and what the earn keeps. */
  part?: { points: number; kept: number };
  /** The share still to work out (the earn was not done yet). Neither `part` nor `share`: all the earn has left. */
  share?: ReturnShare;
}

/** Undoes the offer redemption of a sale. `originalTransactionId`: the offer-redeem operation (its answer names the redemption). */
export interface OfferReversalPayload {
  originalTransactionId: string;
  /** The host's redemption id, when the redemption was done at the time of the return (else read from it when sent). */
  redemptionId?: string;
}

/** An operation's kind with the payload of that kind: narrowing on `kind` types `payload`. */
export type OperationBody =
  | { kind: 'earn'; payload: EarnPayload }
  | { kind: 'offer-redeem'; payload: OfferRedeemPayload }
  | { kind: 'burn'; payload: BurnPayload }
  | { kind: 'reversal'; payload: ReversalPayload }
  | { kind: 'refund'; payload: RefundPayload }
  | { kind: 'earn-reversal'; payload: EarnReversalPayload }
  | { kind: 'offer-reversal'; payload: OfferReversalPayload };

/** The kinds that undo part of a sale (returns and voids). */
export type UndoKind = 'refund' | 'earn-reversal' | 'offer-reversal';

/** The final states: an operation in one of them is never sent again (unless a technician revives a dead one). */
export type FinalState = 'done' | 'dead' | 'abandoned';

/** The POS operation (its idempotency key) an operation belongs to, recorded in the same transaction. */
export interface PosRef {
  reference: string;
  kind: PosOperationKind;
  /** The POS request's body, canonical JSON without timeoutMs: a retry with another body is a conflict. */
  body: string;
}

export type PosOperationKind = 'redemption' | 'earning' | 'checkout' | 'void' | 'return';

/** The POS operations a void or a return may undo. */
export type SaleKind = 'redemption' | 'earning' | 'checkout';

/** A void or return as recorded against its sale, in the same transaction as its operations. */
export interface SaleUndo {
  /** The void's or return's own POS reference. */
  reference: string;
  /** The sale's POS reference. */
  saleReference: string;
  kind: 'void' | 'return';
  /** Minor units of the sale it covers (a void: all that was left). */
  amount: number;
  createdAt: number;
}

/** A POS reference as recorded: the operations it started and, once final, the answer the POS was given. */
export interface PosRefRecord extends PosRef {
  /** Its operations in id order (the order they were recorded): the rows whose `pos_ref` names it, the one link. */
  opIds: number[];
  /** The POS answer, once recorded; null while it runs, or when a crash came between the operation and its answer. */
  answer: unknown;
  createdAt: number;
}

/** What `enqueue` accepts: the kinds that always queue. */
export type EnqueueInput =
  | { kind: 'earn'; card: CardRef; payload: EarnPayload; transactionId?: string; ref?: PosRef }
  | { kind: 'offer-redeem'; card: CardRef; payload: OfferRedeemPayload; transactionId?: string; ref?: PosRef }
  | UndoInput;

/** An operation that undoes part of a sale, as `enqueueUndo` accepts it (a void's burn: the burn's own reversal). */
export type UndoInput =
  | { kind: 'reversal'; card: CardRef; payload: ReversalPayload; transactionId?: string; ref?: PosRef }
  | { kind: 'refund'; card: CardRef; payload: RefundPayload; transactionId?: string; ref?: PosRef }
  | { kind: 'earn-reversal'; card: CardRef; payload: EarnReversalPayload; transactionId?: string; ref?: PosRef }
  | { kind: 'offer-reversal'; card: CardRef; payload: OfferReversalPayload; transactionId?: string; ref?: PosRef };

/** The fields every queued operation has, whatever its kind. */
export interface OperationRecord {
  /** Record id (local, increasing). */
  id: number;
  /** The host idempotency key, fixed at creation and reused by every retry. */
  transactionId: string;
  /** The POS reference (idempotency key of the POS request) this operation belongs to, or null (stored once: `ops.pos_ref`). */
  reference: string | null;
  /** True for a burn approved offline (sent later by the forwarder). */
  offline: boolean;
  state: OperationState;
  maskedPan: MaskedPan;
  attempts: number;
  lastError: string | null;
  /** Why it is dead or abandoned (`expired`, `unknown-outcome`, the host's refusal, `not-sent`...). */
  deadReason: string | null;
  /**
   * The host's refusal of a dead operation as a stable reason (`unknown-card`, `expired-card`,
   * `insufficient-points`, ...; see declineReason), or null: it died of something else (age, an unknown outcome).
   */
  refusal: string | null;
  /** A direct burn whose answer never came: dead, it may have applied, and its reversal is queued (rule 3). */
  unknownOutcome: boolean;
  /** Epoch ms. */
  createdAt: number;
  nextDueAt: number;
  /** When a burn was (first) put on the wire, epoch ms; null if never. */
  sentAt: number | null;
  updatedAt: number;
}

/** What a host's answer says of one account after the operation (a burn's `balance`, an earn's `availableBalance`). */
export interface AccountAfter {
  accountId?: string;
  accountType?: string;
  balance?: number;
  availableBalance?: number;
  debit?: number;
}

/** A done undo with nothing to send: its original never reached the host, or (`nothingLeft`) left nothing of it to take. */
export interface NothingToUndo {
  nothingToUndo: true;
  nothingLeft?: true;
}

/** A resend the host refused as a duplicate of its earlier attempt, which it had applied (no answer of its own to keep). */
export interface DuplicateOfEarlierAttempt {
  duplicateOfEarlierAttempt: true;
}

/**
 * What the store keeps of the host's answer to a done operation, per kind
 * (the host client's result, or the agent's own note of an undo with nothing to send).
 */
export interface OperationResults {
  earn: { rewardTrxId?: string; accounts?: AccountAfter[]; earnedPoints?: number } | DuplicateOfEarlierAttempt;
  'offer-redeem': { redemptionId: string; type: 'discount' | 'cashback'; benefit: number } | DuplicateOfEarlierAttempt;
  burn: { rewardTrxId?: string; accounts?: AccountAfter[] } | DuplicateOfEarlierAttempt;
  reversal: { reversed: boolean } | DuplicateOfEarlierAttempt;
  refund: { points?: number; remaining?: number } | NothingToUndo | DuplicateOfEarlierAttempt;
  'earn-reversal': { points?: number; remaining?: number } | NothingToUndo | DuplicateOfEarlierAttempt;
  'offer-reversal': { redemptionId: string; benefit: number } | NothingToUndo | DuplicateOfEarlierAttempt;
}

/** The result kept for any kind. */
export type OperationResult = OperationResults[OperationKind];

/**
 * A queued operation as the queue shows it: the PAN only masked, never in the
 * clear; narrowing on `kind` types its `payload` and its `result` (the host's
 * answer once done; null before, or when it was not kept).
 */
export type QueuedOperation = OperationRecord & KeptBody;

/** An operation's kind with its payload and its kept result. */
export type KeptBody = { [K in OperationKind]: Extract<OperationBody, { kind: K }> & { result: OperationResults[K] | null } }[OperationKind];

/** An operation claimed for sending, with its card opened. Lives in memory only while being sent. */
export type ClaimedOperation = QueuedOperation & {
  card: CardRef;
  cardFp: string;
  seq: number;
};

/** Persistent counters kept in the same transactions as the state changes they count. */
export interface QueueCounters {
  accepted: number;
  sent: number;
  retried: number;
  dead: number;
  expired: number;
  abandoned: number;
  /** Done and abandoned operations deleted by retention (`queue.retainDoneS`); they still count as accepted. */
  pruned: number;
}

export interface QueueStats {
  pending: number;
  sending: number;
  done: number;
  dead: number;
  abandoned: number;
  counters: QueueCounters;
  /** Age of the oldest pending or sending item, seconds (0 if none). */
  oldestPendingAgeS: number;
  offline: { count: number; points: number };
  /** accepted === pending + sending + done + dead + abandoned + counters.pruned. */
  invariantHolds: boolean;
}

/** How a claimed item ended, applied in one transaction by `settle`. */
export type Settlement =
  | {
      id: number;
      outcome: 'done';
      result?: OperationResult;
      /** When the host's answer came, epoch ms (default: the settle's time): an older answer never overwrites a newer one in the card memory. */
      answeredAt?: number;
      /**
       * The answer to a resend, which the host may replay from the first attempt: its balance may be older than what
       * the card memory holds, so it may only lower it.
       */
      replayed?: boolean;
    }
  | { id: number; outcome: 'dead'; reason: string; expired?: boolean; refusal?: string; unknownOutcome?: boolean }
  | { id: number; outcome: 'retry'; error: string; dueAt: number }
  | { id: number; outcome: 'abandoned'; reason: string }
  | { id: number; outcome: 'release' };
