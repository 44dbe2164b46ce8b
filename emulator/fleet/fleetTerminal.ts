import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { composeAgent, type ComposedAgent } from '../../agent/index.js';
import type { NoCard } from '../../agent/checkout/index.js';
import type { CheckoutResult, EarningResult, RedemptionResult } from '../../agent/checkout/index.js';
import { parseConfigText } from '../../agent/config/index.js';
import type { HostTransport } from '../host/index.js';
import { MockTransport, ReaderEmulator } from '../reader/index.js';
import type { DeadItem } from './refusalAfterYes.js';
import type { FleetOp } from './workload.js';

/** One host-facing step of a POS operation, as the POS heard it (a line of `--report`). */
export interface HeardStep {
  terminalId: string;
  reference: string;
  kind: 'burn' | 'earn' | 'offer';
  status: string;
  transactionId: string;
  points?: number;
  amount?: number;
  queued?: boolean;
  reason?: string;
}

export interface TerminalConfig {
  dir: string;
  keyFile: string;
  terminalId: string;
  merchantId: string;
  transport: HostTransport;
  hostUrl: string;
  isoAddress?: string;
  offline: boolean;
  hostTimeoutMs: number;
}

type Answer = RedemptionResult | EarningResult | CheckoutResult | NoCard;

/**
 * An emulated terminal: the agent's own parts (composeAgent: the durable
 * queue on its own SQLite file, the forwarder, a host client, the serial
 * reader driver and the checkout), with a reader emulator on the mock serial
 * binding in front of it. A sale goes through the checkout exactly as the POS
 * API sends it there; nothing goes around the agent.
 */
export class FleetTerminal {
  readonly id: string;
  readonly #reader: ReaderEmulator;
  readonly #agent: ComposedAgent;
  readonly #timeoutMs: number;

  private constructor(id: string, reader: ReaderEmulator, agent: ComposedAgent, timeoutMs: number) {
    this.id = id;
    this.#reader = reader;
    this.#agent = agent;
    this.#timeoutMs = timeoutMs;
  }

  static async start(c: TerminalConfig, logger: Logger): Promise<FleetTerminal> {
    mkdirSync(c.dir, { recursive: true });
    const device = `/dev/ttyFLEET${c.terminalId}`;
    const yaml = [
      'terminal:',
      `  merchantId: "${c.merchantId}"`,
      `  terminalId: "${c.terminalId}"`,
      'reader:',
      `  path: ${device}`,
      'host:',
      ...(c.transport === 'rest'
        ? ['  transport: rest', `  baseUrl: ${c.hostUrl}`, '  clientId: IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', '  clientSecret: secret']
        : ['  transport: iso8583', `  isoAddress: "${c.isoAddress}"`]),
      `  timeoutMs: ${c.hostTimeoutMs}`,
      'queue:',
      `  path: ${join(c.dir, 'queue.db')}`,
      `  keyFile: ${c.keyFile}`,
      '  concurrency: 2',
      ...(c.offline ? ['offline:', '  enabled: true', '  maxPointsPerTxn: 50', '  maxTotalPoints: 200', '  maxCount: 5'] : []),
      'log:',
      '  level: silent',
    ].join('\n');
    writeFileSync(join(c.dir, 'agent.yaml'), yaml, { mode: 0o600 });
    const { config } = parseConfigText(yaml, { baseDir: c.dir, file: join(c.dir, 'agent.yaml') });
    const transport = new MockTransport(device);
    const reader = new ReaderEmulator({ transport });
    await reader.start();
    const agent = await composeAgent(config, logger.child({ terminalId: c.terminalId }), { binding: transport.binding, processMetrics: false });
    return new FleetTerminal(c.terminalId, reader, agent, c.hostTimeoutMs + 1500);
  }

