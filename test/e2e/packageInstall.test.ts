import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutSocat } from '../support/e2eStack.js';
import { cleanEnv, fencedBlockAfter, ROOT } from '../support/readmeCommands.js';
import type * as StackModule from '../../emulator/stack/index.js';

/**
 * The package as the READMEs tell its users to install it, the commands read from the READMEs and run as written:
 * - the field technician (agent/README.md, "Install on a Debian terminal"): step 2's lines (`npm install -g` of
 *   the tarball, `PREFIX="$(npm prefix -g)"`, `--version`), with npm's global prefix set to a temporary folder
 *   (`npm_config_prefix`, so `npm prefix -g` answers it, as it answers /usr or /usr/local on a terminal); then the
 *   installed bins, one sale through the installed code, and step 6's unit lines on that prefix, the unit written
 *   to a folder of the test instead of /etc/systemd/system and checked by `systemd-analyze verify`;
 * - the test-library user (emulator/README.md, "Use it in your tests"): its lines in a new folder holding the
 *   tarball, then the README's example test (`emulator/examples/counter.test.ts`) under that project's own tsc and
 *   vitest, and the native modules loaded there.
 * No prebuilt binary can be downloaded here, so both installs build better-sqlite3 from source
 * (`npm_config_build_from_source=true`, as both READMEs say for that case) at the same time, a minute or two;
 * this runs in CI (CI=true, unless POS_TEST_PACKAGE=0: the Node 24 pass) or when asked (POS_TEST_PACKAGE=1).
 */
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const run = promisify(execFile);
const wanted = process.env.POS_TEST_PACKAGE === '1' || (process.env.CI === 'true' && process.env.POS_TEST_PACKAGE !== '0');
const haveAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (wanted && !haveAnalyze && process.env.CI === 'true') throw new Error('CI must have systemd-analyze (Debian package systemd) for the guide\'s unit lines');

const GUIDE_INSTALL = fencedBlockAfter('agent/README.md', '2. **Install it**');
const GUIDE_UNIT = fencedBlockAfter('agent/README.md', '6. **Install the unit**');
const CONSUMER_INSTALL = fencedBlockAfter('emulator/README.md', '## Use it in your tests');
/** Cache first (the registry is only asked for what the cache lacks); native modules built here. */
const NPM_ENV = { npm_config_prefer_offline: 'true', npm_config_build_from_source: 'true' };

