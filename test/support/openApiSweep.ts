/**
 * Good and bad requests to every route of the POS API, each with the answer
 * written by hand, and the runner that sends them over real HTTP and holds
 * every answer (status, media type, body, required headers) against the
 * agent's OpenAPI document, and every request against the document's request
 * schemas: a good request must be one the document accepts, a bad one one it
 * refuses (unless the rule broken is one only its text can state). Used on
 * the API in-process (test/agent/api/openApiRequests.test.ts) and on the real
 * agent of an emulated counter (test/e2e/openApiContract.test.ts).
 */
import { request } from 'node:http';
import { findPanLike } from '../../protocol/pan.js';
import { documentedRoutes, RequestChecker, ResponseChecker, type OpenApiDoc } from './openApiContract.js';

export interface SweepCase {
  /** The document's operation, `METHOD /template`. */
  route: string;
  /** What is wrong with the request; undefined for a good one. */
  bad?: string;
  method: 'GET' | 'POST';
  /** Path and query as sent (percent-encoded). */
  url: string;
  /** The body as sent; undefined for none. */
  body?: string;
  /** The Content-Type sent (default application/json when there is a body). */
  contentType?: string;
  /** The bearer token sent: the agent's (default), none, or another. */
  token?: 'good' | 'none' | 'wrong';
  /** The Host header: the agent's (default), a foreign name, or the agent's twice. */
  host?: 'own' | 'foreign' | 'twice';
  /**
   * What the document's request schemas say of it: `accept`, `refuse`, or `text` for a rule that only the
   * document's text states (no card number in a reference: a Luhn check is no JSON Schema).
   */
  schemas: 'accept' | 'refuse' | 'text';
  /** The status answered, by hand. */
  status: number;
  /** The error code answered, by hand (error answers only). */
  code?: string;
}

export interface SweepTarget {
  /** Whether `/v1/health` and `/metrics` answer without the token (`api.openRoutes` default) or not (`[]`). */
  openRoutes: 'open' | 'closed';
  /** A reference with a recorded outcome: its lookup answers 200. */
  knownReference: string;
  /** Unique in the references the cases use, so that a sweep can run on an agent that has seen others. */
  prefix: string;
}

/** 13-19 digits passing Luhn: a test card number (Visa's). */
const CARD = '4111111111111111';
const JSON_TYPE = 'application/json';

/** The body routes, each with a good body (timeoutMs 100: a card operation gives up soon with no card) and a field to spoil. */
function bodyRoutes(p: string): { route: string; good: Record<string, unknown>; wrongType: [string, unknown]; outOfRange: [string, unknown] }[] {
  return [
    { route: 'POST /v1/redemptions', good: { reference: `${p}-redeem`, points: 10, timeoutMs: 100 }, wrongType: ['points', '10'], outOfRange: ['points', 0] },
    { route: 'POST /v1/earnings', good: { reference: `${p}-earn`, amount: 1000, timeoutMs: 100 }, wrongType: ['amount', 1.5], outOfRange: ['amount', 1_000_000_001] },
    { route: 'POST /v1/checkout', good: { reference: `${p}-checkout`, amount: 3000, redeemPoints: 20, acceptOffer: true, timeoutMs: 100 }, wrongType: ['acceptOffer', 'yes'], outOfRange: ['redeemPoints', -1] },
    { route: 'POST /v1/voids', good: { reference: `${p}-void`, originalReference: `${p}-sale`, timeoutMs: 100 }, wrongType: ['originalReference', 7], outOfRange: ['timeoutMs', 50] },
    { route: 'POST /v1/returns', good: { reference: `${p}-return`, originalReference: `${p}-sale`, amount: 500, timeoutMs: 100 }, wrongType: ['amount', null], outOfRange: ['timeoutMs', 600_001] },
  ];
}