  /**
   * Runs one POS operation and returns what the POS heard, step by step.
   * A hang-up drops the first call's answer and retries the reference; a
   * retry asks again and, after a final answer, must hear the same one (else `mismatch`).
   */
  async run(op: FleetOp): Promise<{ steps: HeardStep[]; mismatch?: string }> {
    const call = (signal?: AbortSignal): Promise<Answer> => {
      const t = { timeoutMs: this.#timeoutMs };
      switch (op.type) {
        case 'redemption':
          return this.#agent.checkout.redeem({ reference: op.reference, points: op.points, ...t }, signal);
        case 'earning':
          return this.#agent.checkout.earn({ reference: op.reference, amount: op.amount, ...t }, signal);
        case 'checkout':
          return this.#agent.checkout.checkout({ reference: op.reference, amount: op.amount, redeemPoints: op.points, acceptOffer: op.acceptOffer, ...t }, signal);
      }
    };
    let answer: Answer;
    if (op.hangUp) {
      const ac = new AbortController();
      const first = this.#swiped(op.card, () => call(ac.signal), () => ac.abort());
      await first.catch(() => undefined); // the POS is gone: nobody hears this one
      answer = await this.#swiped(op.card, () => call());
    } else {
      answer = await this.#swiped(op.card, () => call());
    }
    if (!op.retry) return { steps: heardSteps(this.id, op, answer) };
    // A final answer is replayed to the letter; after a non-final one (nothing reached the host) the retry is a new try.
    const final = this.#agent.checkout.operation(op.reference)?.state === 'final';
    const again = await this.#swiped(op.card, () => call());
    if (!final) return { steps: heardSteps(this.id, op, again) };
    const same = JSON.stringify(again) === JSON.stringify(answer);
    const steps = heardSteps(this.id, op, answer);
    return same ? { steps } : { steps, mismatch: `${op.reference}: first ${JSON.stringify(answer)}, retry ${JSON.stringify(again)}` };
  }

  /** The queue's open work (pending + sending) and its invariant. */
  /** The queue's open work: cheap enough to sample every second. */
  openWork(): number {
    const s = this.#agent.queue.stats();
    return s.pending + s.sending;
  }

  queueState(): { open: number; invariantHolds: boolean; offlineDeclined: [string, DeadItem][]; stuck: string[] } {
    const s = this.#agent.queue.stats();
    const stuck = s.pending + s.sending === 0 ? [] : [...this.#agent.queue.list({ state: 'pending', limit: 20 }), ...this.#agent.queue.list({ state: 'sending', limit: 20 })]
      .map((o) => `${this.id} ${o.kind}${o.offline ? ' (offline)' : ''} ${o.transactionId} ${o.state} after ${o.attempts} tries: ${o.lastError ?? ''}`);
    // What the POS heard as approved or accepted that the host refused later (dead-letter): offline burns, earnings.
    const offlineDeclined: [string, DeadItem][] = [];
    for (let offset = 0; offset < 1_000_000; offset += 1000) {
      const page = this.#agent.queue.list({ state: 'dead', limit: 1000, offset });
      for (const o of page) if ((o.kind === 'burn' && o.offline) || o.kind === 'earn') offlineDeclined.push([o.transactionId, { refusal: o.refusal, deadReason: o.deadReason }]);
      if (page.length < 1000) break;
    }
    return { open: s.pending + s.sending, invariantHolds: s.invariantHolds, offlineDeclined, stuck };
  }

  /** Forwards the queue now (the drain at the end of a run). */
  flush(): Promise<unknown> {
    return this.#agent.forwarder.flush();
  }

  async close(): Promise<void> {
    await this.#agent.close();
    await this.#reader.close();
  }

  /** Starts `call`, swipes `card` once the agent arms the reader for it, and returns its answer. */
  async #swiped<T>(card: string, call: () => Promise<T>, afterSwipe?: () => void): Promise<T> {
    const armsBefore = this.#reader.state.arms;
    const p = call();
    let settled = false;
    void p.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let i = 0; i < 2000 && !settled; i++) {
      if (this.#reader.state.armed && this.#reader.state.arms > armsBefore) {
        const swiped = await this.#reader.swipeCard(card);
        if (swiped.outcome === 'acked' || swiped.outcome === 'sent') {
          afterSwipe?.();
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return p;
  }
}

/** The host-facing steps of an answer: one line for a redemption or an earning, one per step for a checkout. */
function heardSteps(terminalId: string, op: FleetOp, a: Answer): HeardStep[] {
  const base = { terminalId, reference: op.reference };
  const burn = (r: RedemptionResult): HeardStep => ({
    ...base, kind: 'burn', status: r.status, transactionId: r.transactionId, points: r.debited > 0 ? r.debited : op.points,
    ...(r.queued ? { queued: true } : {}), ...(r.reason ? { reason: r.reason } : {}),
  });
  const earn = (e: EarningResult): HeardStep => ({
    ...base, kind: 'earn', status: e.status, transactionId: e.transactionId, ...(e.status === 'accepted' ? { queued: e.queued } : { reason: e.reason }),
  });
  if (op.type === 'redemption') return [burn(a as RedemptionResult)];
  if ('reason' in a && !('transactionId' in a) && !('offer' in a)) {
    return [{ ...base, kind: op.type === 'earning' ? 'earn' : 'burn', status: a.status, transactionId: '', reason: (a as NoCard).reason }];
  }
  if (op.type === 'earning') return [{ ...earn(a as EarningResult), amount: op.amount }];
  const c = a as CheckoutResult;
  const steps: HeardStep[] = [];
  if (c.offer.transactionId) {
    steps.push({ ...base, kind: 'offer', status: c.offer.status, transactionId: c.offer.transactionId, amount: op.amount, ...(c.offer.reason ? { reason: c.offer.reason } : {}) });
  }
  if (c.redemption) steps.push(burn(c.redemption));
  // An earning the agent could not write (`unavailable`) was not accepted: nothing of it should reach the host.
  if (c.earning && c.earning.status !== 'unavailable') steps.push({ ...earn(c.earning), amount: c.amountDue });
  return steps;
}
