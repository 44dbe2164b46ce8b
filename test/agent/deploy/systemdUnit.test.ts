import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const UNIT = path.resolve(import.meta.dirname, '../../../agent/deploy/pos-agent.service');
const haveAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!haveAnalyze && process.env.CI === 'true') throw new Error('CI must have systemd-analyze (Debian package systemd) for the unit test');

const text = readFileSync(UNIT, 'utf8');
/** `Key=value` lines of one section, in order (comments and blank lines left out). */
function section(name: string): [string, string][] {
  const out: [string, string][] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(t);
    if (header) current = header[1] as string;
    else if (current === name) {
      const eq = t.indexOf('=');
      out.push([t.slice(0, eq), t.slice(eq + 1)]);
    }
  }
  return out;
}
const service = section('Service');
const values = (key: string) => service.filter(([k]) => k === key).map(([, v]) => v);

describe('agent/deploy/pos-agent.service', () => {
  it('runs as a dedicated user with serial access, hardened, with its state and config folders, restarted on failure', () => {
    expect(values('User')).toEqual(['pos-agent']);
    expect(values('Group')).toEqual(['pos-agent']);
    expect(values('SupplementaryGroups')).toEqual(['dialout']);
    expect(values('ProtectSystem')).toEqual(['strict']);
    expect(values('NoNewPrivileges')).toEqual(['yes']);
    expect(values('PrivateTmp')).toEqual(['yes']);
    expect(values('StateDirectory')).toEqual(['pos-agent']);
    expect(values('ConfigurationDirectory')).toEqual(['pos-agent']);
    expect(values('Restart')).toEqual(['on-failure']);
    expect(values('StandardOutput')).toEqual(['journal']);
    // Where `npm install -g` puts the bin on Debian, and where the install guide puts the config.
    expect(values('ExecStart')).toEqual(['/usr/local/bin/pos-agent run --config /etc/pos-agent/pos-agent.yaml']);
    expect(section('Install')).toEqual([['WantedBy', 'multi-user.target']]);
  });

  describe.skipIf(!haveAnalyze)('systemd-analyze', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pos-unit-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** Verifies `unitText` as `pos-agent.service`, with ExecStart pointed at a stand-in (the package is not installed here). */
    function verify(unitText: string, sub: string): { status: number | null; stderr: string } {
      const bin = path.join(dir, `${sub}-pos-agent`);
      writeFileSync(bin, '#!/bin/sh\nexit 0\n');
      chmodSync(bin, 0o755);
      const unitDir = path.join(dir, sub);
      mkdirSync(unitDir, { recursive: true });
      const file = path.join(unitDir, 'pos-agent.service');
      writeFileSync(file, unitText.replace('ExecStart=/usr/local/bin/pos-agent', `ExecStart=${bin}`));
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8' });
      return { status: r.status, stderr: r.stderr };
    }

    it('verify accepts the unit without a single warning', () => {
      const r = verify(text, 'real');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it('verify would catch a misspelt directive (so the test above can fail)', () => {
      const r = verify(text.replace('ProtectSystem=strict', 'ProtectSystm=strict'), 'typo');
      expect(r.stderr).toMatch(/Unknown key 'ProtectSystm'/);
    });

    it('the offline security review rates its exposure OK or better (at most 4.0 of 10)', () => {
      verify(text, 'security');
      const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', path.join(dir, 'security', 'pos-agent.service')], { encoding: 'utf8' });
      const m = /Overall exposure level for pos-agent\.service: ([0-9.]+)/.exec(r.stdout);
      expect(m, r.stdout + r.stderr).not.toBeNull();
      expect(Number(m?.[1])).toBeLessThanOrEqual(4.0);
    });
  });
});
