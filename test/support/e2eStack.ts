import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPanLike } from '../../protocol/pan.js';
import { secretLeaks } from './secretLeaks.js';
import { jsonLine } from '../../emulator/stack/childProcess.js';
import { CounterStack, type StackOptions } from '../../emulator/stack/counterStack.js';
import type { JournalEntry } from '../../emulator/host/ledger/index.js';
import { agentRequest, jsonRequest, withSwipe, type PosAnswer } from '../../emulator/stack/posClient.js';

/** True when socat is installed. Under CI=true the e2e suites must run, so they never skip there. */
export function socatAvailable(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Skip only on a developer machine without socat; CI installs it and must run these. */
export const skipWithoutSocat = !socatAvailable() && process.env.CI !== 'true';

export interface LedgerCard {
  name: string;
  pan: string;
  accounts: { accountId: string; balance: number }[];
}
export interface LedgerEntry {
  transactionId: string;
  kind: string;
  points: number;
  name: string;
}

/** One (kind, transactionId) as the host saw it: `GET /_emulator/journal`. */
export type { JournalEntry } from '../../emulator/host/ledger/index.js';

/**
 * A CounterStack (host, reader on socat, agent: real processes) for a test
 * file, with the POS calls it makes recorded so every answer can be scanned
 * for card numbers at the end.
 */
export class E2eStack {
  readonly answers: PosAnswer[] = [];
  readonly #opts: Omit<StackOptions, 'dir'>;
  #dir: string | undefined;
  #stack: CounterStack | undefined;

  constructor(opts: Omit<StackOptions, 'dir'> = {}) {
    this.#opts = opts;
  }

  /** The running counter (host, reader, agent processes). */
  get stack(): CounterStack {
    if (!this.#stack) throw new Error('the e2e stack is not started');
    return this.#stack;
  }

  /** Makes a temp folder and starts the three processes in it. */
  async start(): Promise<this> {
    this.#dir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
    this.#stack = new CounterStack({ ...this.#opts, dir: this.#dir });
    await this.#stack.start();
    return this;
  }

  /**
   * A clean slate on the running stack, as if it had just started: the agent
   * and the host are killed, the host's ledger and the agent's queue are deleted,
   * the reader is replugged (plugged, disarmed, idle), then the host starts
   * again on its port with the fixtures' balances and the agent starts on an
   * empty queue. Cheaper than a new stack: the reader and its link stay.
   */
  async fresh(): Promise<void> {
    const s = this.stack;
    const dir = this.#dir as string;
    // Their state is thrown away, so there is nothing to close cleanly: SIGKILL, by pid.
    await Promise.all([s.agent.stop('SIGKILL'), s.host.stop('SIGKILL')]);
    // CounterStack keeps them as <dir>/host.db and <dir>/queue.db (plus -wal, -shm, .lock).
    const dbs = readdirSync(dir).filter((f) => /^(host|queue)\.db/.test(f));
    if (!dbs.includes('host.db') || !dbs.includes('queue.db')) {
      throw new Error(`fresh(): expected host.db and queue.db in ${dir}, found ${JSON.stringify(readdirSync(dir))}; the stack's layout changed`);
    }
    for (const f of dbs) rmSync(join(dir, f), { force: true });
    const from = s.reader.stdout.length;
    s.readerCommand('replug');
    await s.reader.waitForLine((l) => jsonLine(l)?.cmd === 'replug', 10_000, from);
    await s.startHost();
    await s.startAgent();
    this.answers.length = 0;
    await this.ready();
  }

  /** Waits until the agent's health shows the reader connected and the host online, as a test expects at its start. */
  async ready(): Promise<void> {
    await eventually('the agent to see the reader and the host', async () => {
      const h = await agentRequest(this.stack, 'GET', '/v1/health');
      return h.body.reader === 'connected' && h.body.host === 'online';
    }, 200, 50);
  }

  /** Stops every process it started, by pid, and removes the temp folder. */
  async stop(): Promise<void> {
    await this.#stack?.stop();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
  }

  /** A POS call on the agent that needs a swipe of fixture card `card`. */
  async swiped(card: string, method: string, path: string, body?: unknown): Promise<PosAnswer> {
    const a = await withSwipe(this.stack, card, () => agentRequest(this.stack, method, path, body));
    this.answers.push(a);
    return a;
  }

  /** A POS call on the agent with no card involved. */
  async agent(method: string, path: string, body?: unknown): Promise<PosAnswer> {
    const a = await agentRequest(this.stack, method, path, body);
    this.answers.push(a);
    return a;
  }

  async ledger(): Promise<{ cards: LedgerCard[]; entries: LedgerEntry[] }> {
    return (await jsonRequest('GET', `${this.stack.hostUrl}/_emulator/ledger`)).body as unknown as { cards: LedgerCard[]; entries: LedgerEntry[] };
  }

  /** What the host received and applied, per (kind, transactionId). */
  async journal(): Promise<JournalEntry[]> {
    return ((await jsonRequest('GET', `${this.stack.hostUrl}/_emulator/journal`)).body as { transactions: JournalEntry[] }).transactions;
  }

  /** The host's journal entry for one (kind, transactionId), or undefined when the host never received it. */
  async journalOf(kind: JournalEntry['kind'], transactionId: string): Promise<JournalEntry | undefined> {
    return (await this.journal()).find((j) => j.kind === kind && j.transactionId === transactionId);
  }

  /** Sets a host fault (`POST /_emulator/faults`), e.g. `{endpoint: 'rewards/redeem', latencyMs: 2000}`; `{clear: true}` clears all. */
  async fault(f: Record<string, unknown>): Promise<void> {
    const r = await jsonRequest('POST', `${this.stack.hostUrl}/_emulator/faults`, f);
    if (r.status !== 200) throw new Error(`fault not set: ${JSON.stringify(r.body)}`);
  }

  async balanceOf(name: string): Promise<number> {
    const card = (await this.ledger()).cards.find((c) => c.name === name);
    return card ? card.accounts.reduce((s, a) => s + a.balance, 0) : 0;
  }

  async entriesOf(name: string): Promise<LedgerEntry[]> {
    return (await this.ledger()).entries.filter((e) => e.name === name);
  }

  /**
   * Every line the agent, the reader emulator and the host wrote, and every
   * agent answer, that holds a PAN-like digit run (Luhn-valid, 13–19 digits).
   * {@link tokenLeaks} scans the same lines for the POS API token.
   */
  panLeaks(): string[] {
    const leaks: string[] = [];
    for (const [where, lines] of this.#scanned()) {
      for (const line of lines) {
        for (const hit of findPanLike(line)) {
          // Show where, and the run masked, so the failure itself leaks nothing.
          leaks.push(`${where}: …${line.slice(Math.max(0, hit.index - 40), hit.index)}[${hit.length} digits]…`);
        }
      }
    }
    return leaks;
  }

  /** Every line of the same scan that holds the agent's POS API token, or 16 characters of it in a row. */
  tokenLeaks(): string[] {
    return secretLeaks(this.stack.apiToken, this.#scanned());
  }

  #scanned(): [string, string[]][] {
    return [
      ['agent stdout', this.stack.agent.stdout],
      ['agent stderr', this.stack.agent.stderr],
      ['reader stdout', this.stack.reader.stdout],
      ['reader stderr', this.stack.reader.stderr],
      ['host stderr', this.stack.host.stderr],
      ['POS answers', this.answers.map((a) => JSON.stringify(a.body))],
    ];
  }
}


/** An E2eStack started before the enclosing describe's tests and stopped after them. */
export function e2eStackForSuite(opts: Omit<StackOptions, 'dir'> = {}): E2eStack {
  const e = new E2eStack(opts);
  beforeAll(() => e.start(), 60_000);
  afterAll(() => e.stop());
  return e;
}

/**
 * An E2eStack whose every test starts from the fixtures' state: one stack for
 * the enclosing describe, made {@link E2eStack.fresh} before each test but the
 * first, so a test can run alone (`-t`) or in any order. After each test its
 * logs and answers are scanned for card numbers and for the POS API token.
 */
export function e2eStackPerTest(opts: Omit<StackOptions, 'dir'> = {}): E2eStack {
  const e = new E2eStack(opts);
  let used = false;
  beforeAll(async () => {
    await e.start();
    await e.ready();
  }, 60_000);
  beforeEach(async () => {
    if (used) await e.fresh();
    used = true;
  }, 60_000);
  afterEach(() => {
    expect(e.panLeaks()).toEqual([]);
    expect(e.tokenLeaks()).toEqual([]);
  });
  afterAll(() => e.stop());
  return e;
}

/** Polls `check` every `everyMs` until it is true, at most `tries` times; throws naming `what` otherwise. */
export async function eventually(what: string, check: () => Promise<boolean>, tries = 100, everyMs = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}
