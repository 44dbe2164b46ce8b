/**
 * `pos-emulator fleet` against a real host emulator process: N terminals run
 * sales for a bounded time, the report's counts match the host's ledger, and
 * bad arguments are refused.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLine, startChild, type Child } from '../../../emulator/stack/childProcess.js';
import { EMULATOR_CLI } from '../../../emulator/stack/counterStack.js';

const run = promisify(execFile);

describe('pos-emulator fleet', () => {
  let host: Child;
  let url = '';

  beforeAll(async () => {
    host = startChild(process.execPath, [EMULATOR_CLI, 'host', '--port', '0']);
    url = String(jsonLine(await host.waitForLine((l) => jsonLine(l)?.msg === 'listening'))?.url);
  });

  afterAll(async () => {
    await host?.stop();
  });

  it('drives terminals for the duration and every sale it counts is on the ledger', async () => {
    const { stdout } = await run(process.execPath, [EMULATOR_CLI, 'fleet', '--terminals', '3', '--duration', '1', '--host', url, '--json']);
    const report = JSON.parse(stdout) as { terminals: number; sales: number; errors: number; requests: number; latencyMs: { p50: number; p99: number } };
    expect(report.terminals).toBe(3);
    expect(report.errors).toBe(0);
    expect(report.sales).toBeGreaterThan(0);
    // Each sale is balance + burn (while points last) + earn.
    expect(report.requests).toBeGreaterThanOrEqual(2 * report.sales);
    expect(report.latencyMs.p99).toBeGreaterThanOrEqual(report.latencyMs.p50);
    const ledger = (await (await fetch(`${url}/_emulator/ledger`)).json()) as { entries: { kind: string; terminalId: string }[] };
    const earns = ledger.entries.filter((e) => e.kind === 'earn');
    expect(earns).toHaveLength(report.sales);
    expect(new Set(earns.map((e) => e.terminalId))).toEqual(new Set(['30000000', '30000001', '30000002']));
  });

  it.each([
    [['--terminals', '0', '--duration', '1', '--host', 'http://127.0.0.1:1'], '--terminals'],
    [['--terminals', '2', '--duration', 'x', '--host', 'http://127.0.0.1:1'], '--duration'],
    [['--terminals', '2', '--duration', '1'], '--host'],
  ])('refuses %j with exit 2 naming the flag', async (args, flag) => {
    const err = (await run(process.execPath, [EMULATOR_CLI, 'fleet', ...args]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain(flag);
  });
});
