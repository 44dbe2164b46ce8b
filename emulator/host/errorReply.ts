import type { FastifyReply } from 'fastify';
import { errorBody } from '../../protocol/loyalty/index.js';
import { statusOf, type LoyaltyErrorCode } from '../../protocol/loyalty/index.js';

/** Sends the seed's error body for a catalog code, with the code's HTTP status (or `status`). */
export function sendError(reply: FastifyReply, code: LoyaltyErrorCode, message?: string, status?: number): FastifyReply {
  return reply.code(status ?? statusOf(code)).type('application/json').send(errorBody(code, message));
}
