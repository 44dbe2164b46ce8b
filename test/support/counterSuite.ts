import { afterAll, beforeAll } from 'vitest';
import { findPanLike } from '../../protocol/pan.js';
import { startCounter, type Counter, type CounterOptions, type LedgerViewEntry } from '../../emulator/index.js';
import { jsonRequest, type PosAnswer } from '../../emulator/stack/index.js';
import { secretLeaks } from './secretLeaks.js';

/**
 * A counter from {@link startCounter} (host, reader, agent in the test process) for a test file: the e2e
 * tests that need no agent process of their own (no kill, no failpoint) stand their counter up this way,
 * as a consumer of `pos-agent/emulator` does. The POS answers are kept so that every answer and every agent
 * log line can be scanned for card numbers.
 */
export class CounterSuite {
  readonly answers: PosAnswer[] = [];
  readonly #opts: CounterOptions;
  #counter: Counter | undefined;

  constructor(opts: CounterOptions) {
    this.#opts = opts;
  }

  get counter(): Counter {
    if (!this.#counter) throw new Error('the counter is not started');
    return this.#counter;
  }

  async start(): Promise<void> {
    this.#counter = await startCounter(this.#opts);
  }

  async stop(): Promise<void> {
    await this.#counter?.stop();
  }

  /** A POS call on the agent that needs a swipe of `card`. */
  async swiped(card: string, method: string, path: string, body?: unknown): Promise<PosAnswer> {
    const a = await this.counter.withSwipe(card, () => this.#request(method, path, body));
    this.answers.push(a);
    return a;
  }

  /** A POS call on the agent with no card involved. */
  async agent(method: string, path: string, body?: unknown): Promise<PosAnswer> {
    const a = await this.#request(method, path, body);
    this.answers.push(a);
    return a;
  }

  balanceOf(name: string): Promise<number> {
    return this.counter.host.balanceOf(name);
  }

  async entriesOf(name: string): Promise<LedgerViewEntry[]> {
    return (await this.counter.host.ledger()).entries.filter((e) => e.name === name);
  }

  /** Every agent log line and POS answer that holds a PAN-like digit run (Luhn-valid, 13–19 digits), masked. */
  panLeaks(): string[] {
    const leaks: string[] = [];
    for (const [where, lines] of [['agent log', this.counter.logs()], ['POS answers', this.answers.map((a) => JSON.stringify(a.body))]] as const) {
      for (const line of lines) {
        for (const hit of findPanLike(line)) leaks.push(`${where}: …${line.slice(Math.max(0, hit.index - 40), hit.index)}[${hit.length} digits]…`);
      }
    }
    return leaks;
  }

  /** Card numbers (see {@link panLeaks}) and the POS API token (or 16 characters of it) in the agent's logs or answers. */
  leaks(): string[] {
    const sources = [['agent log', this.counter.logs()], ['POS answers', this.answers.map((a) => JSON.stringify(a.body))]] as const;
    return [...this.panLeaks(), ...secretLeaks(this.counter.apiToken ?? '', sources)];
  }

  #request(method: string, path: string, body?: unknown): Promise<PosAnswer> {
    return jsonRequest(method, `${this.counter.agentUrl}${path}`, body, this.counter.posHeaders);
  }
}

/** A {@link CounterSuite} started before the enclosing describe's tests and stopped after them. */
export function counterForSuite(opts: CounterOptions): CounterSuite {
  const s = new CounterSuite(opts);
  beforeAll(() => s.start(), 60_000);
  afterAll(() => s.stop());
  return s;
}
