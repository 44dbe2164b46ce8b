import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { percentile } from '../../protocol/index.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeQueueKeyFile } from '../../agent/queue/index.js';
import { toRrn } from '../../protocol/iso8583/index.js';
import type { HostTransport } from '../host/index.js';
import { chaosSchedule, formatSchedule, type ChaosEvent } from './chaos.js';
import type { HeardStep } from './fleetTerminal.js';
import { heardFigures, type HeardFigures } from './heardFigures.js';
import { prng } from './prng.js';
import { reconcile, type LedgerEntryView } from './reconcile.js';
import type { WorkerMessage, WorkerSpec } from './fleetWorker.js';
import type { FleetOp } from './workload.js';

export interface FleetOptions {
  /** Host base URL (its `/_emulator/*` endpoints drive the chaos and the check), e.g. http://127.0.0.1:8080. */
  hostUrl: string;
  /** `host:port` of the host's ISO 8583 link, for `transport: 'iso8583'`. */
  isoAddress?: string;
  transport?: HostTransport;
  terminals: number;
  durationS: number;
  /** Child processes the terminals are spread over. Default: the number of cores. */
  workers?: number;
  chaos?: boolean;
  seed?: number;
  /** JSON Lines, one per host-facing step a POS heard. */
  reportFile?: string;
  merchantId?: string;
  /** host.timeoutMs of every terminal. Default 2000. */
  hostTimeoutMs?: number;
  /** Longest wait for every queue to drain after the run, ms. Default 90000. */
  drainMs?: number;
  /** Progress and the chaos schedule, as lines for a person. */
  onLine?: (line: string) => void;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

/** The run's figures (`--json`, `--summary`): what the POS heard (HeardFigures), the latencies, the drain and the ledger check. */
export interface FleetReport extends HeardFigures {
  terminals: number;
  workers: number;
  transport: HostTransport;
  durationS: number;
  seed: number;
  chaos: ChaosEvent[];
  operations: number;
  operationsPerS: number;
  latencyMs: Record<FleetOp['type'], LatencySummary>;
  /** Calls the POS got an error for instead of an answer (busy, in progress, storage), by code. */
  errors: Record<string, number>;
  /** Most operations waiting in all the queues at once (sampled every second). */
  queueHighWater: number;
  /** From the end of the last fault to every queue drained, ms. */
  drainMs: number;
  openLeft: number;
  rssPerTerminalMB: number;
  violations: string[];
  offlineDeclined: string[];
  checked: { approvedBurns: number; otherBurns: number; earnings: number };
}

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'fleetWorker.js');
const FIRST_TERMINAL = 30_000_000;

/**
 * Runs a fleet of emulated terminals, each a real agent (see FleetTerminal),
 * spread over worker processes, against a loyalty host emulator: a seeded mix
 * of redemptions, earnings and checkouts with card-linked offers, POS retries
 * and hang-ups, and (with `chaos`) a seeded fault schedule through the host's
 * fault API. At the end every queue drains and what each POS heard is checked
 * against the host's ledger (reconcile): any violation is in the report.
 */
