import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configTemplate, loadConfig, writeApiTokenFile } from '../../../agent/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cfg-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode = 0o600): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

const MINIMAL = `terminal:
  merchantId: "\${MERCHANT}"
  terminalId: "20690111"
reader:
  path: /dev/ttyUSB0
host:
  baseUrl: https://\${HOST_NAME}:8443/
  clientId: id-1
  clientSecretFile: ./secret
  timeoutMs: \${TIMEOUT_MS}
queue:
  path: ./queue.db
  keyFile: ./queue.key
offline:
  enabled: \${OFFLINE}
api:
  tokenFile: ./api-token
`;

const TOKEN = 'T0k3n-'.repeat(7);

describe('loadConfig', () => {
  it('substitutes ${ENV}, resolves paths against the file, applies defaults', () => {
    file('secret', 'shh\n');
    file('queue.key', 'k'.repeat(32));
    file('api-token', `${TOKEN}\n`);
    const path = file('a.yaml', MINIMAL);
    const { config, warnings } = loadConfig(path, { MERCHANT: 'IBP000000000162', HOST_NAME: 'loyalty.example', TIMEOUT_MS: '4000', OFFLINE: 'true' });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      terminal: { merchantId: 'IBP000000000162', terminalId: '20690111' },
      reader: { path: '/dev/ttyUSB0', profile: 'framed', baudRate: 9600, keepAliveMs: 1000 },
      host: {
        transport: 'rest',
        baseUrl: 'https://loyalty.example:8443',
        clientId: 'id-1',
        clientSecret: 'shh',
        clientSecretFile: join(dir, 'secret'),
        timeoutMs: 4000,
        connectTimeoutMs: 3000,
        caFile: undefined,
      },
      queue: { path: join(dir, 'queue.db'), keyFile: join(dir, 'queue.key'), maxAgeS: 604800, concurrency: 8, retainDoneS: 2592000 },
      offline: { enabled: true, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 86400, balanceMaxAgeS: 86400, unknownCards: 'refuse' },
      api: { listen: '127.0.0.1:7401', host: '127.0.0.1', port: 7401, tokenFile: join(dir, 'api-token'), token: TOKEN, openRoutes: ['/v1/health', '/metrics'] },
      log: { level: 'info' },
    });
  });

  it('warns when a secret file is readable by group or others', () => {
    file('secret', 'shh\n', 0o640);
    file('queue.key', 'k'.repeat(32), 0o644);
    file('api-token', `${TOKEN}\n`, 0o604);
    const path = file('b.yaml', MINIMAL);
    const { warnings } = loadConfig(path, { MERCHANT: 'm', HOST_NAME: 'h.example', TIMEOUT_MS: '4000', OFFLINE: 'false' });
    expect(warnings.map((w) => w.path)).toEqual(['host.clientSecretFile', 'api.tokenFile', 'queue.keyFile']);
    expect(warnings[0]?.message).toContain('mode 0640');
    expect(warnings[0]?.message).toContain('chmod 600');
    expect(warnings[0]?.line).toBe(9);
    expect(warnings[1]?.message).toBe(`the POS API token file ${join(dir, 'api-token')} is readable by group or others (mode 0604); run: chmod 600 ${join(dir, 'api-token')}`);
    expect(warnings[1]?.line).toBe(17);
    expect(warnings[2]?.message).toContain('mode 0644');
    for (const w of warnings) expect(w.message).not.toContain(TOKEN);
  });

  it('warns when the config file holds the client secret inline and is readable by group or others', () => {
    file('queue.key', 'k'.repeat(32));
    file('api-token', `${TOKEN}\n`);
    const inline = MINIMAL.replace('  clientSecretFile: ./secret', '  clientSecret: shh-inline');
    const env = { MERCHANT: 'm', HOST_NAME: 'h.example', TIMEOUT_MS: '4000', OFFLINE: 'false' };
    const open = file('inline-open.yaml', inline, 0o644);
    const { warnings } = loadConfig(open, env);
    expect(warnings.map((w) => [w.path, w.line])).toEqual([['host.clientSecret', 9]]);
    expect(warnings[0]?.message).toBe(`the config file ${open} holds host.clientSecret inline and is readable by group or others (mode 0644); run: chmod 600 ${open}, or move the secret to host.clientSecretFile`);
    expect(warnings[0]?.message).not.toContain('shh-inline');
    // 0600, or a secret taken from the environment: nothing to warn about.
    expect(loadConfig(file('inline-closed.yaml', inline, 0o600), env).warnings).toEqual([]);
    const fromEnv = MINIMAL.replace('  clientSecretFile: ./secret', '  clientSecret: ${SECRET}');
    expect(loadConfig(file('env-open.yaml', fromEnv, 0o644), { ...env, SECRET: 'shh' }).warnings).toEqual([]);
  });

  it('a substituted value that is not a number is still a type error', () => {
    file('secret', 'shh\n');
    file('api-token', `${TOKEN}\n`);
    const path = file('c.yaml', MINIMAL);
    let caught: unknown;
    try {
      loadConfig(path, { MERCHANT: 'm', HOST_NAME: 'h.example', TIMEOUT_MS: 'ten', OFFLINE: 'false' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toMatchObject([{ path: 'host.timeoutMs', line: 10, value: 'ten' }]);
  });

  it('a missing file is CONFIG_ERR_READ', () => {
    expect(() => loadConfig(join(dir, 'nope.yaml'))).toThrow(expect.objectContaining({ code: 'CONFIG_ERR_READ' }));
  });

  it('warns when the queue key does not exist yet, naming the keygen command', () => {
    const sub = mkdtempSync(join(dir, 'tpl-'));
    const path = join(sub, 'pos-agent.yaml');
    writeFileSync(path, configTemplate(), { mode: 0o600 }); // as the template says: it holds the client secret
    writeApiTokenFile(join(sub, 'api-token')); // the template turns the token on
    const { config, warnings } = loadConfig(path, {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain(`pos-agent keygen --out ${join(sub, 'queue.key')}`);
    expect(config.queue.path).toBe(join(sub, 'pos-agent-queue.db'));
  });
});
