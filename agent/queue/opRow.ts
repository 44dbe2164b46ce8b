import type { MaskedPan } from '../../protocol/index.js';
import type {
  BurnPayload, EarnPayload, EarnReversalPayload, OfferRedeemPayload, OfferReversalPayload, KeptBody, OperationKind, OperationResults, OperationState, QueuedOperation,
  RefundPayload, ReversalPayload,
} from './queueTypes.js';

/** A row of the `ops` table as better-sqlite3 returns it. */
export interface OpRow {
  id: number;
  transaction_id: string;
  kind: OperationKind;
  offline: number;
  state: OperationState;
  card_fp: string;
  card_masked: string;
  card_blob: Buffer;
  payload: string;
  points: number;
  seq: number;
  attempts: number;
  last_error: string | null;
  dead_reason: string | null;
  result: string | null;
  created_at: number;
  next_due_at: number;
  sent_at: number | null;
  updated_at: number;
  /** The POS reference the operation belongs to (schema 3), or null. */
  pos_ref: string | null;
  /** A dead operation's refusal by the host as a stable reason (schema 7), or null. */
  refusal: string | null;
  /** 1 for a direct burn whose answer never came (schema 8), else 0. */
  unknown_outcome: number;
  /** The operation this one depends on (an undo's or a reversal's original, schema 7), or null. */
  original_txn: string | null;
}

/** The public view of a row: masked PAN only, no card blob, no fingerprint. */
export function toQueuedOperation(row: OpRow): QueuedOperation {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    reference: row.pos_ref,
    ...kept(row),
    offline: row.offline === 1,
    state: row.state,
    maskedPan: row.card_masked as MaskedPan,
    attempts: row.attempts,
    lastError: row.last_error,
    deadReason: row.dead_reason,
    refusal: row.refusal,
    unknownOutcome: row.unknown_outcome === 1,
    createdAt: row.created_at,
    nextDueAt: row.next_due_at,
    sentAt: row.sent_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The row's kind, payload and result, typed by kind. The payload and result
 * columns hold what the queue itself wrote for that kind (the payload checked
 * when it was accepted, the result the host client's typed answer), so they
 * are trusted here.
 */
function kept(row: OpRow): KeptBody {
  const payload: unknown = JSON.parse(row.payload);
  const result: unknown = row.result === null ? null : JSON.parse(row.result);
  switch (row.kind) {
    case 'earn':
      return { kind: row.kind, payload: payload as EarnPayload, result: result as OperationResults['earn'] | null };
    case 'offer-redeem':
      return { kind: row.kind, payload: payload as OfferRedeemPayload, result: result as OperationResults['offer-redeem'] | null };
    case 'burn':
      return { kind: row.kind, payload: payload as BurnPayload, result: result as OperationResults['burn'] | null };
    case 'reversal':
      return { kind: row.kind, payload: payload as ReversalPayload, result: result as OperationResults['reversal'] | null };
    case 'refund':
      return { kind: row.kind, payload: payload as RefundPayload, result: result as OperationResults['refund'] | null };
    case 'earn-reversal':
      return { kind: row.kind, payload: payload as EarnReversalPayload, result: result as OperationResults['earn-reversal'] | null };
    case 'offer-reversal':
      return { kind: row.kind, payload: payload as OfferReversalPayload, result: result as OperationResults['offer-reversal'] | null };
  }
}

/** Columns the list/inspect views read (never the blob). */
export const VIEW_COLUMNS =
  'id, transaction_id, kind, offline, state, card_fp, card_masked, X\'\' AS card_blob, payload, points, seq, attempts, last_error, dead_reason, result, created_at, next_due_at, sent_at, updated_at, pos_ref, refusal, original_txn, unknown_outcome';