export async function runFleet(opts: FleetOptions): Promise<FleetReport> {
  const transport = opts.transport ?? 'rest';
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const hostTimeoutMs = opts.hostTimeoutMs ?? 2000;
  const durationMs = Math.round(opts.durationS * 1000);
  const workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), opts.terminals));
  const say = opts.onLine ?? (() => undefined);
  const random = prng(seed);
  const chaos = opts.chaos ? chaosSchedule(durationMs, hostTimeoutMs + 1500, random) : [];
  say(`fleet: ${opts.terminals} terminals on ${workers} workers, ${transport}, ${opts.durationS} s, seed ${seed}${opts.chaos ? ', chaos' : ''}`);
  if (opts.chaos) for (const l of formatSchedule(chaos).trimEnd().split('\n')) say(l);

  await fault({ clear: true }, opts.hostUrl).catch((err: unknown) => {
    throw new Error(`cannot reach the host emulator's fault API at ${opts.hostUrl}/_emulator/faults: ${err instanceof Error ? err.message : String(err)}`);
  });
  const dir = mkdtempSync(join(tmpdir(), 'pos-fleet-'));
  const keyFile = join(dir, 'queue.key');
  writeQueueKeyFile(keyFile);
  const ids = Array.from({ length: opts.terminals }, (_, i) => String(FIRST_TERMINAL + i));
  const children: { proc: ChildProcess; inbox: WorkerMessage[]; waiters: (() => void)[] }[] = [];
  const runStart = Date.now();
  try {
    for (let w = 0; w < workers; w++) {
      const spec: WorkerSpec = {
        terminalIds: ids.filter((_, i) => i % workers === w),
        dir,
        keyFile,
        merchantId: opts.merchantId ?? 'IBP000000000162',
        transport,
        hostUrl: opts.hostUrl,
        ...(opts.isoAddress ? { isoAddress: opts.isoAddress } : {}),
        hostTimeoutMs,
        offlineEvery: 3,
        seed,
        durationMs,
        drainMs: opts.drainMs ?? 90_000,
      };
      const proc = fork(WORKER, [JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const child = { proc, inbox: [] as WorkerMessage[], waiters: [] as (() => void)[] };
      proc.on('message', (m: WorkerMessage) => {
        child.inbox.push(m);
        for (const w of child.waiters.splice(0)) w();
      });
      proc.on('exit', () => {
        for (const w of child.waiters.splice(0)) w();
      });
      children.push(child);
    }
    await Promise.all(children.map((c) => expect<'ready'>(c, 'ready', 120_000)));
    for (const c of children) c.proc.send({ type: 'go' });
    const started = Date.now();

    // Progress and the chaos schedule, while the workers run.
    const progress = new Map<ChildProcess, { ops: number; open: number }>();
    const tick = setInterval(() => {
      for (const c of children) {
        for (const m of c.inbox) if (m.type === 'progress') progress.set(c.proc, { ops: m.ops, open: m.open });
        c.inbox = c.inbox.filter((m) => m.type !== 'progress');
      }
      let ops = 0;
      let open = 0;
      for (const p of progress.values()) {
        ops += p.ops;
        open += p.open;
      }
      say(`  ${Math.round((Date.now() - started) / 1000)} s: ${ops} operations, ${open} queued`);
    }, 1000);
    tick.unref();
    let lastFaultEnd = started;
    for (const ev of chaos) {
      await sleepUntil(started + ev.atMs);
      await fault({ endpoint: ev.endpoint, ...ev.fault }, opts.hostUrl);
      await sleepUntil(started + ev.atMs + ev.durationMs);
      await fault({ clear: true }, opts.hostUrl);
      lastFaultEnd = Date.now();
    }
    const ran = await Promise.all(children.map((c) => expect<'ran'>(c, 'ran', durationMs + 120_000)));
    clearInterval(tick);
    await fault({ clear: true }, opts.hostUrl);
    const ranEnd = Date.now();
    for (const c of children) c.proc.send({ type: 'drain' });
    const drained = await Promise.all(children.map((c) => expect<'drained'>(c, 'drained', (opts.drainMs ?? 90_000) + 60_000)));
    const drainMs = Date.now() - Math.min(lastFaultEnd, ranEnd); // from the end of the last fault (or of the run)
    const elapsedS = Math.max(0.001, (ranEnd - started) / 1000);
    for (const c of children) c.proc.send({ type: 'close' });
    await Promise.all(children.map((c) => exited(c.proc, 30_000)));

    const steps: HeardStep[] = drained.flatMap((d) => d.steps);
    if (opts.reportFile) {
      writeFileSync(opts.reportFile, '');
      for (const s of steps) appendFileSync(opts.reportFile, JSON.stringify(s) + '\n');
    }
    const res = await fetch(`${opts.hostUrl}/_emulator/ledger`);
    if (!res.ok) throw new Error(`the host's ledger could not be read (${res.status})`);
    const ledger = (await res.json()) as { entries: LedgerEntryView[] };
    // Only this run's entries: a host may have served earlier runs with the same terminal ids.
    const entries = ledger.entries.filter((e) => Date.parse(e.time) >= runStart);
    const offlineDeclined = new Map(drained.flatMap((d) => d.offlineDeclined));
    const check = reconcile(steps, entries, offlineDeclined, new Set(ids), transport === 'iso8583' ? toRrn : (t) => t);
    const violations = [...check.violations, ...drained.flatMap((d) => d.mismatches.map((m) => `a retry heard another answer: ${m}`))];
    const openLeft = drained.reduce((s, d) => s + d.openLeft, 0);
    if (openLeft > 0) violations.push(`${openLeft} operations still queued after the drain`, ...drained.flatMap((d) => d.stuck.map((x) => `  still queued: ${x}`)));
    if (!drained.every((d) => d.invariantHolds)) violations.push('a queue broke its accounting invariant');

    const errors: Record<string, number> = {};
    for (const f of drained.flatMap((d) => d.failures)) {
      const code = f.slice(f.indexOf(': ') + 2);
      errors[code] = (errors[code] ?? 0) + 1;
    }
    const operations = ran.reduce((s, r) => s + r.ops, 0);
    const lat = (k: FleetOp['type']) => summarize(drained.flatMap((d) => d.latencies[k]));
    // Each worker's RSS at the end, over its terminals: what one terminal costs, its process's share included.
    const rss = drained.reduce((s, d) => s + d.rssBytes, 0);
    return {
      terminals: opts.terminals,
      workers,
      transport,
      durationS: opts.durationS,
      seed,
      chaos,
      operations,
      operationsPerS: round(operations / elapsedS),
      latencyMs: { redemption: lat('redemption'), earning: lat('earning'), checkout: lat('checkout') },
      ...heardFigures(steps, offlineDeclined),
      errors,
      queueHighWater: drained.reduce((s, d) => s + d.queueHigh, 0),
      drainMs,
      openLeft,
      rssPerTerminalMB: round(rss / opts.terminals / 2 ** 20),
      violations,
      offlineDeclined: check.offlineDeclined,
      checked: check.checked,
    };
  } finally {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    await fault({ clear: true }, opts.hostUrl).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resolves once the worker has exited (killing it after `ms`). */
function exited(proc: ChildProcess, ms: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The worker's first message of `type` (waiting at most `ms`); a worker that died or fell silent is an error. */
async function expect<T extends WorkerMessage['type']>(
  c: { proc: ChildProcess; inbox: WorkerMessage[]; waiters: (() => void)[] },
  type: T,
  ms: number,
): Promise<Extract<WorkerMessage, { type: T }>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const i = c.inbox.findIndex((m) => m.type === type);
    if (i >= 0) return c.inbox.splice(i, 1)[0] as Extract<WorkerMessage, { type: T }>;
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) throw new Error(`a fleet worker exited before "${type}" (code ${c.proc.exitCode})`);
    if (Date.now() > deadline) throw new Error(`a fleet worker sent no "${type}" within ${ms} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      c.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

async function fault(body: Record<string, unknown>, hostUrl: string): Promise<void> {
  const res = await fetch(`${hostUrl}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`the host refused a fault (${res.status}): is ${hostUrl} a pos-emulator host?`);
  await res.arrayBuffer();
}

function sleepUntil(t: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
}

function summarize(values: number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0 };
  const at = (p: number) => round(percentile(values, p));
  return { count: values.length, p50: at(50), p95: at(95), p99: at(99) };
}

const round = (n: number) => Math.round(n * 100) / 100;
