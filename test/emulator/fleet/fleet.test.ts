/**
 * `pos-emulator fleet` with real agents (each terminal composed from the
 * agent's own parts) against a real host emulator process: a short chaos run
 * over each transport reconciles with zero violations (and `--summary`
 * writes its figures), and the same check fails (exit 1) against a host whose
 * idempotency is deliberately broken.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLine, startChild, type Child } from '../../../emulator/stack/childProcess.js';
import { EMULATOR_CLI } from '../../../emulator/stack/counterStack.js';
import type { FleetReport } from '../../../emulator/fleet/runFleet.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fleet-test-'));
const hosts: Child[] = [];
afterAll(async () => {
  await Promise.allSettled(hosts.map((h) => h.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function host(...args: string[]): Promise<{ url: string; isoPort: number }> {
  const h = startChild(process.execPath, [EMULATOR_CLI, 'host', '--port', '0', '--iso-port', '0', ...args]);
  hosts.push(h);
  const line = jsonLine(await h.waitForLine((l) => jsonLine(l)?.msg === 'listening')) as { url: string; isoPort: number };
  return line;
}

async function fleet(args: string[]): Promise<{ code: number; report: FleetReport; stderr: string }> {
  const r = await run(process.execPath, [EMULATOR_CLI, 'fleet', '--json', ...args], { maxBuffer: 64 * 1024 * 1024 }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
  return { code: r.code, report: JSON.parse(r.stdout) as FleetReport, stderr: r.stderr };
}

describe('pos-emulator fleet', () => {
  it.each(['rest', 'iso8583'] as const)('a short chaos run over %s: every POS answer matches the ledger', async (transport) => {
    const h = await host();
    const report = join(dir, `${transport}.jsonl`);
    const summary = join(dir, `${transport}.summary.json`);
    const args = ['--terminals', '6', '--duration', '6', '--workers', '2', '--chaos', '--seed', '11', '--host', h.url, '--report', report, '--summary', summary];
    const r = await fleet(transport === 'rest' ? args : [...args, '--transport', 'iso8583', '--iso-address', `127.0.0.1:${h.isoPort}`]);
    expect(r.report.violations).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.report.chaos.length).toBeGreaterThan(0);
    expect(r.stderr).toContain('chaos: at ');
    expect(r.report.checked.approvedBurns).toBeGreaterThan(0);
    expect(r.report.checked.earnings).toBeGreaterThan(0);
    expect(r.report.openLeft).toBe(0);
    const lines = readFileSync(report, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { terminalId: string; kind: string; reference: string });
    expect(lines.length).toBeGreaterThan(r.report.operations / 2);
    expect(new Set(lines.map((l) => l.kind))).toContain('burn');
    expect(lines.every((l) => /^300000\d\d$/.test(l.terminalId) && l.reference.startsWith(l.terminalId))).toBe(true);
    // --summary: the run's figures as JSON, the yes answers the host refused later by reason among them.
    const figures = JSON.parse(readFileSync(summary, 'utf8')) as FleetReport;
    expect(figures.outcomes).toEqual(r.report.outcomes);
    expect(figures.yesAnswers).toBeGreaterThan(0);
    for (const [k, n] of Object.entries(figures.refusals)) expect(figures.outcomes[k]).toBe(n);
    expect(Object.keys(figures.refusedAfterYes.byReason).sort()).toEqual(['expired-card', 'insufficient-points', 'other', 'queue-expired', 'unknown-card']);
    expect(Object.values(figures.refusedAfterYes.byReason).reduce((a, b) => a + b, 0)).toBe(figures.refusedAfterYes.total);
    expect(figures.refusedAfterYes.total).toBeLessThanOrEqual(figures.yesAnswers);
  }, 120_000);

  it('fails (exit 1, the doubled operations listed) against a host whose idempotency is broken', async () => {
    const h = await host('--unsafe-no-idempotency');
    const r = await fleet(['--terminals', '4', '--duration', '5', '--workers', '1', '--seed', '3', '--drain-s', '5', '--host', h.url]);
    expect(r.code).toBe(1);
    expect(r.report.violations.length).toBeGreaterThan(0);
    // A repeat applied again: an earning credited more than once, or a burn not debited exactly once.
    expect(r.report.violations.join('\n')).toMatch(/credited ([2-9]|\d{2,}) times|debited exactly once/);
  }, 120_000);

  it.each([
    [['--terminals', '0', '--duration', '1', '--host', 'http://127.0.0.1:1'], '--terminals'],
    [['--terminals', '2', '--duration', 'x', '--host', 'http://127.0.0.1:1'], '--duration'],
    [['--terminals', '2', '--duration', '1'], '--host'],
    [['--terminals', '2', '--duration', '1', '--host', 'http://127.0.0.1:1', '--transport', 'iso8583'], '--iso-address'],
    [['--terminals', '2', '--duration', '1', '--host', 'http://127.0.0.1:1', '--summary', join(dir, 'no-such-folder', 'summary.json')], '--summary'],
  ])('refuses %j with exit 2 naming the flag', async (args, flag) => {
    const err = (await run(process.execPath, [EMULATOR_CLI, 'fleet', ...args]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain(flag);
  });
});
