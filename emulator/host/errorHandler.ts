import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, sendRefusal } from './errorReply.js';
import { LedgerError } from './ledger/index.js';

/**
 * The host's error handler: every failure leaves as the seed's error body.
 * - {@link LedgerError}: its catalog code and status;
 * - malformed or empty JSON (including prototype-poisoning keys): 400 E32;
 * - a body over the limit: 413 `bad-request` (E37); an unsupported Content-Type: 415 E14;
 * - any other 4xx from fastify: that status, `bad-request` (E37);
 * - anything else: 500 `system-error` (L96), logged (the log line carries no request data).
 * E32 and E14 are the seed's own answers for those two failures: the refusal
 * table has no kind that answers them (both read back as `bad-request`).
 */
export function hostErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof LedgerError) return sendError(reply, error.code, error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 'E32');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendRefusal(reply, 'bad-request', 'Request body is too large', 413);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 'E14', 'Content-Type must be application/json', 415);
    default:
      break;
  }
  if (error instanceof SyntaxError) return sendError(reply, 'E32');
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return sendRefusal(reply, 'bad-request', undefined, status);
  req.log.error({ err: { name: error.name, code: error.code } }, 'host request failed');
  return sendRefusal(reply, 'system-error');
}
