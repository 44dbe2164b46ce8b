import type { MaskedPan } from '../../protocol/index.js';
import type {
  BurnPayload, EarnPayload, EarnReversalPayload, OfferRedeemPayload, OfferReversalPayload, OperationBody, OperationKind, OperationState, QueuedOperation,
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
  /** The operation this one depends on (an undo's or a reversal's original, schema 7), or null. */
  original_txn: string | null;
}

/** The public view of a row: masked PAN only, no card blob, no fingerprint. */
export function toQueuedOperation(row: OpRow): QueuedOperation {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    ...bodyOf(row),
    offline: row.offline === 1,
    state: row.state,
    maskedPan: row.card_masked as MaskedPan,
    attempts: row.attempts,
    lastError: row.last_error,
    deadReason: row.dead_reason,
    refusal: row.refusal,
    createdAt: row.created_at,
    nextDueAt: row.next_due_at,
    sentAt: row.sent_at,
    updatedAt: row.updated_at,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  };
}

/**
 * The row's kind and payload as one typed body. The payload column holds what
 * the queue itself wrote for that kind (checked when it was accepted), so it
 * is trusted here.
 */
function bodyOf(row: OpRow): OperationBody {
  const payload: unknown = JSON.parse(row.payload);
  switch (row.kind) {
    case 'earn':
      return { kind: row.kind, payload: payload as EarnPayload };
    case 'offer-redeem':
      return { kind: row.kind, payload: payload as OfferRedeemPayload };
    case 'burn':
      return { kind: row.kind, payload: payload as BurnPayload };
    case 'reversal':
      return { kind: row.kind, payload: payload as ReversalPayload };
    case 'refund':
      return { kind: row.kind, payload: payload as RefundPayload };
    case 'earn-reversal':
      return { kind: row.kind, payload: payload as EarnReversalPayload };
    case 'offer-reversal':
      return { kind: row.kind, payload: payload as OfferReversalPayload };
  }
}

/** Columns the list/inspect views read (never the blob). */
export const VIEW_COLUMNS =
  'id, transaction_id, kind, offline, state, card_fp, card_masked, X\'\' AS card_blob, payload, points, seq, attempts, last_error, dead_reason, result, created_at, next_due_at, sent_at, updated_at, pos_ref, refusal, original_txn';
