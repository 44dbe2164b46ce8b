/**
 * A fleet worker process (`pos-emulator fleet --workers K` forks K of them):
 * runs its share of the terminals, each a real agent (FleetTerminal), and
 * talks to the parent over IPC:
 *   parent → `go` (run the workload), `drain` (forward every queue), `close`;
 *   worker → `ready`, `progress`, `ran`, `drained` (with what each POS heard).
 */
import { join } from 'node:path';
import { pino } from 'pino';
import type { HostTransport } from '../host/index.js';
import { FleetTerminal, type HeardStep } from './fleetTerminal.js';
import { prng } from './prng.js';
import type { DeadItem } from './refusalAfterYes.js';
import { nextOp, type FleetOp } from './workload.js';

export interface WorkerSpec {
  terminalIds: string[];
  dir: string;
  keyFile: string;
  merchantId: string;
  transport: HostTransport;
  hostUrl: string;
  isoAddress?: string;
  hostTimeoutMs: number;
  /** Every n-th terminal allows offline burns. */
  offlineEvery: number;
  seed: number;
  durationMs: number;
  drainMs: number;
}

export type WorkerMessage =
  | { type: 'ready'; rssBytes: number }
  | { type: 'progress'; ops: number; open: number }
  | { type: 'ran'; ops: number }
  | {
      type: 'drained';
      steps: HeardStep[];
      latencies: Record<FleetOp['type'], number[]>;
      mismatches: string[];
      failures: string[];
      /** [transactionId, dead item (refusal, dead reason)] of what the POS heard yes to and the host refused later. */
      offlineDeclined: [string, DeadItem][];
      openLeft: number;
      /** The operations still queued after the drain, with their last error. */
      stuck: string[];
      invariantHolds: boolean;
      queueHigh: number;
      rssBytes: number;
    };

const send = (m: WorkerMessage): void => {
  process.send?.(m);
};

async function main(spec: WorkerSpec): Promise<void> {
  const logger = pino({ level: 'silent' });
  const terminals: FleetTerminal[] = [];
  for (const terminalId of spec.terminalIds) {
    terminals.push(
      await FleetTerminal.start(
        {
          dir: join(spec.dir, terminalId),
          keyFile: spec.keyFile,
          terminalId,
          merchantId: spec.merchantId,
          transport: spec.transport,
          hostUrl: spec.hostUrl,
          ...(spec.isoAddress ? { isoAddress: spec.isoAddress } : {}),
          offline: Number(terminalId) % spec.offlineEvery === 0,
          hostTimeoutMs: spec.hostTimeoutMs,
        },
        logger,
      ),
    );
  }
  send({ type: 'ready', rssBytes: process.memoryUsage().rss });
  await message('go');

  const steps: HeardStep[] = [];
  const latencies: Record<FleetOp['type'], number[]> = { redemption: [], earning: [], checkout: [] };
  const mismatches: string[] = [];
  const failures: string[] = [];
  let ops = 0;
  let queueHigh = 0;
  const sample = () => {
    let open = 0;
    for (const t of terminals) open += t.openWork();
    queueHigh = Math.max(queueHigh, open);
    return open;
  };
  const progress = setInterval(() => send({ type: 'progress', ops, open: sample() }), 1000);
  const endAt = Date.now() + spec.durationMs;
  await Promise.all(
    terminals.map(async (t) => {
      const random = prng(spec.seed ^ Number(t.id)); // per terminal, whatever worker runs it: --seed replays
      for (let n = 0; Date.now() < endAt && n < 100_000; n++) {
        const op = nextOp(t.id, n, random);
        const t0 = performance.now();
        try {
          const r = await t.run(op);
          latencies[op.type].push(performance.now() - t0);
          steps.push(...r.steps);
          if (r.mismatch) mismatches.push(r.mismatch);
        } catch (err) {
          // A typed refusal the POS would see as an error answer (busy, in progress, storage): counted, not heard.
          failures.push(`${op.reference}: ${(err as { code?: string }).code ?? (err as Error).message}`);
        }
        ops++;
      }
    }),
  );
  clearInterval(progress);
  send({ type: 'ran', ops });

  await message('drain');
  const drainEnd = Date.now() + spec.drainMs;
  let open = sample();
  while (open > 0 && Date.now() < drainEnd) {
    await Promise.all(terminals.map((t) => t.flush().catch(() => undefined)));
    open = sample();
    if (open > 0) await new Promise((r) => setTimeout(r, 250));
  }
  const states = terminals.map((t) => t.queueState());
  send({
    type: 'drained',
    steps,
    latencies,
    mismatches,
    failures,
    offlineDeclined: states.flatMap((s) => s.offlineDeclined),
    openLeft: open,
    stuck: states.flatMap((s) => s.stuck),
    invariantHolds: states.every((s) => s.invariantHolds),
    queueHigh,
    rssBytes: process.memoryUsage().rss,
  });
  await message('close');
  for (const t of terminals) await t.close();
  process.exit(0);
}

function message(type: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if ((m as { type?: string }).type !== type) return;
      process.off('message', on);
      resolve();
    };
    process.on('message', on);
  });
}

const specText = process.argv[2];
if (specText === undefined) {
  process.stderr.write('fleetWorker is started by pos-emulator fleet\n');
  process.exit(2);
}
main(JSON.parse(specText) as WorkerSpec).catch((err: unknown) => {
  process.stderr.write(`fleet worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
process.on('disconnect', () => process.exit(1));
