import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { DEFAULT_FIXTURES, FAULT_ENDPOINTS } from '../host/index.js';
import { cashierText, jsonRequest, type PosAnswer } from '../stack/index.js';
import { cardLabels, type LedgerCardBalance } from './cardLabels.js';
import { consoleAccess } from './consoleAccess.js';
import { newConsoleToken, pageWithToken } from './consoleToken.js';
import type { EmulatedCounter } from './emulatedCounter.js';
import { HeardNoTally } from './heardNo.js';
import { operationTimeline, type ConsoleOperation, type QueueItemTimes } from './operationTimeline.js';
import { yesThenRefused, type DeadItemView } from './yesThenRefused.js';

/** Where the built page is: `dist/emulator/console/web/` beside this file once compiled. */
export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'web');

const PosCall = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('redeem'), points: z.number().int().positive(), reference: z.string().optional() }),
  z.strictObject({ op: z.literal('earn'), amount: z.number().int().positive(), reference: z.string().optional() }),
  z.strictObject({ op: z.literal('checkout'), amount: z.number().int().positive(), redeemPoints: z.number().int().min(0).optional(), acceptOffer: z.boolean().optional(), reference: z.string().optional() }),
  z.strictObject({ op: z.literal('balance') }),
  z.strictObject({ op: z.literal('void'), originalReference: z.string().min(1), reference: z.string().optional() }),
  z.strictObject({ op: z.literal('return'), originalReference: z.string().min(1), amount: z.number().int().positive(), reference: z.string().optional() }),
  z.strictObject({ op: z.literal('health') }),
  z.strictObject({ op: z.literal('flush') }),
]);
type PosCall = z.infer<typeof PosCall>;

const ReaderCall = z.strictObject({
  command: z.union([
    z.string().regex(/^swipe-card [a-z-]{1,32}$/),
    z.string().regex(/^swipe [0-9]{1,19} [0-9]{4}$/),
    z.string().regex(/^noise [0-9]{1,5}$/),
    z.enum(['bad-lrc', 'truncate', 'unplug', 'replug']),
    z.string().regex(/^(bad-lrc|truncate) [a-z-]{1,32}$/),
  ]),
});
const HostCall = z.strictObject({ online: z.boolean() });
const FaultCall = z.union([
  z.strictObject({ clear: z.literal(true) }),
  z.strictObject({
    endpoint: z.enum(FAULT_ENDPOINTS).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    status: z.number().int().min(400).max(599).optional(),
    drop: z.boolean().optional(),
    commitThenDrop: z.boolean().optional(),
  }),
]);

export interface ConsoleServerOptions {
  counter: EmulatedCounter;
  /** Port on 127.0.0.1; 0 for any. */
  port: number;
  /** How often the live views are read from the counter, ms (pushed to the page only when they changed). */
  refreshMs?: number;
}

/**
 * The console's one page and its API on 127.0.0.1: the POS calls (answered
 * in the cashier's words with the raw JSON), the reader's commands, the
 * host's switch and faults, and `GET /api/events`, Server-Sent Events of the
 * live views (queue, forwarder, ledger, operation timelines, refusals) each time they change.
 * Every `/api` route needs the token made for this start, which the served
 * page carries (see {@link consoleAccess}); `token` is it.
 */
