import type { Logger } from 'pino';
import { HostError, type HostClient } from '../host/hostClient.js';
import { maskPanLike } from '../../protocol/pan.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { ClaimedOperation, Settlement } from './queueTypes.js';
import { sendOperation } from './sendOperation.js';

/** What a run of sends added up to (FlushResult). */
export interface Tally {
  sent: number;
  failed: number;
  dead: number;
}

/** What sendChain needs from the forwarder. */
export interface ChainContext {
  host: HostClient;
  backoff: BackoffOptions;
  maxAgeMs: number;
  now: () => number;
  random: () => number;
  log: Logger | undefined;
  /** False stops a background chain between items (the rest is released). */
  keepGoing: () => boolean;
  setOnline: (online: boolean) => void;
  /** Makes an offline burn's send durable just before its burn request. */
  markSent: (id: number) => void;
  /** Commits outcomes now (a burn's outcome is never left in memory). */
  commit: (items: Settlement[]) => void;
}

/**
 * Sends one card's claimed items in order and returns their outcomes (to be
 * settled by the caller). A host refusal dead-letters the item and goes on; a
 * retryable failure schedules a retry with backoff and releases the rest of
 * the chain; a burn whose answer never came gets 'unknown' (reversal).
 */
export async function sendChain(ctx: ChainContext, chain: readonly ClaimedOperation[], tally: Tally): Promise<Settlement[]> {
  const out: Settlement[] = [];
  let i = 0;
  try {
    for (; i < chain.length; i++) {
      const op = chain[i] as ClaimedOperation;
      if (!ctx.keepGoing()) break;
      if (ctx.now() - op.createdAt > ctx.maxAgeMs) {
        out.push({ id: op.id, outcome: 'dead', reason: 'expired', expired: true });
        tally.dead++;
        ctx.log?.warn({ id: op.id, kind: op.kind }, 'queued operation expired');
        continue;
      }
      let burnSent = false;
      try {
        const result = await sendOperation(ctx.host, op, () => {
          ctx.markSent(op.id);
          burnSent = true;
        });
        out.push({ id: op.id, outcome: 'done', result });
        tally.sent++;
        ctx.setOnline(true);
        if (op.kind === 'burn') ctx.commit(out.splice(0));
      } catch (err) {
        const outcome = err instanceof HostError ? err.outcome : 'failed';
        const why = describeSendError(err);
        if (outcome === 'rejected') {
          out.push({ id: op.id, outcome: 'dead', reason: why });
          tally.dead++;
          ctx.setOnline(true);
          ctx.log?.warn({ id: op.id, kind: op.kind, err: why }, 'queued operation rejected: dead-letter');
          if (op.kind === 'burn') ctx.commit(out.splice(0));
          continue;
        }
        tally.failed++;
        if (op.kind === 'burn' && burnSent && outcome !== 'not-sent' && outcome !== 'failed') {
          out.push({ id: op.id, outcome: 'unknown', reason: why });
          ctx.log?.warn({ id: op.id, err: why }, 'offline burn outcome unknown: reversal queued');
        } else {
          const dueAt = ctx.now() + backoffDelay(op.attempts + 1, ctx.backoff, ctx.random());
          out.push({ id: op.id, outcome: 'retry', error: why, dueAt, clearSent: op.kind === 'burn' });
        }
        i++;
        if (outcome === 'not-sent' || outcome === 'unknown') ctx.setOnline(false);
        else if (outcome === 'failed' && err instanceof HostError) ctx.setOnline(true);
        break;
      }
    }
  } finally {
    for (let j = i; j < chain.length; j++) out.push({ id: (chain[j] as ClaimedOperation).id, outcome: 'release' });
    if (chain.some((op) => op.kind === 'burn')) ctx.commit(out.splice(0));
  }
  return out;
}

/** A one-line reason for the queue's last_error / dead_reason, with anything PAN-like masked. */
export function describeSendError(err: unknown): string {
  if (err instanceof HostError) {
    const parts = [err.code, err.status === undefined ? '' : `status ${err.status}`, err.hostCode === undefined ? '' : `host code ${err.hostCode}`];
    return maskPanLike(`${parts.filter(Boolean).join(' ')}: ${err.message}`).slice(0, 500);
  }
  return maskPanLike(err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);
}
