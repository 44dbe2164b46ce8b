/**
 * The mock-binding counter needs no socat: a child process whose PATH holds no socat (an empty folder)
 * runs a redemption through the built package's `pos-agent/emulator` entry, and a `pty` counter there
 * fails with the reader emulator's socat error, leaving its folder behind it removed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const ENTRY = resolve(import.meta.dirname, '../../../dist/emulator/index.js');
const dir = mkdtempSync(join(tmpdir(), 'pos-no-socat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
import { spawnSync } from 'node:child_process';
const { startCounter } = await import(process.env.ENTRY);
const which = spawnSync('socat', ['-V']);
const out = { socatError: which.error?.code ?? null };
const c = await startCounter({ reader: 'mock', tmpDir: process.env.WORK });
try {
  const sale = fetch(c.agentUrl + '/v1/redemptions', { method: 'POST', headers: c.posHeaders, body: JSON.stringify({ reference: 'ns-1', points: 40 }) });
  out.swipe = (await c.reader.swipe('happy')).outcome;
  out.answer = await (await sale).json();
  out.balance = await c.host.balanceOf('happy');
} finally {
  await c.stop();
}
out.pty = await startCounter({ reader: 'pty', tmpDir: process.env.WORK }).then(async (p) => { await p.stop(); return 'started'; }, (e) => e.code);
console.log(JSON.stringify(out));
`;

it('runs the mock-reader counter with socat hidden from the PATH', async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: build first (npx tsc -p tsconfig.json)`);
  const emptyBin = mkdtempSync(join(dir, 'bin-'));
  const work = mkdtempSync(join(dir, 'work-'));
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    env: { PATH: emptyBin, HOME: dir, ENTRY: pathToFileURL(ENTRY).href, WORK: work },
    timeout: 60_000,
  });
  const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  expect(out.socatError).toBe('ENOENT'); // the child really cannot find socat
  expect(out.swipe).toBe('acked');
  expect(out.answer).toMatchObject({ status: 'approved', debited: 40, balanceAfter: 2410 });
  expect(out.balance).toBe(2410);
  expect(out.pty).toBe('EMU_READER_ERR_SOCAT');
  expect(readdirSync(work)).toEqual([]);
}, 60_000);