/** Every case, for one target. */
export function sweepCases(t: SweepTarget): SweepCase[] {
  const p = t.prefix;
  const cases: SweepCase[] = [];
  const E37 = { status: 400, code: 'E37' } as const;

  for (const r of bodyRoutes(p)) {
    const [method, url] = r.route.split(' ') as ['POST', string];
    const json = (b: unknown): string => JSON.stringify(b);
    const { reference: _drop, ...noReference } = r.good;
    cases.push(
      { route: r.route, method, url, body: json(r.good), schemas: 'accept', status: 200 },
      { route: r.route, bad: 'malformed JSON', method, url, body: '{"reference":', schemas: 'refuse', status: 400, code: 'E32' },
      { route: r.route, bad: 'an unknown field', method, url, body: json({ ...r.good, extra: 1 }), schemas: 'refuse', ...E37 },
      { route: r.route, bad: `${r.wrongType[0]} of the wrong type`, method, url, body: json({ ...r.good, [r.wrongType[0]]: r.wrongType[1] }), schemas: 'refuse', ...E37 },
      { route: r.route, bad: `${r.outOfRange[0]} out of range`, method, url, body: json({ ...r.good, [r.outOfRange[0]]: r.outOfRange[1] }), schemas: 'refuse', ...E37 },
      { route: r.route, bad: 'no reference', method, url, body: json(noReference), schemas: 'refuse', ...E37 },
      { route: r.route, bad: 'a reference of 65 characters', method, url, body: json({ ...r.good, reference: 'r'.repeat(65) }), schemas: 'refuse', ...E37 },
      { route: r.route, bad: 'a reference with a space', method, url, body: json({ ...r.good, reference: 'sale 1' }), schemas: 'refuse', ...E37 },
      { route: r.route, bad: 'a reference holding a card number', method, url, body: json({ ...r.good, reference: `sale-${CARD}` }), schemas: 'text', ...E37 },
      { route: r.route, bad: 'null', method, url, body: 'null', schemas: 'refuse', ...E37 },
      { route: r.route, bad: 'no body', method, url, schemas: 'refuse', ...E37 },
      { route: r.route, bad: 'an XML body', method, url, body: '<reference>r</reference>', contentType: 'application/xml', schemas: 'refuse', status: 415, code: 'E14' },
      { route: r.route, bad: 'a JSON body sent as text/plain', method, url, body: json(r.good), contentType: 'text/plain', schemas: 'refuse', status: 415, code: 'E14' },
      { route: r.route, bad: 'a body over 16 KiB', method, url, body: json({ ...r.good, reference: 'r'.repeat(17_000) }), schemas: 'refuse', status: 413, code: 'E37' },
    );
  }

  const balance = 'GET /v1/balance';
  cases.push(
    { route: balance, method: 'GET', url: '/v1/balance?timeoutMs=100', schemas: 'accept', status: 200 },
    { route: balance, bad: 'timeoutMs under 100', method: 'GET', url: '/v1/balance?timeoutMs=5', schemas: 'refuse', ...E37 },
    { route: balance, bad: 'timeoutMs over 600000', method: 'GET', url: '/v1/balance?timeoutMs=600001', schemas: 'refuse', ...E37 },
    { route: balance, bad: 'timeoutMs not a number', method: 'GET', url: '/v1/balance?timeoutMs=abc', schemas: 'refuse', ...E37 },
    { route: balance, bad: 'timeoutMs not whole', method: 'GET', url: '/v1/balance?timeoutMs=100.5', schemas: 'refuse', ...E37 },
    { route: balance, bad: 'an unknown query parameter', method: 'GET', url: '/v1/balance?timeoutMs=100&card=1', schemas: 'refuse', ...E37 },
  );

  const lookup = 'GET /v1/operations/{reference}';
  cases.push(
    { route: lookup, method: 'GET', url: `/v1/operations/${encodeURIComponent(t.knownReference)}`, schemas: 'accept', status: 200 },
    { route: lookup, method: 'GET', url: `/v1/operations/${p}-never-used`, schemas: 'accept', status: 404, code: 'unknown-reference' },
    { route: lookup, bad: 'a reference of 65 characters', method: 'GET', url: `/v1/operations/${'r'.repeat(65)}`, schemas: 'refuse', ...E37 },
    { route: lookup, bad: 'a reference of 200 characters', method: 'GET', url: `/v1/operations/${'r'.repeat(200)}`, schemas: 'refuse', ...E37 },
    { route: lookup, bad: 'a reference with a space', method: 'GET', url: '/v1/operations/sale%201', schemas: 'refuse', ...E37 },
    { route: lookup, bad: 'a reference that is not valid percent-encoding', method: 'GET', url: '/v1/operations/sale%zz', schemas: 'refuse', ...E37 },
    { route: lookup, bad: 'a card number, in bad percent-encoding', method: 'GET', url: `/v1/operations/${CARD}%zz`, schemas: 'refuse', ...E37 },
    { route: lookup, bad: 'a reference holding a card number', method: 'GET', url: `/v1/operations/sale-${CARD}`, schemas: 'text', ...E37 },
  );

  const queue = 'GET /v1/queue';
  cases.push(
    { route: queue, method: 'GET', url: '/v1/queue', schemas: 'accept', status: 200 },
    { route: queue, method: 'GET', url: '/v1/queue?state=pending&limit=5&offset=0', schemas: 'accept', status: 200 },
    { route: queue, bad: 'limit 0', method: 'GET', url: '/v1/queue?limit=0', schemas: 'refuse', ...E37 },
    { route: queue, bad: 'limit 501', method: 'GET', url: '/v1/queue?limit=501', schemas: 'refuse', ...E37 },
    { route: queue, bad: 'offset -1', method: 'GET', url: '/v1/queue?offset=-1', schemas: 'refuse', ...E37 },
    { route: queue, bad: 'limit not a number', method: 'GET', url: '/v1/queue?limit=ten', schemas: 'refuse', ...E37 },
    { route: queue, bad: 'an unknown state', method: 'GET', url: '/v1/queue?state=bogus', schemas: 'refuse', ...E37 },
    { route: queue, bad: 'an unknown query parameter', method: 'GET', url: '/v1/queue?sort=asc', schemas: 'refuse', ...E37 },
  );

  const flush = 'POST /v1/queue/flush';
  const f = { route: flush, method: 'POST', url: '/v1/queue/flush' } as const;
  cases.push(
    { ...f, schemas: 'accept', status: 200 },
    { ...f, body: '{}', schemas: 'accept', status: 200 },
    { ...f, bad: 'a field', body: '{"now":true}', schemas: 'refuse', ...E37 },
    { ...f, body: 'null', schemas: 'accept', status: 200 },
    { ...f, bad: 'an array', body: '[]', schemas: 'refuse', ...E37 },
    { ...f, bad: 'malformed JSON', body: '{', schemas: 'refuse', status: 400, code: 'E32' },
    { ...f, bad: 'an empty body sent as JSON', body: '', schemas: 'refuse', ...E37 },
    { ...f, bad: 'an empty JSON object sent as text/plain', body: '{}', contentType: 'text/plain', schemas: 'refuse', status: 415, code: 'E14' },
  );

  cases.push(
    { route: 'GET /v1/health', method: 'GET', url: '/v1/health', schemas: 'accept', status: 200 },
    { route: 'GET /metrics', method: 'GET', url: '/metrics', schemas: 'accept', status: 200 },
    { route: 'GET /openapi.json', method: 'GET', url: '/openapi.json', schemas: 'accept', status: 200 },
  );

  // The guards, on every route: its first good request without the token, with another, for a foreign name, with two Host headers.
  const goods = cases.filter((c) => c.bad === undefined && c.status === 200);
  for (const route of new Set(goods.map((c) => c.route))) {
    const good = goods.find((c) => c.route === route) as SweepCase;
    const open = t.openRoutes === 'open' && (route === 'GET /v1/health' || route === 'GET /metrics');
    const asGood = { ...good, status: 200 } as const;
    cases.push(
      open ? { ...asGood, token: 'none' } : { ...good, bad: 'no token', token: 'none', status: 401, code: 'token-required' },
      open ? { ...asGood, token: 'wrong' } : { ...good, bad: 'a wrong token', token: 'wrong', status: 401, code: 'token-invalid' },
      { ...good, bad: 'a foreign Host', host: 'foreign', status: 421, code: 'host-not-allowed' },
      { ...good, bad: 'two Host headers', host: 'twice', ...E37 },
    );
  }
  return cases;
}

