import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errorReply.js';
import { LedgerError } from './ledger/index.js';

/**
 * The host's error handler: every failure leaves as the seed's error body.
 * - {@link LedgerError}: its catalog code and status;
 * - malformed or empty JSON (including prototype-poisoning keys): 400 E32;
 * - a body over the limit: 413 E37; an unsupported Content-Type: 415 E14;
 * - any other 4xx from fastify: that status, E37;
 * - anything else: 500 L96, logged (the log line carries no request data).
 */
export function hostErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof LedgerError) return sendError(reply, error.code, error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 'E32');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 'E37', 'Request body is too large', 413);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 'E14', 'Content-Type must be application/json', 415);
    default:
      break;
  }
  if (error instanceof SyntaxError) return sendError(reply, 'E32');
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return sendError(reply, 'E37', undefined, status);
  req.log.error({ err: { name: error.name, code: error.code } }, 'host request failed');
  return sendError(reply, 'L96');
}