/** Runs a README's lines with `sh -e` (stops at the first that fails); resolves with what they printed. */
async function runLines(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run('sh', ['-e', '-c', script], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`these lines failed in ${cwd}:\n${script}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}

/** Every installed copy of package `name` under `dir`, as `name@version`. */
function copiesOf(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      const scoped = entry.startsWith('@') ? readdirSync(path.join(modules, entry)).map((e) => path.join(entry, e)) : [entry];
      for (const pkg of scoped) {
        const at = path.join(modules, pkg);
        if (pkg === name) found.push(`${name}@${(JSON.parse(readFileSync(path.join(at, 'package.json'), 'utf8')) as { version: string }).version}`);
        walk(path.join(at, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return found;
}

describe.skipIf(!wanted || skipWithoutSocat)("the package installed as the READMEs say: the guide's npm install -g, and a consumer project", () => {
  // Made in beforeAll, so a skipped run leaves no folder behind.
  let dir = '';
  let prefix = '';
  let installed = '';
  let consumer = '';
  const bin = (name: string) => path.join(prefix, 'bin', name);
  const tarball = `${PKG.name}-${PKG.version}.tgz`;
  let globalOutput = { stdout: '', stderr: '' };
  let consumerOutput = { stdout: '', stderr: '' };

  // Asynchronous: a synchronous install would block the test worker for minutes.
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pos-pkg-'));
    prefix = path.join(dir, 'prefix');
    installed = path.join(prefix, 'lib', 'node_modules', PKG.name);
    consumer = path.join(dir, 'consumer');
    // The commands name the tarball `npm pack` makes.
    for (const lines of [GUIDE_INSTALL, CONSUMER_INSTALL]) expect(lines).toContain(` ./${tarball}`);
    // dist/ is built by `npm test` (tsc) before vitest runs; --ignore-scripts skips the prepare build.
    const terminal = path.join(dir, 'terminal');
    mkdirSync(terminal);
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', terminal], { cwd: ROOT, env: cleanEnv() });
    expect(readdirSync(terminal)).toEqual([tarball]);
    // The consumer: a new folder outside the checkout (nothing resolves through this project's node_modules).
    mkdirSync(consumer);
    copyFileSync(path.join(terminal, tarball), path.join(consumer, tarball));
    // Both at once: each spends most of its time compiling SQLite, on one core.
    [globalOutput, consumerOutput] = await Promise.all([
      runLines(GUIDE_INSTALL, terminal, cleanEnv({ ...NPM_ENV, npm_config_prefix: prefix })),
      runLines(CONSUMER_INSTALL, consumer, cleanEnv(NPM_ENV)),
    ]);
  }, 600_000);
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it("the guide's step 2 installs into npm's global prefix and its --version line prints the package version; the bins are there", () => {
    expect(globalOutput.stdout.trimEnd().split('\n').at(-1)).toBe(`pos-agent ${PKG.version}`);
    expect(execFileSync(bin('pos-agent'), ['--version'], { encoding: 'utf8' })).toBe(`pos-agent ${PKG.version}\n`);
    expect(execFileSync(bin('pos-emulator'), ['--version'], { encoding: 'utf8' })).toBe(`pos-emulator ${PKG.version}\n`);
  });

  it('neither install warns of an unsupported engine: one light-my-request, with cookie@1 (cookie@2 needs Node 22)', () => {
    expect(globalOutput.stdout + globalOutput.stderr).not.toContain('EBADENGINE');
    expect(consumerOutput.stdout + consumerOutput.stderr).not.toContain('EBADENGINE');
    for (const root of [installed, consumer]) {
      expect(copiesOf(root, 'light-my-request'), root).toEqual(['light-my-request@6.6.0']);
      expect(copiesOf(root, 'cookie'), root).toEqual([expect.stringMatching(/^cookie@1\./)]);
    }
    const ls = spawnSync('npm', ['ls', 'cookie', '--all'], { cwd: consumer, encoding: 'utf8', env: cleanEnv() });
    expect(ls.stdout).toMatch(/cookie@1\./);
    expect(ls.stdout).not.toMatch(/cookie@2/);
  });

  it('installs no development tools, no sources and no tests, and ships the systemd unit', () => {
    for (const dev of ['typescript', 'vitest', 'fast-check', 'eslint']) expect(existsSync(path.join(installed, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(path.join(installed, 'dist', 'test'))).toBe(false);
    expect(existsSync(path.join(installed, 'agent', 'queue'))).toBe(false);
    expect(existsSync(path.join(installed, 'dist', 'emulator', 'examples'))).toBe(false);
    expect(readFileSync(path.join(installed, 'agent', 'deploy', 'pos-agent.service'), 'utf8')).toMatch(/^ExecStart=\/usr\/local\/bin\/pos-agent run /m);
  });

  it.skipIf(!haveAnalyze)("the guide's step 6 writes the prefix into the unit: verify passes against the installed pos-agent, Documentation= exists", async () => {
    const system = path.join(dir, 'systemd-system');
    mkdirSync(system);
    const output = await runLines(GUIDE_UNIT.replaceAll('/etc/systemd/system/', `${system}/`), dir, cleanEnv({ npm_config_prefix: prefix }));
    expect(output.stdout + output.stderr).toBe('');
    const unit = readFileSync(path.join(system, 'pos-agent.service'), 'utf8');
    expect(unit).toContain(`\nExecStart=${bin('pos-agent')} run --config /etc/pos-agent/pos-agent.yaml\n`);
    const docs = [...unit.matchAll(/^Documentation=(.*)$/gm)].map((m) => m[1] as string);
    expect(docs).toEqual([`file:${installed}/agent/README.md`]);
    expect(existsSync(docs[0]?.slice('file:'.length) as string)).toBe(true);
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

  it("the consumer project, installed by the library README's lines, type-checks and runs the README's example test with its own tsc and vitest", async () => {
    const manifest = JSON.parse(readFileSync(path.join(consumer, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | string>;
    expect(manifest.type).toBe('module');
    expect(Object.keys(manifest.devDependencies as object).sort()).toEqual(['@types/node', 'pos-agent', 'typescript', 'vitest']);
    // allowScripts covers every install script that runs (npm lists pos-agent's own `prepare`, which it does not run for a tarball).
    const uncovered = [...consumerOutput.stderr.matchAll(/^npm warn install-scripts\s+(@?[^@\s]+)@\S+ \(/gm)].map((m) => m[1]);
    expect(uncovered.filter((name) => name !== PKG.name)).toEqual([]);
    const modules = path.join(consumer, 'node_modules');
    // The native modules, built by the consumer's install: SQLite answers, the serial binding reaches open(2).
    const native = spawnSync(process.execPath, ['--input-type=module', '-e', [
      "import { createRequire } from 'node:module';",
      "const req = createRequire(new URL('./node_modules/pos-agent/package.json', `file://${process.cwd()}/`));",
      "const Database = req('better-sqlite3');",
      "console.log(new Database(':memory:').prepare('select sqlite_version() as v').get().v);",
      "const { autoDetect } = req('@serialport/bindings-cpp');",
      "await autoDetect().open({ path: '/dev/pos-no-such-port', baudRate: 9600 }).catch((e) => console.log(e.message));",
    ].join('\n')], { cwd: consumer, encoding: 'utf8', env: cleanEnv() });
    expect(native.stderr).toBe('');
    expect(native.stdout).toMatch(/^3\.\d+\.\d+\n.*cannot open \/dev\/pos-no-such-port\n$/);

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
    const env = cleanEnv();
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
