import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutSocat } from '../support/e2eStack.js';
import type * as StackModule from '../../emulator/stack/index.js';

/**
 * The package as a field technician installs it: `npm pack`, then
 * `npm install -g --omit=dev` of the tarball (into a temporary prefix, not the
 * machine's), then the installed bins, and one sale through the installed code.
 * Building better-sqlite3 from source takes a minute or two, so this runs in CI
 * (CI=true, unless POS_TEST_PACKAGE=0: the Node 24 pass) or when asked (POS_TEST_PACKAGE=1).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; allowScripts: Record<string, boolean> };
const run = promisify(execFile);
const wanted = process.env.POS_TEST_PACKAGE === '1' || (process.env.CI === 'true' && process.env.POS_TEST_PACKAGE !== '0');

describe.skipIf(!wanted || skipWithoutSocat)('npm pack, then npm install -g --omit=dev of the tarball', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pos-pkg-'));
  const prefix = path.join(dir, 'prefix');
  const installed = path.join(prefix, 'lib', 'node_modules', PKG.name);
  const bin = (name: string) => path.join(prefix, 'bin', name);

  // Asynchronous: a synchronous install would block the test worker for minutes.
  beforeAll(async () => {
    // dist/ is built by `npm test` (tsc) before vitest runs; --ignore-scripts skips the prepare build.
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack made no tarball');
    // The packages allowed to run install scripts, as package.json's allowScripts names them (npm 11 blocks the rest).
    const allow = Object.keys(PKG.allowScripts).filter((k) => PKG.allowScripts[k] && k !== 'esbuild').join(',');
    await run('npm', ['install', '-g', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', `--allow-scripts=${allow}`, '--prefix', prefix, path.join(dir, tarball)], {
      maxBuffer: 64 * 1024 * 1024,
      // No prebuilt binary can be downloaded here: build the native modules from source at once.
      env: { ...process.env, npm_config_build_from_source: 'true' },
    });
  }, 480_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts pos-agent and pos-emulator on the PATH; --version prints the package version', () => {
    expect(execFileSync(bin('pos-agent'), ['--version'], { encoding: 'utf8' })).toBe(`pos-agent ${PKG.version}\n`);
    expect(execFileSync(bin('pos-emulator'), ['--version'], { encoding: 'utf8' })).toBe(`pos-emulator ${PKG.version}\n`);
  });

  it('installs no development tools, no sources and no tests, and ships the systemd unit', () => {
    for (const dev of ['typescript', 'vitest', 'fast-check', 'eslint']) expect(existsSync(path.join(installed, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(path.join(installed, 'dist', 'test'))).toBe(false);
    expect(existsSync(path.join(installed, 'agent', 'queue'))).toBe(false);
    expect(readFileSync(path.join(installed, 'agent', 'deploy', 'pos-agent.service'), 'utf8')).toMatch(/^ExecStart=\/usr\/local\/bin\/pos-agent run /m);
  });

  it('the installed agent takes an earning from a swipe through the installed emulator (native modules built)', async () => {
    const stackMod = (await import(pathToFileURL(path.join(installed, 'dist/emulator/stack/index.js')).href)) as typeof StackModule;
    const client = stackMod;
    // The installed stack runs the installed CLIs (its own package root), not this checkout's.
    expect(stackMod.AGENT_CLI).toBe(path.join(installed, 'dist', 'agent', 'cli.js'));
    const work = mkdtempSync(path.join(dir, 'counter-'));
    const stack = new stackMod.CounterStack({ dir: work });
    try {
      await stack.start();
      const answer = await client.withSwipe(stack, 'happy', () => client.agentRequest(stack, 'POST', '/v1/earnings', { reference: 'pkg-1', amount: 1250 }));
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('accepted');
    } finally {
      await stack.stop();
    }
  }, 60_000);

  it('the installed agent refuses a missing config with one line and exit 2, no stack trace', () => {
    const r = spawnSync(bin('pos-agent'), ['run'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
