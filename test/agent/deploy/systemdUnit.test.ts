import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, fencedBlockAfter, ROOT } from '../../support/readmeCommands.js';

const UNIT = path.join(ROOT, 'agent/deploy/pos-agent.service');
/** The install guide's step 6, the lines that install the unit (agent/README.md). */
const GUIDE_UNIT_LINES = fencedBlockAfter('agent/README.md', '6. **Install the unit**');
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
    // The bin under npm's global prefix as shipped (/usr/local; the guide's step 6 writes the real one in), and
    // where the install guide puts the config.
    expect(values('ExecStart')).toEqual(['/usr/local/bin/pos-agent run --config /etc/pos-agent/pos-agent.yaml']);
    expect(section('Install')).toEqual([['WantedBy', 'multi-user.target']]);
  });

  it('Documentation= is the install guide as the package installs it (a file the tarball carries)', () => {
    const docs = section('Unit').filter(([k]) => k === 'Documentation').map(([, v]) => v);
    expect(docs).toEqual(['file:/usr/local/lib/node_modules/pos-agent/agent/README.md']);
    const inPackage = (docs[0] as string).slice('file:/usr/local/lib/node_modules/pos-agent/'.length);
    expect(existsSync(path.join(ROOT, inPackage))).toBe(true);
    const files = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] }).files;
    expect(files).toContain(inPackage);
  });

  it("no path in the unit but under /usr/local/ (the prefix step 6 replaces), /etc/pos-agent, /var/lib/pos-agent", () => {
    const paths = text.split('\n').filter((l) => !l.startsWith('#')).flatMap((l) => l.match(/(?<![\w.])\/[\w./-]+/g) ?? []);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p, p).toMatch(/^\/(usr\/local\/|etc\/pos-agent|var\/lib\/pos-agent)/);
  });

  describe.skipIf(!haveAnalyze)("the guide's step 6 on a stand-in prefix, then systemd-analyze", () => {
    // Made in beforeAll, so a skipped run leaves no folder behind.
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'pos-unit-'));
    });
    afterAll(() => {
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    /**
     * The guide's unit lines as written, with npm's global prefix set to a stand-in (`npm prefix -g` answers it)
     * that holds the package's unit and README and an executable `bin/pos-agent`; the unit goes to a folder of
     * the test instead of /etc/systemd/system. `unitText` is what the package ships.
     */
    function installAsGuide(unitText: string, sub: string): { status: number | null; output: string; unit: string; prefix: string } {
      const prefix = path.join(dir, sub, 'prefix');
      const pkg = path.join(prefix, 'lib', 'node_modules', 'pos-agent');
      mkdirSync(path.join(pkg, 'agent', 'deploy'), { recursive: true });
      mkdirSync(path.join(prefix, 'bin'), { recursive: true });
      writeFileSync(path.join(pkg, 'agent', 'deploy', 'pos-agent.service'), unitText);
      cpSync(path.join(ROOT, 'agent', 'README.md'), path.join(pkg, 'agent', 'README.md'));
      writeFileSync(path.join(prefix, 'bin', 'pos-agent'), '#!/bin/sh\nexit 0\n');
      chmodSync(path.join(prefix, 'bin', 'pos-agent'), 0o755);
      const systemDir = path.join(dir, sub, 'system');
      mkdirSync(systemDir);
      const script = GUIDE_UNIT_LINES.replaceAll('/etc/systemd/system/', `${systemDir}/`);
      const r = spawnSync('sh', ['-e', '-c', script], { encoding: 'utf8', env: cleanEnv({ npm_config_prefix: prefix }) });
      const unit = path.join(systemDir, 'pos-agent.service');
      return { status: r.status, output: r.stdout + r.stderr, unit, prefix };
    }

    it('the guide writes npm prefix -g into ExecStart and Documentation=, and verify accepts the unit without a single warning', () => {
      expect(GUIDE_UNIT_LINES).toContain('PREFIX="$(npm prefix -g)"');
      expect(GUIDE_UNIT_LINES).toContain('systemd-analyze verify /etc/systemd/system/pos-agent.service');
      const r = installAsGuide(text, 'real');
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
      const installed = readFileSync(r.unit, 'utf8');
      expect(installed).toMatch(new RegExp(`^ExecStart=${r.prefix}/bin/pos-agent run --config /etc/pos-agent/pos-agent\\.yaml$`, 'm'));
      expect(installed).toMatch(new RegExp(`^Documentation=file:${r.prefix}/lib/node_modules/pos-agent/agent/README\\.md$`, 'm'));
      expect(existsSync(`${r.prefix}/lib/node_modules/pos-agent/agent/README.md`)).toBe(true);
      expect(installed).not.toContain('/usr/local/');
    });

    it('verify in the guide would catch a misspelt directive, and a missing bin (so the test above can fail)', () => {
      const typo = installAsGuide(text.replace('ProtectSystem=strict', 'ProtectSystm=strict'), 'typo');
      expect(typo.output).toMatch(/Unknown key 'ProtectSystm'/);
      // An ExecStart that names no executable (the unit copied as shipped onto a prefix of /usr): verify says so.
      const unit = path.join(dir, 'as-shipped.service');
      writeFileSync(unit, text.replace('ExecStart=/usr/local/bin/pos-agent', `ExecStart=${dir}/no-such-bin`));
      const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
      expect(r.stderr).toMatch(/no-such-bin.*(not executable|No such file)/);
    });

    it('the offline security review rates its exposure OK or better (at most 4.0 of 10)', () => {
      const { unit } = installAsGuide(text, 'security');
      const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', unit], { encoding: 'utf8' });
      const m = /Overall exposure level for pos-agent\.service: ([0-9.]+)/.exec(r.stdout);
      expect(m, r.stdout + r.stderr).not.toBeNull();
      expect(Number(m?.[1])).toBeLessThanOrEqual(4.0);
    });
  });
});
