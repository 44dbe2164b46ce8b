import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OffersError } from '../../../protocol/offers/index.js';
import { offersRefusal } from './offersRefusal.js';

/**
 * Error handler of the offers scope: an {@link OffersError} becomes its
 * status and seed-shaped body; fastify's body-parsing errors become E32 (bad
 * JSON), E14 (content type) or 413 `bad-request` (E37, too large), as the host's handler does
 * (E32 and E14 are the seed's own answers: no refusal kind answers them). Anything else is rethrown, so the host's own
 * error handler (the parent scope) deals with it as it does for every route.
 */
export function offersErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof OffersError) return reply.code(error.status).send(error.toBody());
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': {
      const e = new OffersError('E32');
      return reply.code(e.status).send(e.toBody());
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const e = new OffersError('E14', 'Content-Type must be application/json');
      return reply.code(e.status).send(e.toBody());
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const e = offersRefusal('bad-request', 'Request body is too large');
      return reply.code(413).send(e.toBody());
    }
    default:
      if (error instanceof SyntaxError) {
        const e = new OffersError('E32');
        return reply.code(e.status).send(e.toBody());
      }
      throw error;
  }
}
