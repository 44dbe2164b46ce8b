/**
 * `npm start` (dist/emulator/demo.js) as a newcomer sees it: cashier-language
 * lines a terminal can show, the raw JSON only behind `--json`, cards masked
 * one way (first 6, last 4), no card number in the clear, and at the end
 * what to try next.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../agent/packageInfo.js';
import { findPanLike } from '../../protocol/pan.js';
import { startChild, type Child } from '../../emulator/stack/childProcess.js';
import { skipWithoutSocat } from '../support/e2eStack.js';

const DEMO = join(packageRoot(), 'dist', 'emulator', 'demo.js');

describe.skipIf(skipWithoutSocat)('the demo', () => {
  let child: Child | undefined;
  afterEach(async () => {
    await child?.stop();
    child = undefined;
  });

  const runDemo = async (args: string[]): Promise<string[]> => {
    child = startChild(process.execPath, [DEMO, ...args]);
    const code = await child.exited;
    expect(child.stderr).toEqual([]);
    expect(code).toBe(0);
    return child.stdout;
  };

  /** Every masked-looking run of digits and `*` in the text. */
  const maskedRuns = (lines: string[]) => lines.join('\n').match(/[0-9*][0-9* ]*\*[0-9* ]*[0-9*]/g) ?? [];

  it('speaks to the cashier, masks cards one way, and ends with what to try next', async () => {
    const out = await runDemo([]);
    expect(out.filter((l) => l.length > 120)).toEqual([]);
    // No raw JSON without --json.
    expect(out.filter((l) => l.includes('{"') || l.trim().startsWith('{'))).toEqual([]);
    // The answers in words.
    const text = out.join('\n');
    expect(text).toContain('Approved: 300 points redeemed from card 628000******0016');
    expect(text).toMatch(/Points will be credited .*sent when the host is back/);
    expect(text).toContain('2 operations waiting to be sent');
    expect(text).toContain('To pay: 25.00');
    // What it shows is said in plain words: no bare Pay with Points id, the account named, the cashback's 1.00 placed.
    expect(text).not.toMatch(/\b(ofr|cof|crd|red)_\d+/);
    expect(text).toMatch(/happy 628000\*{6}0016: \d+ points in its Reward Points account \(the host's account number 12\)/);
    expect(text).toMatch(/1\.00 back is cashback, not a discount: Pay with Points pays it to the customer[^]*pays the full 25\.00/);
    // One masking style: first 6, last 4.
    const runs = maskedRuns(out);
    expect(runs.length).toBeGreaterThan(3);
    expect(runs.filter((r) => !/^\d{6}\*+\d{4}$/.test(r))).toEqual([]);
    expect(out.flatMap((l) => findPanLike(l))).toEqual([]);
    // What to try next, each a command or a file of this repository.
    const next = out.indexOf('What to try next:');
    expect(next).toBeGreaterThan(0);
    const tries = out.slice(next + 1).filter((l) => l.trim() !== '');
    expect(tries.length).toBeGreaterThanOrEqual(3);
    expect(tries.join('\n')).toContain('npm run console');
  }, 120_000);

  it('shows the raw JSON of each answer under its line with --json', async () => {
    const out = await runDemo(['--json']);
    const raw = out.filter((l) => /^ {5}\d{3} \{/.test(l));
    expect(raw.length).toBeGreaterThanOrEqual(7);
    for (const l of raw) expect(() => JSON.parse(l.trim().slice(4)) as unknown).not.toThrow();
    // Each raw line follows its cashier line.
    for (const l of raw) expect(out[out.indexOf(l) - 1]).toMatch(/^ {3}→ /);
    // Pay with Points' ids only here, each said for what it is.
    expect(out.join('\n')).toMatch(/Pay with Points' own ids: the offer ofr_\d+, the card crd_\d+, the card's link to the offer cof_\d+/);
    expect(maskedRuns(out).filter((r) => !/^\d{6}\*+\d{4}$/.test(r))).toEqual([]);
    expect(out.flatMap((l) => findPanLike(l))).toEqual([]);
  }, 120_000);
});
