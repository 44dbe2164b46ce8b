/**
 * The POS API's OpenAPI document, as the real app serves it, under an
 * independent linter (issue 31, item 2): `@redocly/cli lint` with its
 * `recommended` ruleset, no rule turned off, gives no error and no warning.
 * The same run lints a copy with two faults put in by hand, so a linter that
 * reads nothing (a wrong config, a changed output format) cannot pass.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authApi } from './authKit.js';

const TOKEN = 'lint-token-0123456789-abcdefghijklmnopqrstuvwxyz';
const REDOCLY = fileURLToPath(new URL('../../../node_modules/.bin/redocly', import.meta.url));

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { source: { ref: string }; pointer: string }[] }[];
}

describe('the POS API OpenAPI document under @redocly/cli lint (recommended)', () => {
  let dir: string;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-openapi-lint-'));
    const api = await authApi({ token: TOKEN });
    try {
      const res = await fetch(`${api.url}/openapi.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      doc = (await res.json()) as Record<string, unknown>;
    } finally {
      await api.app.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lints clean: exit 0, no error, no warning', () => {
    const served = join(dir, 'served.json');
    writeFileSync(served, JSON.stringify(doc, null, 2));
    // A copy with two faults: no servers (an error), an operation without its operationId (a warning).
    const broken = structuredClone(doc) as { servers?: unknown; paths: Record<string, Record<string, { operationId?: string }>> };
    delete broken.servers;
    delete broken.paths['/v1/health']?.get?.operationId;
    const faulty = join(dir, 'faulty.json');
    writeFileSync(faulty, JSON.stringify(broken, null, 2));
    // Our own config, so that no redocly.yaml or ignore file of the checkout changes the rules: recommended, as is.
    writeFileSync(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');

    const lint = (file: string) =>
      spawnSync(REDOCLY, ['lint', '--config', join(dir, 'redocly.yaml'), '--format=json', file], {
        cwd: dir,
        encoding: 'utf8',
        // No network here: no telemetry, no update check; and never a hang.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1' },
        timeout: 60_000,
        killSignal: 'SIGKILL',
      });

    const clean = lint(served);
    expect(clean.error).toBeUndefined();
    const report = JSON.parse(clean.stdout) as LintReport;
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    expect(clean.status).toBe(0);

    const bad = lint(faulty);
    expect(bad.error).toBeUndefined();
    const badReport = JSON.parse(bad.stdout) as LintReport;
    expect(badReport.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}`).sort()).toEqual([
      'error no-empty-servers #/openapi',
      'warn operation-operationId #/paths/~1v1~1health/get/operationId',
    ]);
    expect(bad.status).toBe(1);
  }, 150_000);
});