export interface SweepAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request over a real loopback socket, every header as given (two Host headers included). */
export function sendCase(baseUrl: string, token: string, c: SweepCase): Promise<SweepAnswer> {
  const u = new URL(baseUrl);
  const own = u.host;
  const headers: string[] = [];
  if (c.host === 'twice') headers.push('host', own, 'host', own);
  else headers.push('host', c.host === 'foreign' ? 'evil.example' : own);
  if (c.token !== 'none') headers.push('authorization', `Bearer ${c.token === 'wrong' ? 'not-the-agents-token-0123456789abcdefghijk' : token}`);
  if (c.body !== undefined || c.contentType !== undefined) headers.push('content-type', c.contentType ?? JSON_TYPE);
  // Always a length on a POST, so that "no body" is no body (not an empty chunked one).
  if (c.method === 'POST' || c.body !== undefined) headers.push('content-length', String(Buffer.byteLength(c.body ?? '')));
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port), method: c.method, path: c.url, headers, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

const describeCase = (c: SweepCase): string => `${c.route} [${c.bad ?? 'good'}${c.token && c.token !== 'good' ? `, token ${c.token}` : ''}]`;

/**
 * Sends every case, one after another, and returns every problem: an answer
 * other than the one written by hand, one the document does not describe
 * (status, media type, body, required headers), a card number in an answer,
 * and a request the document's schemas judge otherwise than the case says.
 */
