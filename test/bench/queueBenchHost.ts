/**
 * The host emulator as a child process for the queue drain benchmark, so the
 * forwarder and the emulator do not share one event loop, with `count` extra
 * enrolled bench cards (Luhn-valid PANs generated on the fly, 628000 + a
 * counter + check digit) so the per-card FIFO does not cap parallelism.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CardRef } from '../../protocol/cardRef.js';
import { DEFAULT_FIXTURES, type CardFixture, type Fixtures } from '../../emulator/host/fixtures.js';
import { parsePan, parseYymm } from '../../protocol/pan.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'emulator', 'cli.js');

/** Appends the Luhn check digit to `body`. */
export function withLuhnDigit(body: string): string {
  let sum = 0;
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** `count` bench cards: 6280009 + a 8-digit counter + check digit (16 digits), all expiring 3012. */
export function benchCards(count: number): CardRef[] {
  return Array.from({ length: count }, (_, i) => ({
    pan: parsePan(withLuhnDigit(`6280009${String(i).padStart(8, '0')}`)),
    expiry: parseYymm('3012'),
  }));
}

export interface BenchHost {
  url: string;
  close(): Promise<void>;
}

/** Starts `pos-emulator host` on port 0 with the default fixtures plus `cards` enrolled; resolves when it listens. */
export async function startBenchHost(dir: string, cards: readonly CardRef[]): Promise<BenchHost> {
  const extra: CardFixture[] = cards.map((c, i) => ({
    name: `bench-${i}`,
    pan: c.pan,
    expiry: c.expiry,
    holder: 'BENCH/BEA',
    enrolled: true,
    accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', balance: 0 }],
    behaviour: 'normal',
    linkedOffers: [],
  }));
  const fixtures: Fixtures = { ...DEFAULT_FIXTURES, cards: [...DEFAULT_FIXTURES.cards, ...extra] };
  const file = join(dir, 'bench-fixtures.json');
  writeFileSync(file, JSON.stringify(fixtures), { mode: 0o600 });
  const child = spawn(process.execPath, [cli, 'host', '--port', '0', '--fixtures', file], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await listeningUrl(child, 20_000);
    return {
      url,
      async close() {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
        await exited;
      },
    };
  } catch (err) {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    await exited;
    throw err;
  }
}

function listeningUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`host emulator did not start within ${timeoutMs} ms`)), timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      text += chunk;
      const m = /"url":"([^"]+)"/.exec(text);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host emulator exited with code ${String(code)} before listening`));
    });
  });
}
