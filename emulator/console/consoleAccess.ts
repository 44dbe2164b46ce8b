import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The stable codes of a request the console refuses. */
export const CONSOLE_ACCESS_CODES = {
  /** 403: the `Host` header is not a loopback name of the console (DNS rebinding). */
  host: 'console-host-refused',
  /** 403: the `Origin` header is another site's, not the console's own. */
  origin: 'console-origin-refused',
  /** 401: an `/api/*` request without `Authorization: Bearer <token>`. */
  tokenRequired: 'console-token-required',
  /** 401: an `/api/*` request with a token that is not this console's. */
  tokenInvalid: 'console-token-invalid',
} as const;

export type ConsoleAccessCode = (typeof CONSOLE_ACCESS_CODES)[keyof typeof CONSOLE_ACCESS_CODES];

/** The body of a refusal: the code, and what was missing in words (never the token, nor what was sent). */
export interface ConsoleRefusal {
  code: ConsoleAccessCode;
  error: string;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** `Bearer <token>` (the scheme in any case); undefined for anything else. */
function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return m?.[1];
}

/**
 * True for what needs no token: the page (`/`), its assets and `/favicon.ico`, spelled exactly, with no
 * percent-escape. Everything else needs the token, the API's routes and any path the router would decode to
 * one of them (`/%61pi/pos`), known or not (so routes cannot be probed): deny by default.
 */
function isOpen(url: string): boolean {
  const path = url.split('?')[0] ?? url;
  return path === '/' || path === '/favicon.ico' || /^\/assets\/[A-Za-z0-9._-]+$/.test(path);
}

function refuse(reply: FastifyReply, status: 401 | 403, code: ConsoleAccessCode, error: string): FastifyReply {
  if (status === 401) reply.header('www-authenticate', `Bearer realm="pos-console"${code === CONSOLE_ACCESS_CODES.tokenInvalid ? ', error="invalid_token"' : ''}`);
  const body: ConsoleRefusal = { code, error };
  return reply.code(status).send(body);
}

/**
 * Who may use the console server, checked on every request before anything else:
 * - a `Host` header other than `127.0.0.1[:port]` or `localhost[:port]`: 403 (DNS rebinding);
 * - an `Origin` header other than the console's own (`http://127.0.0.1:<port>` or
 *   `http://localhost:<port>`, the port it listens on): 403, so no other site's page drives it;
 * - every path but the page's own needs `Authorization: Bearer <token>`, the token the served page
 *   carries; without it 401: the `/api/*` routes (the card operations, the reader, the host switch,
 *   the faults, and the live views of `GET /api/events`, which show balances and masked cards),
 *   however their path is spelled, and unknown paths. The token is compared in constant time
 *   (SHA-256 digests of equal length).
 * The page itself (`/`), its assets and `/favicon.ico`, spelled exactly, need no token.
 */
export function consoleAccess(app: FastifyInstance, token: string): void {
  const expected = sha256(token);
  const port = (): number => {
    const addr = app.server.address();
    return typeof addr === 'object' && addr !== null ? addr.port : 0;
  };
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const name = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    if (name !== '127.0.0.1' && name !== 'localhost') {
      return refuse(reply, 403, CONSOLE_ACCESS_CODES.host, 'loopback only: the Host header must be 127.0.0.1 or localhost');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port()}` && origin !== `http://localhost:${port()}`) {
      return refuse(reply, 403, CONSOLE_ACCESS_CODES.origin, `the Origin header must be the console's own (http://127.0.0.1:${port()}); another site's page may not use the console`);
    }
    if (isOpen(req.url)) return;
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined) {
      return refuse(reply, 401, CONSOLE_ACCESS_CODES.tokenRequired, 'this console route needs the header Authorization: Bearer <token>, with the token of the page the console serves (its meta pos-console-token)');
    }
    if (!timingSafeEqual(sha256(presented), expected)) {
      return refuse(reply, 401, CONSOLE_ACCESS_CODES.tokenInvalid, 'the bearer token is not this console\'s: the console makes a new one each start; reload the page');
    }
  });
}
