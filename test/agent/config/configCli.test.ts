import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApi } from '../../../agent/api/index.js';
import { loadConfig } from '../../../agent/config/index.js';
import { control, recordingCheckout } from '../api/apiTestKit.js';

const CLI = resolve('dist/agent/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'cfg-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with npx tsc -p tsconfig.json`);
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1;
      done({ code, stdout, stderr });
    });
  });
}

describe('pos-agent config / keygen (built CLI)', () => {
  it('config init prints a template that loads cleanly', async () => {
    const r = await run(['config', 'init']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('merchantId: "IBP000000000162"');
    const path = join(dir, 'init.yaml');
    writeFileSync(path, r.stdout);
    // The template turns the POS API token on: it loads once the token file is made as it says.
    expect(r.stdout).toContain('  tokenFile: ./api-token');
    expect(r.stdout).toContain('#   pos-agent keygen --api-token --out ./api-token');
    expect((await run(['keygen', '--api-token', '--out', './api-token'])).code).toBe(0);
    const { config } = loadConfig(path, {});
    expect(config.host.transport).toBe('rest');
    expect(config.api.tokenFile).toBe(join(dir, 'api-token'));
  });

  it('config check on a broken file exits non-zero and prints every problem with its line', async () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(
      path,
      ['terminal:', '  merchantId: "m"', '  terminalId: "t"', 'reader:', '  path: /dev/x', '  profle: framed', 'host:', '  baseUrl: http://127.0.0.1:8080', '  clientId: c', '  clientSecret: s', 'queue:', '  path: ./q.db', '  keyFile: ./k', 'api:', '  listen: 0.0.0.0:7401', ''].join('\n'),
    );
    const r = await run(['config', 'check', '--config', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ reader.profle (line 6, column 3): unknown key "reader.profle": did you mean "reader.profile"?');
    expect(r.stdout).toContain('✗ api.listen (line 15, column 11): "api.listen" must be a loopback address');
    expect(r.stdout).toContain('fix: expected a loopback address such as 127.0.0.1:7401');
    expect(r.stdout).toContain('2 checks failed');
  });

  it('config check without --config is a usage error (exit 2)', async () => {
    const r = await run(['config', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--config FILE is required');
  });

  it('keygen writes 32 bytes with mode 0600 and refuses to overwrite', async () => {
    const out = join(dir, 'queue.key');
    const first = await run(['keygen', '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`keyFile: ${out}`);
    expect(readFileSync(out)).toHaveLength(32);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const before = readFileSync(out);
    const second = await run(['keygen', '--out', out]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already exists');
    expect(readFileSync(out).equals(before)).toBe(true);
  });

  it('keygen --api-token writes a usable token with mode 0600 (even under umask 000), never printed, and refuses to overwrite', async () => {
    const out = join(dir, 'fresh-api-token');
    // Through a shell, to run the CLI under umask 000: the file must still be 0600.
    const stdout = execFileSync('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, CLI, 'keygen', '--api-token', '--out', out], { cwd: dir, encoding: 'utf8' });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const token = readFileSync(out, 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stdout).toContain(`tokenFile: ${out}`);
    expect(stdout).not.toContain(token);
    const second = await run(['keygen', '--api-token', '--out', out]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already exists');
    expect(second.stderr + second.stdout).not.toContain(token);
    expect(readFileSync(out, 'utf8').trim()).toBe(token);

    // Usable: a config naming it loads it, and the API takes it (and nothing else).
    const cfgPath = join(dir, 'with-token.yaml');
    const init = await run(['config', 'init']);
    writeFileSync(cfgPath, init.stdout.replace('tokenFile: ./api-token', `tokenFile: ${out}`), { mode: 0o600 });
    const { config } = loadConfig(cfgPath, {});
    expect(config.api.token).toBe(token);
    const api = await startApi({
      checkout: recordingCheckout(),
      control,
      logger: pino({ level: 'silent' }),
      listen: { host: '127.0.0.1', port: 0 },
      token: config.api.token,
      openRoutes: config.api.openRoutes,
    });
    try {
      expect((await fetch(`${api.url}/v1/queue`)).status).toBe(401);
      expect((await fetch(`${api.url}/v1/queue`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await api.app.close();
    }
  });
});
