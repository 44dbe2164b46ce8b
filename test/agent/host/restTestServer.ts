import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

/** A minimal loopback stand-in for the loyalty host, for one concept per test. */
export interface TestHost {
  app: FastifyInstance;
  url: string;
  port: number;
  /** Every token request's Authorization header and body, in order. */
  tokenRequests: { authorization: string | undefined; body: string }[];
  close(): Promise<void>;
}

/**
 * Starts fastify on 127.0.0.1:0. `tokens` are handed out in order by
 * `POST /passport/oauth/token` (the last one repeats), each with `expiresIn`;
 * `tokenFailure` makes that endpoint answer with an error instead.
 */
export async function startTestHost(setup: (app: FastifyInstance) => void, opts: { tokens?: string[]; expiresIn?: number; tokenFailure?: { status: number; body: unknown } } = {}): Promise<TestHost> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const tokens = opts.tokens ?? ['tok-1'];
  const tokenRequests: TestHost['tokenRequests'] = [];
  app.post('/passport/oauth/token', async (req, reply) => {
    tokenRequests.push({ authorization: req.headers.authorization, body: String(req.body) });
    if (opts.tokenFailure) return reply.code(opts.tokenFailure.status).send(opts.tokenFailure.body);
    const token = tokens[Math.min(tokenRequests.length - 1, tokens.length - 1)];
    return { access_token: token, token_type: 'bearer', expires_in: opts.expiresIn ?? 43199, scope: 'profile' };
  });
  setup(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { app, url: `http://127.0.0.1:${address.port}`, port: address.port, tokenRequests, close: async () => { await app.close(); } };
}

/**
 * The DESIGN.md signature, computed here independently of the client:
 * base64(SHA-512(METHOD&percentEncode(fullUrl)&Timestamp&Nonce&clientId&clientSecret)),
 * with RFC 3986 percent-encoding (unreserved characters kept, everything else %XX upper-case).
 */
export function expectedSignature(method: string, fullUrl: string, timestamp: string, nonce: string, clientId: string, clientSecret: string): string {
  const enc = Array.from(Buffer.from(fullUrl, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
    })
    .join('');
  return createHash('sha512').update(`${method}&${enc}&${timestamp}&${nonce}&${clientId}&${clientSecret}`).digest('base64');
}

/** The full URL a request was sent to, as the host sees it. */
export function fullUrlOf(req: FastifyRequest, base: string): string {
  return base + req.url;
}

/** The seed's error body. */
export function seedError(code: string, message: string): { errors: { code: string; message: string }[]; error: { code: string; message: string } } {
  return { errors: [{ code, message }], error: { code, message } };
}
