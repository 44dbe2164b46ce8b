/**
 * The install guide's step 5 with the emulator as the reader (issue 31, item 7): `pos-agent config check` run
 * as another user than the emulator's finds the emulator's pseudo-terminal closed to it (socat's PTY is its
 * owner's only: 0600, or 0620 to the group tty). The check names the device, the user and the fix, and the fix
 * as printed works. The real CLIs (dist/), the real socat; root switches users with setpriv, so this runs as root
 * (as CI does).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLine, startChild, type Child } from '../../emulator/stack/childProcess.js';
import { AGENT_CLI, EMULATOR_CLI, agentConfigYaml } from '../../emulator/stack/counterStack.js';
import { socatAvailable } from '../support/e2eStack.js';

const root = process.getuid?.() === 0;
const haveSetpriv = spawnSync('setpriv', ['--version']).status === 0;
if (process.env.CI === 'true' && !(root && haveSetpriv && socatAvailable())) {
  throw new Error('CI runs as root with setpriv (util-linux) and socat: the reader permission test needs all three');
}
/** The service user of the test: nobody (uid and gid 65534), as `pos-agent` is on a terminal. */
const NOBODY = 65534;

describe.skipIf(!(root && haveSetpriv && socatAvailable()))("config check as the service user, the emulator's reader started by root", () => {
  // Made in beforeAll, so a skipped run leaves no folder behind; open to nobody, who reads the config in it.
  let dir = '';
  let emulator: Child | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pos-perm-'));
    chmodSync(dir, 0o755);
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  /** `pos-agent config check` as nobody, with these supplementary groups (none: as before `usermod -aG`). */
  function checkAsNobody(cfg: string, groups: string): { status: number | null; stdout: string } {
    const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, ...(groups === '' ? ['--clear-groups'] : [`--groups=${groups}`]), process.execPath, AGENT_CLI, 'config', 'check', '--config', cfg], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout + r.stderr };
  }

  it('fails with "permission denied" naming the device, its owner and mode, and the user; the printed chgrp fix lets the user in', async () => {
    const link = join(dir, 'reader');
    // The service user's own files, as the guide's step 4 leaves them.
    const keyFile = join(dir, 'queue.key');
    execFileSync(process.execPath, [AGENT_CLI, 'keygen', '--out', keyFile], { stdio: 'pipe' });
    const cfg = join(dir, 'pos-agent.yaml');
    writeFileSync(cfg, agentConfigYaml({
      hostUrl: 'http://127.0.0.1:9', readerPath: link, queuePath: join(dir, 'q.db'), keyFile, hostTimeoutMs: 1000,
      merchantId: 'IBP000000000162', terminalId: '20690111', extra: '',
    }), { mode: 0o600 });
    for (const f of [keyFile, cfg]) chownSync(f, NOBODY, NOBODY);

    emulator = startChild(process.execPath, [EMULATOR_CLI, 'reader', '--link', link]);
    await emulator.waitForLine((l) => jsonLine(l)?.msg === 'ready');
    const device = realpathSync(link);
    expect(device).toMatch(/^\/dev\/pts\/\d+$/);

    const denied = checkAsNobody(cfg, '');
    expect(denied.status).not.toBe(0);
    const lines = denied.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('✗ reader: '));
    // socat's PTY: root's, closed to others (0600 here; 0620, group tty, where devpts hands PTYs to tty).
    const st = statSync(device);
    expect(st.uid).toBe(0);
    expect(st.mode & 0o006).toBe(0);
    const group = execFileSync('getent', ['group', String(st.gid)], { encoding: 'utf8' }).split(':')[0];
    const mode = `0${(st.mode & 0o777).toString(8)}`;
    expect(lines[at], denied.stdout).toBe(`✗ reader: cannot open reader port ${link}: permission denied for user nobody (${device}: owner root, group ${group}, mode ${mode})`);
    const fix = lines[at + 1] ?? '';
    expect(fix).toMatch(/^ {4}fix: nobody may not read and write /);
    expect(fix).toContain(`runuser -u nobody -- pos-emulator reader --link ${link} `);
    // The commands as printed, to the end of the line; not `usermod`, which would change this machine's nobody.
    const commands = /chgrp dialout .*$/.exec(fix)?.[0] ?? '';
    expect(commands).toBe(`chgrp dialout ${device} && chmod g+rw ${device} && usermod -aG dialout nobody`);
    const chgrp = commands.replace(/ && usermod .*$/, '');

    // The fix as printed, then the check with nobody in dialout (what `usermod -aG dialout` gives at the next login).
    execFileSync('sh', ['-c', chgrp]);
    const allowed = checkAsNobody(cfg, 'dialout');
    expect(allowed.stdout).toContain(`✓ reader: ${link}: framed reader answered, status idle`);
  }, 30_000);
});
