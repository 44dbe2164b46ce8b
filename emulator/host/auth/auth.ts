import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_SKEW_S, NONCE_RE, SIGNATURE_METHOD, signRequest } from '../../../protocol/loyalty/index.js';
import type { LoyaltyErrorCode } from '../../../protocol/loyalty/index.js';
import type { Clock } from '../clock.js';
import { sendError } from '../errorReply.js';
import type { NonceCache } from './nonceCache.js';
import type { ClientCredentials, TokenStore } from './tokenStore.js';

export interface AuthDeps {
  tokens: TokenStore;
  nonces: NonceCache;
  clock: Clock;
  /** The server's own scheme, used to rebuild the URL the client signed. */
  scheme: 'http' | 'https';
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};

/** The client a request was authenticated as (set by the hook). */
const clients = new WeakMap<FastifyRequest, ClientCredentials>();

/** The authenticated client of a request that passed {@link createAuthHook}. */
export function authenticatedClient(req: FastifyRequest): ClientCredentials | undefined {
  return clients.get(req);
}

/**
 * The URL the client signed, rebuilt as `<server scheme>://<Host header><raw
 * request target>` (path and query exactly as they came on the request line).
 */
export function signedUrl(req: FastifyRequest, scheme: 'http' | 'https'): string {
  return `${scheme}://${req.headers.host ?? req.host}${req.raw.url ?? req.url}`;
}

/**
 * Fastify preHandler that authenticates a loyalty or terminal-offers request.
 * Checks, in this order, each failing with 401 and the seed's code:
 *
 * 1. E22: no `Authorization: Bearer <token>`, or a token that is unknown or
 *    expired (tokens live 43199 s by the host clock);
 * 2. E23: no `Nonce` header, or one that is not 32 hex characters;
 * 3. E29: no `Timestamp` header, or one that is not Unix seconds (digits); a
 *    run of digits too long to be a time is a time far off: E24, like any skew;
 *    this must come before E24, which needs the timestamp;
 * 4. E24: `Timestamp` more than 30 minutes from the host clock;
 * 5. E25: the nonce was used before, within its window;
 * 6. E26: `SignatureMethod` is not SHA512 or `Signature` does not match
 *    base64(SHA-512(METHOD&percentEncode(url)&Timestamp&Nonce&clientId&clientSecret)).
 *
 * A nonce is recorded only once the signature is good, so a forged request
 * cannot burn a legitimate client's nonce.
 */
export function createAuthHook(deps: AuthDeps): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (req, reply) => {
    const fail = (code: LoyaltyErrorCode): FastifyReply => sendError(reply, code);
    const authz = header(req, 'authorization');
    const token = authz?.startsWith('Bearer ') ? authz.slice(7).trim() : undefined;
    const issued = token ? deps.tokens.lookup(token) : undefined;
    if (!issued) return fail('E22');
    const nonce = header(req, 'nonce');
    if (!nonce || !NONCE_RE.test(nonce)) return fail('E23');
    const ts = header(req, 'timestamp');
    if (!ts || !/^[0-9]+$/.test(ts)) return fail('E29');
    const tsMs = ts.length > 12 ? Number.POSITIVE_INFINITY : Number(ts) * 1000;
    if (!(Math.abs(deps.clock() - tsMs) <= MAX_SKEW_S * 1000)) return fail('E24');
    if (deps.nonces.has(nonce)) return fail('E25');
    const expected = signRequest({
      method: req.method,
      url: signedUrl(req, deps.scheme),
      timestamp: ts,
      nonce,
      clientId: issued.client.clientId,
      clientSecret: issued.client.clientSecret,
    });
    if (header(req, 'signaturemethod')?.toUpperCase() !== SIGNATURE_METHOD || header(req, 'signature') !== expected) return fail('E26');
    deps.nonces.add(nonce, tsMs + MAX_SKEW_S * 1000);
    clients.set(req, issued.client);
    return undefined;
  };
}
