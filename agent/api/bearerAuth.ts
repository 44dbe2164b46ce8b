import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginCallback } from 'fastify';
import { apiErrorBody } from './apiError.js';

/** 401 codes: no `Authorization: Bearer` header, or a token that is not the agent's. */
export const TOKEN_REQUIRED_CODE = 'token-required';
export const TOKEN_INVALID_CODE = 'token-invalid';

export interface BearerAuthOptions {
  /** The token every route requires (from `api.tokenFile`, read once at start). */
  token: string;
  /** Route patterns answered without the token (`api.openRoutes`), e.g. `/v1/health`. */
  openRoutes: readonly string[];
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** `Bearer <token>` (the scheme in any case, RFC 7235); undefined for anything else. */
function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return m?.[1];
}

/**
 * Bearer-token authentication of the POS API (DESIGN.md, "Agent local POS
 * API"): every route but the open ones (and every unknown path, so routes
 * cannot be probed) needs `Authorization: Bearer <token>`. The token is
 * compared in constant time, on SHA-256 digests of equal length, so neither
 * its bytes nor its length leak through timing. A refusal is 401 with the
 * API's error body and `WWW-Authenticate` (RFC 6750); it runs before the body
 * is parsed, and neither the token nor what was sent is logged or echoed.
 * Register it with fastify-plugin so that it covers every route and the 404s.
 */
export const bearerAuth: FastifyPluginCallback<BearerAuthOptions> = (app, { token, openRoutes }, done) => {
  const expected = sha256(token);
  const open = new Set(openRoutes);
  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url;
    if (route !== undefined && open.has(route)) return;
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined) {
      req.log.warn({ code: TOKEN_REQUIRED_CODE }, 'POS API request refused');
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="pos-agent"')
        .send(apiErrorBody(TOKEN_REQUIRED_CODE, 'this route needs the header Authorization: Bearer <token>, with the token from the agent\'s api.tokenFile'));
    }
    if (!timingSafeEqual(sha256(presented), expected)) {
      req.log.warn({ code: TOKEN_INVALID_CODE }, 'POS API request refused');
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="pos-agent", error="invalid_token"')
        .send(apiErrorBody(TOKEN_INVALID_CODE, 'the bearer token is not this agent\'s; use the token in the agent\'s api.tokenFile (after a rotation, the new one)'));
    }
  });
  done();
};
