/**
 * The ISO 8583 link's throughput: balance round trips (0100 → 0110) per
 * second over ONE persistent connection with 32 requests in flight
 * (pipelined, matched by STAN), against REST balance requests per second at
 * the same concurrency (undici pool of 32, every request signed), both
 * through the agent's own host clients (IsoHostClient, RestHostClient)
 * against the same in-process host emulator and ledger, rounds interleaved.
 * Target: >= 3x REST. Anchor: moov-io/iso8583-connection reports about
 * 53,000 request/response pairs per second (Go, client and server on one
 * 6-core machine); here client, server and ledger share this one process.
 */
import { IsoHostClient, RestHostClient, type HostClient } from '../../agent/host/index.js';
import { startHost } from '../../emulator/host/index.js';
import { DEFAULT_FIXTURES } from '../../emulator/host/fixtures.js';
import { parsePan, parseYymm } from '../../protocol/pan.js';
import { SAMPLE_CLIENT } from '../support/signedFetch.js';
import { compared, median, type BenchOptions, type BenchResult } from './harness.js';

const CONCURRENCY = 32;
const ANCHOR_PAIRS_PER_S = 53_000;
const happy = DEFAULT_FIXTURES.cards[0]!;
const card = { pan: parsePan(happy.pan), expiry: parseYymm(happy.expiry) };
const ids = { merchantId: 'IBP000000000162', terminalId: '20690111' };

/** One timed round: CONCURRENCY workers for `ms` on one client; balance round trips per second. */
async function round(client: HostClient, ms: number): Promise<number> {
  let done = 0;
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const r = await client.balance({ card, transactionId: `b${n++}` });
        if (r.accounts[0]?.availableBalance !== 2450) throw new Error(`unexpected balance answer: ${JSON.stringify(r)}`);
        done++;
      }
    }),
  );
  return (done * 1000) / (performance.now() - start);
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const ms = opts.short ? 1000 : 2000;
  const rounds = opts.short ? 3 : 7;
  const host = await startHost({ isoPort: 0 });
  const iso = new IsoHostClient({ host: '127.0.0.1', port: host.isoPort as number, timeoutMs: 10_000, ...ids });
  const rest = new RestHostClient({ baseUrl: host.url, ...SAMPLE_CLIENT, timeoutMs: 10_000, ...ids });
  const rates = { iso: [] as number[], rest: [] as number[] };
  try {
    await round(iso, 300); // warm-up, and proof that both answer
    await round(rest, 300);
    for (let r = 0; r < rounds; r++) {
      rates.iso.push(await round(iso, ms));
      rates.rest.push(await round(rest, ms));
    }
  } finally {
    await iso.close();
    await rest.close();
    await host.close();
  }
  const isoRate = median(rates.iso);
  const restRate = median(rates.rest);
  return [
    compared(`ISO 8583 balance, one connection (c=${CONCURRENCY})`, isoRate, 'pairs/s', `REST balance, signed, pool of ${CONCURRENCY}`, restRate, '>= 3x REST', (_v, ratio) => ratio >= 3),
    // No target: the anchor is another program on another machine, reported for scale.
    compared('ISO 8583 balance against the anchor', isoRate, 'pairs/s', 'moov-io/iso8583-connection, reported', ANCHOR_PAIRS_PER_S),
  ];
}
