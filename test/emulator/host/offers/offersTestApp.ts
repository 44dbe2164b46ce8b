import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { request } from 'undici';
import type { Writable } from 'node:stream';
import { DEFAULT_FIXTURES, type Fixtures } from '../../../../emulator/host/fixtures.js';
import { registerOffers, type OffersHandle, type OffersWebhookConfig } from '../../../../emulator/host/offers/index.js';

/** The token the test auth hook accepts. */
export const TEST_TOKEN = 'test-token';

/** A stand-in for the host's signature check: a bearer token, 401 / E22 otherwise. */
export async function testAuth(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (req.headers.authorization !== `Bearer ${TEST_TOKEN}`) {
    const item = { code: 'E22', message: 'Access key has not been supplied.' };
    await reply.code(401).send({ errors: [item], error: item });
  }
}

export interface TestAppOptions {
  dbFile?: string;
  fixtures?: Fixtures;
  now?: () => Date;
  webhook?: OffersWebhookConfig;
  /** Where fastify's logs go (default: none). */
  logStream?: Writable;
}

/** An answer body as these tests read it: the fields the offers API and `/_emulator/webhooks` answer with. */
export interface AnswerBody {
  [field: string]: unknown;
  error?: { code: string; message: string };
  errors?: { code: string; message: string }[];
  offers?: { card_offer_id: string }[];
  attempts?: { attempt: number; status: number }[];
  deliveries?: { state: string }[];
}

export interface TestApp {
  app: FastifyInstance;
  db: Database.Database;
  handle: OffersHandle;
  url: string;
  post(path: string, body: unknown, opts?: { auth?: boolean; raw?: string; contentType?: string }): Promise<{ status: number; body: AnswerBody }>;
  get(path: string): Promise<{ status: number; body: AnswerBody }>;
  close(): Promise<void>;
}

export const HOST_KEY = Buffer.alloc(32, 7);

/** A fastify app with only the offers plugin, listening on 127.0.0.1 port 0. */
export async function startOffersApp(o: TestAppOptions = {}): Promise<TestApp> {
  const db = new Database(o.dbFile ?? ':memory:');
  if (o.dbFile) db.pragma('journal_mode = WAL');
  const app = Fastify({ logger: o.logStream ? { level: 'info', stream: o.logStream } : false });
  const handle = registerOffers(app, {
    db,
    authenticate: testAuth,
    fixtures: o.fixtures ?? DEFAULT_FIXTURES,
    hostKey: HOST_KEY,
    now: o.now ?? (() => new Date()),
    webhook: o.webhook,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const call = async (method: 'GET' | 'POST', path: string, payload?: string, headers: Record<string, string> = {}) => {
    const res = await request(`${url}${path}`, { method, headers, body: payload });
    const text = await res.body.text();
    return { status: res.statusCode, body: text === '' ? undefined : JSON.parse(text) };
  };
  return {
    app,
    db,
    handle,
    url,
    post: (path, body, opts = {}) => {
      const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
      if (opts.auth !== false) headers.authorization = `Bearer ${TEST_TOKEN}`;
      return call('POST', path, opts.raw ?? JSON.stringify(body), headers);
    },
    get: (path) => call('GET', path),
    close: async () => {
      await app.close();
      db.close();
    },
  };
}