export async function startConsoleServer(opts: ConsoleServerOptions): Promise<{ app: FastifyInstance; url: string; token: string }> {
  const { counter } = opts;
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  const token = newConsoleToken();
  const operations: ConsoleOperation[] = [];
  const heardNo = new HeardNoTally();
  let nextId = 1;
  let last = '';
  const clients = new Set<FastifyReply>();
  /** The host's balances as last read: the reader's card labels while the host is cut. */
  let balances: LedgerCardBalance[] | undefined;

  // Loopback names, the console's own Origin, and the token on /api/*.
  consoleAccess(app, token);

  const agent = (path: string) => `${counter.agentUrl}${path}`;

  app.get('/', async (_req, reply) => page(reply, 'index.html', token));
  // The page names no icon; a browser that asks anyway gets an empty answer, not a 404 in its console.
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
  app.get<{ Params: { file: string } }>('/assets/:file', async (req, reply) => page(reply, join('assets', req.params.file)));

  app.post('/api/pos', async (req, reply) => {
    const parsed = PosCall.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? 'bad request' });
    const call = parsed.data;
    const [method, path, body] = posRequest(call, `console-${Date.now().toString(36)}-${nextId}`);
    const op: ConsoleOperation = { id: nextId++, label: label(call), startedAt: Date.now(), logFrom: counter.agentLog(0).length, ...('reference' in (body ?? {}) ? { reference: String((body as { reference: string }).reference) } : {}) };
    operations.unshift(op);
    operations.length = Math.min(operations.length, 30);
    void push();
    const answer: PosAnswer = await jsonRequest(method, agent(path), body, counter.agentHeaders);
    Object.assign(op, { answeredAt: Date.now(), status: answer.status, body: answer.body, cashier: cashierText(method, path, answer) });
    heardNo.add(call.op, answer.status, answer.body);
    void push();
    return { status: answer.status, body: answer.body, cashier: op.cashier, reference: op.reference };
  });

  app.post('/api/reader', async (req, reply) => {
    const parsed = ReaderCall.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'unknown reader command' });
    const answer = await counter.reader(parsed.data.command);
    void push();
    return answer;
  });

  app.post('/api/host', async (req, reply) => {
    const parsed = HostCall.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'send {online: true|false}' });
    if (parsed.data.online && !counter.hostOnline()) await counter.startHost();
    if (!parsed.data.online && counter.hostOnline()) await counter.stopHost();
    void push();
    return { online: counter.hostOnline() };
  });

  app.post('/api/faults', async (req, reply) => {
    const parsed = FaultCall.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad fault' });
    if (!counter.hostOnline()) return reply.code(409).send({ error: 'the host is offline' });
    const r = await jsonRequest('POST', `${counter.hostUrl()}/_emulator/faults`, parsed.data);
    void push();
    return reply.code(r.status).send(r.body);
  });

  app.get('/api/events', (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    clients.add(reply);
    if (last !== '') reply.raw.write(`event: state\ndata: ${last}\n\n`);
    req.raw.on('close', () => clients.delete(reply));
  });

  /** Reads every live view and pushes it to the pages when it changed. */
  let reading: Promise<void> | undefined;
  const push = (): Promise<void> => {
    reading ??= snapshot()
      .then((s) => {
        const text = JSON.stringify(s);
        if (text === last) return;
        last = text;
        for (const c of clients) c.raw.write(`event: state\ndata: ${text}\n\n`);
      })
      .catch(() => undefined)
      .finally(() => (reading = undefined));
    return reading;
  };

  const snapshot = async () => {
    const [health, queue, dead, reader] = await Promise.all([
      jsonRequest('GET', agent('/v1/health'), undefined, counter.agentHeaders).catch(() => undefined),
      jsonRequest('GET', agent('/v1/queue?limit=500'), undefined, counter.agentHeaders).catch(() => undefined),
      // Every dead item, however much done work came after it: the "yes, then refused by the host" figure.
      jsonRequest('GET', agent('/v1/queue?state=dead&limit=500'), undefined, counter.agentHeaders).catch(() => undefined),
      counter.readerState().catch(() => ({})),
    ]);
    const online = counter.hostOnline();
    const [ledger, faults] = online
      ? await Promise.all([jsonRequest('GET', `${counter.hostUrl()}/_emulator/ledger`).catch(() => undefined), jsonRequest('GET', `${counter.hostUrl()}/_emulator/faults`).catch(() => undefined)])
      : [undefined, undefined];
    if (ledger?.status === 200 && Array.isArray(ledger.body.cards)) balances = ledger.body.cards as LedgerCardBalance[];
    const items = ((queue?.body.items as QueueItemTimes[] | undefined) ?? []);
    const log = counter.agentLog(operations.at(-1)?.logFrom ?? 0);
    const timelines = await Promise.all(
      operations.map(async (op) => {
        const lookup = op.reference && op.answeredAt !== undefined ? await jsonRequest('GET', agent(`/v1/operations/${encodeURIComponent(op.reference)}`), undefined, counter.agentHeaders).catch(() => undefined) : undefined;
        const ids = ((lookup?.body.operations as { transactionId: string }[] | undefined) ?? []).map((o) => o.transactionId);
        return { id: op.id, label: op.label, reference: op.reference ?? null, cashier: op.cashier ?? 'waiting for the answer…', status: op.status ?? null, raw: op.body ?? null, steps: operationTimeline(op, log, ids, items) };
      }),
    );
    return {
      cards: cardLabels(DEFAULT_FIXTURES, balances),
      host: { online, faults: faults?.body ?? null },
      reader,
      health: health?.body ?? null,
      queue: queue ? { stats: queue.body.stats, forwarder: queue.body.forwarder, items: items.filter((i) => i.state !== 'done').slice(0, 50), done: items.filter((i) => i.state === 'done').length } : null,
      ledger: ledger ? { cards: ledger.body.cards, entries: ((ledger.body.entries as unknown[] | undefined) ?? []).slice(-30).reverse() } : null,
      operations: timelines,
      refusals: { heardNo: heardNo.view(), yesThenRefused: yesThenRefused((dead?.body.items as DeadItemView[] | undefined) ?? []) },
    };
  };

  const timer = setInterval(() => void push(), opts.refreshMs ?? 500);
  app.addHook('onClose', async () => {
    clearInterval(timer);
    for (const c of clients) c.raw.end();
  });

  await app.listen({ host: '127.0.0.1', port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return { app, url: `http://127.0.0.1:${port}`, token };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

/** A file of the built page, or 404; names are from the build (no path walking). The page carries `token`, so it is never cached. */
function page(reply: FastifyReply, file: string, token?: string): FastifyReply {
  if (!/^(index\.html|assets\/[A-Za-z0-9_.-]+)$/.test(file)) return reply.code(404).send({ error: 'not found' });
  const path = join(WEB_DIR, file);
  if (!existsSync(path)) return reply.code(404).send({ error: `not built: ${file} (run npm run build)` });
  const ext = file.slice(file.lastIndexOf('.'));
  if (token !== undefined) return reply.type(TYPES[ext] ?? 'text/html; charset=utf-8').header('cache-control', 'no-store').send(pageWithToken(readFileSync(path, 'utf8'), token));
  return reply.type(TYPES[ext] ?? 'application/octet-stream').send(readFileSync(path));
}

function label(c: PosCall): string {
  switch (c.op) {
    case 'redeem':
      return `redeem ${c.points} points`;
    case 'earn':
      return `earn on ${c.amount}`;
    case 'checkout':
      return `checkout ${c.amount}${c.redeemPoints ? `, redeem ${c.redeemPoints}` : ''}${c.acceptOffer ? ', offer' : ''}`;
    case 'void':
      return `void ${c.originalReference}`;
    case 'return':
      return `return ${c.amount} of ${c.originalReference}`;
    default:
      return c.op;
  }
}

/** The agent request a console call makes. */
function posRequest(c: PosCall, fresh: string): [string, string, Record<string, unknown> | undefined] {
  const reference = 'reference' in c && c.reference ? c.reference : fresh;
  switch (c.op) {
    case 'redeem':
      return ['POST', '/v1/redemptions', { reference, points: c.points }];
    case 'earn':
      return ['POST', '/v1/earnings', { reference, amount: c.amount }];
    case 'checkout':
      return ['POST', '/v1/checkout', { reference, amount: c.amount, ...(c.redeemPoints ? { redeemPoints: c.redeemPoints } : {}), ...(c.acceptOffer ? { acceptOffer: true } : {}) }];
    case 'balance':
      return ['GET', '/v1/balance', undefined];
    case 'void':
      return ['POST', '/v1/voids', { reference, originalReference: c.originalReference }];
    case 'return':
      return ['POST', '/v1/returns', { reference, originalReference: c.originalReference, amount: c.amount }];
    case 'health':
      return ['GET', '/v1/health', undefined];
    case 'flush':
      return ['POST', '/v1/queue/flush', undefined];
  }
}
