import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
 * The same tarball is then installed into a fresh consumer project, which runs the emulator library's
 * README example (`emulator/examples/counter.test.ts`) under its own vitest.
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
  let tarballPath = '';

  // Asynchronous: a synchronous install would block the test worker for minutes.
  beforeAll(async () => {
    // dist/ is built by `npm test` (tsc) before vitest runs; --ignore-scripts skips the prepare build.
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack made no tarball');
    tarballPath = path.join(dir, tarball);
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
    expect(existsSync(path.join(installed, 'dist', 'emulator', 'examples'))).toBe(false);
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

  it("a consumer project installs the tarball and runs the README's example test: tsc --noEmit, then vitest", async () => {
    // Outside the checkout (the temp folder), so nothing resolves through this project's node_modules.
    const consumer = path.join(dir, 'consumer');
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'till-tests', private: true, type: 'module' }, null, 2));
    // From npm's cache (the global install above fetched every dependency). --ignore-scripts: better-sqlite3's
    // native build is taken from the global install below instead of compiling it a second time.
    await run('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarballPath], { cwd: consumer, maxBuffer: 64 * 1024 * 1024 });
    const modules = path.join(consumer, 'node_modules');
    const version = (dirOf: string) => (JSON.parse(readFileSync(path.join(dirOf, 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
    // The same better-sqlite3 version, built by the global install for this Node: its binary is what a build here would make.
    expect(version(modules)).toBe(version(path.join(installed, 'node_modules')));
    cpSync(path.join(installed, 'node_modules', 'better-sqlite3', 'build'), path.join(modules, 'better-sqlite3', 'build'), { recursive: true });
    // The consumer's own test tools: the versions this project tests with, linked rather than downloaded again
    // (@types/node usually came with the package already: its types need it).
    mkdirSync(path.join(modules, '@types'), { recursive: true });
    for (const tool of ['vitest', 'typescript', '@types/node']) {
      if (!existsSync(path.join(modules, tool))) symlinkSync(realpathSync(path.join(ROOT, 'node_modules', tool)), path.join(modules, tool));
    }
    writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: false },
      include: ['*.ts'],
    }, null, 2));
    cpSync(path.join(ROOT, 'emulator', 'examples', 'counter.test.ts'), path.join(consumer, 'counter.test.ts'));
    // The protocol entry's types too: a frame through the codec, as a consumer of the codec alone would write it.
    writeFileSync(path.join(consumer, 'frames.ts'), [
      "import { encodeFrame, FrameDecoder, type DecoderEvent } from 'pos-agent/protocol';",
      "const events: DecoderEvent[] = new FrameDecoder().push(encodeFrame('C', ';6280000000000016=3012101?'));",
      'export const kinds: string[] = events.map((e) => e.kind);',
      '',
    ].join('\n'));
    // The package exposes its two entry points and nothing else.
    const resolves = (spec: string) => spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(spec)})`], { cwd: consumer, encoding: 'utf8' });
    expect(resolves('pos-agent/protocol').status).toBe(0);
    expect(resolves('pos-agent/emulator/stack/index.js').stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(resolves('pos-agent').stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    // A clean environment: not this vitest worker's variables.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR')), NO_COLOR: '1' };
    const tsc = spawnSync(process.execPath, [path.join(modules, 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: consumer, env, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const test = await run(process.execPath, [path.join(modules, 'vitest', 'vitest.mjs'), 'run', '--reporter=verbose'], { cwd: consumer, env, maxBuffer: 16 * 1024 * 1024 });
    // eslint-disable-next-line no-control-regex -- colour codes, should a terminal setting still turn them on
    expect(test.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/Tests\s+3 passed \(3\)/);
  }, 180_000);

  it('the installed agent refuses a missing config with one line and exit 2, no stack trace', () => {
    const r = spawnSync(bin('pos-agent'), ['run'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
