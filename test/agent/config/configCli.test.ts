import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../agent/config/index.js';

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
});
