import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { TokenFailure, TokenResponse } from '../../../protocol/loyalty/index.js';
import { finish } from '../faults.js';
import { TOKEN_TTL_S, type TokenStore } from '../auth/index.js';
import { asRecord } from './fields.js';

const BAD_CREDENTIALS: TokenFailure = { code: 'Unauthorized', description: 'Bad credentials', errors: null };

/** Parses `Basic base64(client_id:secret)`. */
function basic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const text = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon <= 0 ? undefined : { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

/**
 * `POST /passport/oauth/token`: Basic client credentials and the form body
 * `grant_type=client_credentials`. Bad credentials → 401 with the seed's
 * failure body; a missing or other grant_type → 400 in the same shape.
 */
export const tokenRoute: FastifyPluginCallbackZod<{ tokens: TokenStore }> = (app, deps, done) => {
  app.post('/passport/oauth/token', async (req, reply) => {
    const creds = basic(req.headers.authorization);
    const issued = creds ? deps.tokens.issue(creds.id, creds.secret) : undefined;
    if (!issued) return finish(req, reply, 401, BAD_CREDENTIALS);
    const grant = asRecord(req.body).grant_type;
    if (grant !== 'client_credentials') {
      return finish(req, reply, 400, { code: 'BadRequest', description: 'grant_type must be client_credentials', errors: null });
    }
    const body: TokenResponse = {
      access_token: issued.token,
      token_type: 'bearer',
      expires_in: TOKEN_TTL_S,
      scope: 'profile',
      merchant_code: 'MX10003',
      requestor_id: '123588975884',
      client_name: issued.client.clientId.slice(0, 6),
      payable_id: '359854',
      jti: issued.jti,
    };
    return finish(req, reply, 200, body);
  });
  done();
};
