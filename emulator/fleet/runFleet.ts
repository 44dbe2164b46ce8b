import { randomBytes } from 'node:crypto';
import { RestHostClient } from '../../agent/host/restHostClient.js';
import type { CardRef } from '../../agent/host/hostClient.js';
import { chooseMandates } from '../../agent/host/chooseMandates.js';
import { parsePan, parseYymm } from '../../protocol/pan.js';

export interface FleetOptions {
  /** Host base URL, e.g. http://127.0.0.1:8080. */
  hostUrl: string;
  /** Emulated terminals, each with its own terminalId and host client. */
  terminals: number;
  /** How long to run, seconds. */
  durationS: number;
  merchantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Called about once a second with the running totals. */
  onProgress?: (p: { elapsedS: number; sales: number; errors: number }) => void;
}

export interface FleetReport {
  terminals: number;
  durationS: number;
  sales: number;
  requests: number;
  errors: number;
  salesPerS: number;
  requestsPerS: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errorCodes: Record<string, number>;
}

interface FixtureCard {
  name: string;
  pan: string;
  expiry: string;
  behaviour: string;
  enrolled: boolean;
}

/**
 * Drives N emulated terminals against a loyalty host: each runs sales in a
 * loop (balance, burn 1 point when it can, earn) with the agent's own REST
 * client, until the duration is up. Uses the host's well-behaved fixture cards.
 */
export async function runFleet(opts: FleetOptions): Promise<FleetReport> {
  const cards = await wellBehavedCards(opts.hostUrl);
  const clients = Array.from({ length: opts.terminals }, (_, i) =>
    new RestHostClient({
      baseUrl: opts.hostUrl,
      clientId: opts.clientId ?? 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088',
      clientSecret: opts.clientSecret ?? 'secret',
      merchantId: opts.merchantId ?? 'IBP000000000162',
      terminalId: String(30000000 + i),
      timeoutMs: 10_000,
    }),
  );
  const latencies: number[] = [];
  const errorCodes: Record<string, number> = {};
  let sales = 0;
  let errors = 0;
  const start = performance.now();
  const endAt = start + opts.durationS * 1000;
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      latencies.push(performance.now() - t0);
    }
  };
  const progress = setInterval(() => opts.onProgress?.({ elapsedS: Math.round((performance.now() - start) / 1000), sales, errors }), 1000);

  await Promise.all(
    clients.map(async (host, t) => {
      for (let n = 0; performance.now() < endAt; n++) {
        const card = cards[(t + n) % cards.length] as CardRef;
        try {
          const bal = await timed(() => host.balance({ card, transactionId: txnId() }));
          const mandates = chooseMandates(bal.accounts, 1);
          if (mandates) await timed(() => host.burn({ card, rewardTrxId: bal.rewardTrxId, transactionId: txnId(), mandates }));
          await timed(() => host.earn({ card, transactionId: txnId(), amount: 100, timeStamp: '20260101120000' }));
          sales++;
        } catch (err) {
          errors++;
          const code = (err as { hostCode?: string; code?: string }).hostCode ?? (err as { code?: string }).code ?? 'unknown';
          errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        }
      }
    }),
  );
  clearInterval(progress);
  await Promise.all(clients.map((c) => c.close()));
  const elapsedS = (performance.now() - start) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const pct = (p: number) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number));
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    terminals: opts.terminals,
    durationS: round(elapsedS),
    sales,
    requests: latencies.length,
    errors,
    salesPerS: round(sales / elapsedS),
    requestsPerS: round(latencies.length / elapsedS),
    latencyMs: { p50: round(pct(50)), p95: round(pct(95)), p99: round(pct(99)), max: round(sorted.at(-1) ?? 0) },
    errorCodes,
  };
}

async function wellBehavedCards(hostUrl: string): Promise<CardRef[]> {
  const res = await fetch(`${hostUrl}/_emulator/fixtures`);
  if (!res.ok) throw new Error(`GET ${hostUrl}/_emulator/fixtures answered ${res.status}; is --host a pos-emulator host?`);
  const body = (await res.json()) as { cards?: FixtureCard[] };
  const cards = (body.cards ?? []).filter((c) => c.behaviour === 'normal' && c.enrolled && c.expiry >= '2601');
  if (cards.length === 0) throw new Error('the host lists no well-behaved enrolled cards to drive the fleet with');
  return cards.map((c) => ({ pan: parsePan(c.pan), expiry: parseYymm(c.expiry) }));
}

/** 12 upper-case hex characters: unique enough for a load run, and ISO DE37-sized. */
function txnId(): string {
  return randomBytes(6).toString('hex').toUpperCase();
}
