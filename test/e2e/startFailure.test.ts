/**
 * A failed start exits (issue: "kept running after a failed start"): the real
 * `pos-agent run` process, whose API port is taken, whose queue is locked or whose
 * POS API token file is unusable,
 * closes what it opened and exits non-zero within seconds, with one clear
 * line and no stack trace. A missing reader is not a failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLine, startChild, type Child } from '../../emulator/stack/childProcess.js';
import { AGENT_CLI, agentConfigYaml } from '../../emulator/stack/counterStack.js';
import { jsonRequest } from '../../emulator/stack/posClient.js';

const dir = mkdtempSync(join(tmpdir(), 'pos-start-'));
const keyFile = join(dir, 'queue.key');
execFileSync(process.execPath, [AGENT_CLI, 'keygen', '--out', keyFile], { stdio: 'pipe' });
const children: Child[] = [];
afterAll(async () => {
  await Promise.allSettled(children.map((c) => c.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

/** A config whose host (a closed port) and reader (no such device) are both absent; `tokenFile` sets api.tokenFile. */
function config(name: string, listen: string, tokenFile?: string): string {
  const path = join(dir, `${name}.yaml`);
  const yaml = agentConfigYaml({
    hostUrl: 'http://127.0.0.1:9',
    readerPath: join(dir, 'no-reader'),
    queuePath: join(dir, `${name}.db`),
    keyFile,
    hostTimeoutMs: 1000,
    merchantId: 'IBP000000000162',
    terminalId: '20690111',
    extra: '',
    ...(tokenFile === undefined ? {} : { tokenFile }),
  }).replace('listen: 127.0.0.1:0', `listen: ${listen}`);
  writeFileSync(path, yaml);
  return path;
}

function run(configPath: string): Child {
  const c = startChild(process.execPath, [AGENT_CLI, 'run', '--config', configPath]);
  children.push(c);
  return c;
}

/** Waits for the process to exit; fails if it takes longer than `ms`. */
async function exitWithin(c: Child, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), ms)));
  const code = await Promise.race([c.exited, late]);
  clearTimeout(timer);
  return code as number | null;
}

const noStack = (lines: string[]) => lines.filter((l) => /^\s+at\s/.test(l) || l.includes('\\n    at '));

describe('pos-agent run: a failed start', () => {
  it('exits 1 within seconds when the API port is taken, naming the address and the fix, with no stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const agent = run(config('port', `127.0.0.1:${port}`));
      expect(await exitWithin(agent, 5000)).toBe(1);
      expect(agent.stderr.join('\n')).toContain(`API_ERR_PORT_IN_USE: api.listen 127.0.0.1:${port} is already in use`);
      expect(noStack([...agent.stderr, ...agent.stdout])).toEqual([]);
      // It let go of the queue: another agent on the same queue file starts.
      const next = run(config('port', '127.0.0.1:0'));
      await next.waitForLine((l) => jsonLine(l)?.msg === 'api listening', 10_000);
      await next.stop();
    } finally {
      blocker.close();
    }
  });

  it('exits 1 when another agent holds the queue', async () => {
    const first = run(config('locked', '127.0.0.1:0'));
    await first.waitForLine((l) => jsonLine(l)?.msg === 'api listening', 10_000);
    const second = run(config('locked', '127.0.0.1:0'));
    expect(await exitWithin(second, 5000)).toBe(1);
    expect(second.stderr.join('\n')).toContain('QUEUE_ERR_LOCKED');
    expect(noStack([...second.stderr, ...second.stdout])).toEqual([]);
    await first.stop();
  });

  it.each([
    ['missing', (f: string) => f, 'names a file that does not exist'],
    ['empty', (f: string) => (writeFileSync(f, '', { mode: 0o600 }), f), 'names an empty file'],
    ['one byte short of the minimum', (f: string) => (writeFileSync(f, `${'x'.repeat(31)}\n`, { mode: 0o600 }), f), 'holds a token of 31 characters; at least 32 are needed'],
    ['a directory', (f: string) => (mkdirSync(f), f), 'names a directory, not a file'],
  ])('exits 1 before opening anything when api.tokenFile is %s, naming the key and the fix', async (name, make, why) => {
    const slug = `token-${name.replaceAll(' ', '-')}`;
    const tokenFile = make(join(dir, slug));
    const agent = run(config(slug, '127.0.0.1:0', tokenFile));
    expect(await exitWithin(agent, 5000)).toBe(1);
    const err = agent.stderr.join('\n');
    expect(err).toContain(`"api.tokenFile" ${why}`);
    expect(err).toContain(`expected a file written by: pos-agent keygen --api-token --out ${tokenFile}`);
    expect(err).toContain('fix the file, then check it with: pos-agent config check --config FILE');
    expect(agent.stdout.some((l) => jsonLine(l)?.msg === 'api listening')).toBe(false);
    expect(existsSync(join(dir, `${slug}.db`))).toBe(false); // the queue was never opened
    expect(noStack([...agent.stderr, ...agent.stdout])).toEqual([]);
  });

  it('starts without its reader (the supervisor keeps trying) and says so in health', async () => {
    const agent = run(config('noreader', '127.0.0.1:0'));
    const url = String(jsonLine(await agent.waitForLine((l) => jsonLine(l)?.msg === 'api listening', 10_000))?.url);
    expect((await jsonRequest('GET', `${url}/v1/health`)).body).toMatchObject({ reader: 'disconnected' });
    expect(await agent.stop()).toBe(0);
  });
});
