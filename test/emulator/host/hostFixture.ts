/** Shared set-up for the host tests: a real host on 127.0.0.1:0 and a signed client. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startHost, type HostOptions, type RunningHost } from '../../../emulator/host/index.js';
import { DEFAULT_FIXTURES, fixtureCard, type CardFixture } from '../../../emulator/host/fixtures.js';
import { signedClient, type SignedFetch } from '../../support/signedFetch.js';

export const MERCHANT = 'IBP000000000162';
export const TERMINAL = '20690111';

export function card(name: string): CardFixture {
  const c = fixtureCard(DEFAULT_FIXTURES, name);
  if (!c) throw new Error(`no fixture card ${name}`);
  return c;
}

export interface TestHost {
  host: RunningHost;
  api: SignedFetch;
}

/** Starts a host and fetches a token for the seed's sample client. */
export async function startTestHost(opts: HostOptions = {}): Promise<TestHost> {
  const host = await startHost(opts);
  try {
    const api = await signedClient(host.url, opts.clock ? { now: opts.clock } : {});
    return { host, api };
  } catch (err) {
    await host.close();
    throw err;
  }
}

/** A host run by vitest hooks. `api` may be taken out early and called once the host runs. */
export interface HookedHost {
  /** The running host; throws when none is running. */
  readonly host: RunningHost;
  /** Signs with the running host's client. */
  readonly api: SignedFetch;
}

class HostSlot implements HookedHost {
  #current: TestHost | undefined;

  readonly api: SignedFetch = (req) => this.#running().api(req);

  get host(): RunningHost {
    return this.#running().host;
  }

  async start(opts: HostOptions = {}): Promise<void> {
    this.#current = await startTestHost(opts);
  }

  async close(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    await current?.host.close();
  }

  #running(): TestHost {
    if (!this.#current) throw new Error('no test host is running: start it first (hostPerTest) or use it inside a test (hostForFile)');
    return this.#current;
  }
}

/** One host for the whole file: started in beforeAll, closed in afterAll. */
export function hostForFile(opts: HostOptions = {}): HookedHost {
  const slot = new HostSlot();
  beforeAll(() => slot.start(opts));
  afterAll(() => slot.close());
  return slot;
}

/** A host per test: each test calls `start(opts)`; it is closed after each test. */
export function hostPerTest(): HookedHost & { start(opts?: HostOptions): Promise<void> } {
  const slot = new HostSlot();
  afterEach(() => slot.close());
  return slot;
}

/** The `error.code` of the seed's error body. */
export const codeOf = (body: unknown): string => (body as { error: { code: string } }).error.code;

/** Card headers for the balance call. */
export function cardHeaders(c: { pan: string; expiry?: string }, merchantId = MERCHANT, terminalId = TERMINAL): Record<string, string> {
  return { merchantId, terminalId, PAN: c.pan, ...(c.expiry ? { expiryDate: c.expiry } : {}) };
}

/** Balance call for a fixture card; returns the parsed body. */
export async function balanceOf(api: SignedFetch, c: { pan: string; expiry?: string }, terminal = TERMINAL) {
  const r = await api({ path: '/api/v1/loyalty/rewards?timeStamp=20140602122810&transactionId=0133', headers: cardHeaders(c, MERCHANT, terminal) });
  return r;
}

/** A mutable clock for tests. */
export function testClock(start: number): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}
