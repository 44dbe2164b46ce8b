import type { FastifyReply } from 'fastify';
import { errorBody, restCodeOf, statusOf, type LoyaltyErrorCode, type RefusalKind } from '../../protocol/loyalty/index.js';

/** Sends the seed's error body for a catalog code, with the code's HTTP status (or `status`). */
export function sendError(reply: FastifyReply, code: LoyaltyErrorCode, message?: string, status?: number): FastifyReply {
  return reply.code(status ?? statusOf(code)).type('application/json').send(errorBody(code, message));
}

/**
 * Sends the refusal `kind` as the loyalty REST API answers it (protocol/loyalty's
 * refusal table, read in reverse): its code's error body and HTTP status (or `status`).
 * A kind that API never says is a programming error: it throws.
 */
export function sendRefusal(reply: FastifyReply, kind: RefusalKind, message?: string, status?: number): FastifyReply {
  const answer = restCodeOf(kind);
  if (answer === undefined) throw new TypeError(`the loyalty REST API has no code for the refusal kind ${kind}`);
  return sendError(reply, answer.code, message, status ?? answer.status);
}
