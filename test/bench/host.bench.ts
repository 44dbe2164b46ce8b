/**
 * Host emulator throughput: signed balance requests (GET /api/v1/loyalty/rewards)
 * per second over loopback, undici Pool with 32 connections and 32 requests in
 * flight, against the in-process emulator (auth + SQLite ledger) and against a
 * bare fastify route that returns the same JSON, in the same run.
 *
 * Fairness: the client signs every request for BOTH servers (fresh nonce,
 * SHA-512), so client-side cost is equal; only the server work differs. Client
 * and servers share this process (and the machine's cores).
 */
import Fastify from 'fastify';
import { Pool } from 'undici';
import { startHost } from '../../emulator/host/index.js';
import { DEFAULT_FIXTURES } from '../../emulator/host/fixtures.js';
import { authHeaders, fetchToken } from '../support/signedFetch.js';
import { compared, median, type BenchOptions, type BenchResult } from './harness.js';

const CONCURRENCY = 32;
const PATH = '/api/v1/loyalty/rewards?timeStamp=20260601120000&transactionId=1';
const happy = DEFAULT_FIXTURES.cards[0]!;
const cardHeaders = { merchantId: 'IBP000000000162', terminalId: '20690111', PAN: happy.pan, expiryDate: happy.expiry };

async function send(pool: Pool, baseUrl: string, token: string): Promise<{ status: number; body: string }> {
  const headers = { ...authHeaders({ baseUrl, token }, { path: PATH }), ...cardHeaders };
  const res = await pool.request({ method: 'GET', path: PATH, headers });
  return { status: res.statusCode, body: await res.body.text() };
}

/** One timed round: CONCURRENCY workers for `ms`; requests per second. */
async function round(pool: Pool, baseUrl: string, token: string, ms: number): Promise<number> {
  let done = 0;
  let failed = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const res = await send(pool, baseUrl, token);
        if (res.status === 200) done++;
        else failed++;
      }
    }),
  );
  if (failed > 0) throw new Error(`${failed} requests failed during timing`);
  return (done * 1000) / (performance.now() - start);
}

interface Target {
  url: string;
  token: string;
  pool: Pool;
  rates: number[];
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const ms = opts.short ? 1000 : 2000;
  const rounds = opts.short ? 4 : 7;

  const host = await startHost();
  const bare = Fastify({ logger: false });
  const answer = { rewardTrxId: '2263001', accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: '2450' }] };
  bare.get('/api/v1/loyalty/rewards', async () => answer);
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const addr = bare.server.address();
  const bareUrl = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  const targets: Target[] = [
    { url: host.url, token: await fetchToken(host.url), pool: new Pool(host.url, { connections: CONCURRENCY }), rates: [] },
    { url: bareUrl, token: 'unused', pool: new Pool(bareUrl, { connections: CONCURRENCY }), rates: [] },
  ];
  try {
    for (const t of targets) {
      const first = await send(t.pool, t.url, t.token);
      if (first.status !== 200 || !first.body.includes('"availableBalance":"2450"')) throw new Error(`bad answer before timing: ${first.status} ${first.body}`);
      await round(t.pool, t.url, t.token, ms); // warm-up
    }
    // Interleave the rounds so both servers see the same machine load.
    for (let r = 0; r < rounds; r++) for (const t of targets) t.rates.push(await round(t.pool, t.url, t.token, ms));
  } finally {
    for (const t of targets) await t.pool.close();
    await host.close();
    await bare.close();
  }
  const [h, b] = targets.map((t) => median(t.rates)) as [number, number];
  return [compared('host balance (signed, loopback, c=32)', h, 'req/s', 'bare fastify route, same JSON', b, '>= 3000 req/s and >= 0.5x bare route', (v, ratio) => v >= 3000 && ratio >= 0.5)];
}