export async function runSweep(baseUrl: string, token: string, doc: OpenApiDoc, cases: readonly SweepCase[]): Promise<string[]> {
  const responses = new ResponseChecker(doc);
  const requests = new RequestChecker(doc);
  const problems: string[] = [];
  for (const c of cases) {
    const what = describeCase(c);
    const a = await sendCase(baseUrl, token, c);
    const contentType = String(a.headers['content-type'] ?? '');
    let body: unknown = a.text;
    if (contentType.startsWith(JSON_TYPE)) {
      try {
        body = JSON.parse(a.text);
      } catch {
        problems.push(`${what}: the answer says JSON but is not`);
      }
    }
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (a.status !== c.status || (c.code !== undefined && code !== c.code)) problems.push(`${what}: expected ${c.status} ${c.code ?? ''}, got ${a.status} ${a.text.slice(0, 200)}`);
    problems.push(...responses.problems(c.method, c.url, a.status, body, { contentType, headers: a.headers }).map((p) => `${what}: ${p}`));
    if (a.status >= 400 && findPanLike(a.text).length > 0) problems.push(`${what}: the error answer holds a card number`);
    const judged = requests.problems({ method: c.method, url: c.url, ...(c.body === undefined ? {} : { body: c.body }), ...(c.body === undefined && c.contentType === undefined ? {} : { contentType: c.contentType ?? JSON_TYPE }) });
    if (c.schemas === 'refuse' && judged.length === 0) problems.push(`${what}: the document's request schemas accept it, the server refuses it`);
    if (c.schemas !== 'refuse' && judged.length > 0) problems.push(`${what}: the document's request schemas refuse it: ${judged.join('; ')}`);
  }
  return problems;
}

/** The document's operations without a good case, and without a bad one, in the cases: [] when every one has both. */
export function uncovered(doc: OpenApiDoc, cases: readonly SweepCase[]): string[] {
  return documentedRoutes(doc).flatMap((route) => [
    ...(cases.some((c) => c.route === route && c.bad === undefined) ? [] : [`${route}: no good request`]),
    ...(cases.some((c) => c.route === route && c.bad !== undefined) ? [] : [`${route}: no bad request`]),
  ]);
}
