import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { CheckoutError } from '../checkout/index.js';
import { QueueError, STORAGE_ERROR_CODES } from '../queue/index.js';
import { apiErrorBody } from './apiError.js';
import { firstIssue } from './requestSchemas.js';

/**
 * Every failure of the POS API leaves here, in the host's error shape
 * ({@link apiErrorBody}):
 * - a request its route schema refuses: 400 E37 naming the first bad field;
 * - malformed JSON: 400 E32; an empty body: 400 E37; a body over the limit: 413 E37; another Content-Type: 415 E14;
 * - a queue that cannot be written or read: 503 with its storage code (nothing was accepted that was not written);
 * - a second card operation: 409 `reader-busy`; a reference reused with another body: 409 `reference-conflict`;
 *   a retry past its budget while the first call runs: 409 `operation-in-progress`;
 * - anything else: 500 E21, logged.
 */
export function apiErrorHandler(log: Logger) {
  return (err: FastifyError, _req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(400).send(apiErrorBody('E37', firstIssue(err.validation)));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
      return reply.code(400).send(apiErrorBody('E32', 'JSON data is badly formatted'));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(apiErrorBody('E14', 'send the body as application/json'));
    }
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(400).send(apiErrorBody('E37', 'the request body is empty; send a JSON object'));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(apiErrorBody('E37', 'the request body is too large'));
    }
    if (err instanceof QueueError && STORAGE_ERROR_CODES.has(err.code)) {
      // Nothing was accepted or approved that was not written: the POS may retry once the store is back.
      return reply.code(503).send(apiErrorBody(err.code, err.message));
    }
    if (err instanceof CheckoutError && err.code === 'CHECKOUT_ERR_BUSY') {
      return reply.code(409).send(apiErrorBody('reader-busy', err.message));
    }
    if (err instanceof CheckoutError && err.code === 'CHECKOUT_ERR_REFERENCE_CONFLICT') {
      return reply.code(409).send(apiErrorBody('reference-conflict', err.message));
    }
    if (err instanceof CheckoutError && err.code === 'CHECKOUT_ERR_IN_PROGRESS') {
      return reply.code(409).send(apiErrorBody('operation-in-progress', err.message));
    }
    log.error({ err }, 'request failed');
    return reply.code(500).send(apiErrorBody('E21', 'internal error; see the agent log'));
  };
}
