import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configSchema, parseConfigText, type ConfigProblem } from '../../../agent/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cfg-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'secret.txt'), 'from-file\n', { mode: 0o600 });

const ISO = [
  'terminal:',
  '  merchantId: "IBP000000000162"',
  '  terminalId: ${TID}',
  'reader:',
  '  path: /dev/ttyUSB0',
  'host:',
  '  transport: ${TRANSPORT}',
  '  isoAddress: "[::1]:8583"',
  '  timeoutMs: ${TIMEOUT}',
  'queue:',
  '  path: ./q.db',
  '  keyFile: ./queue.key',
  'api:',
  '  listen: "[::1]:7401"',
  '',
].join('\n');

function problemsOf(text: string, env: Record<string, string>): ConfigProblem[] {
  try {
    parseConfigText(text, { env, baseDir: dir });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configSchema', () => {
  it('validates plain data and applies the defaults', () => {
    const r = configSchema({ baseDir: dir }).safeParse({
      terminal: { merchantId: 'M', terminalId: 'T' },
      reader: { path: '/dev/x' },
      host: { baseUrl: 'http://h.example:8080//', clientId: 'c', clientSecret: 's' },
      queue: { path: 'q.db', keyFile: 'k' },
    });
    expect(r.success).toBe(true);
    expect(r.data).toEqual({
      terminal: { merchantId: 'M', terminalId: 'T' },
      reader: { path: '/dev/x', profile: 'framed', baudRate: 9600, keepAliveMs: 1000 },
      host: { transport: 'rest', baseUrl: 'http://h.example:8080', clientId: 'c', clientSecret: 's', clientSecretFile: undefined, timeoutMs: 10000, connectTimeoutMs: 3000, caFile: undefined },
      queue: { path: join(dir, 'q.db'), keyFile: join(dir, 'k'), maxAgeS: 604800, concurrency: 8, retainDoneS: 2592000 },
      offline: { enabled: false, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 86400, balanceMaxAgeS: 86400, unknownCards: 'refuse' },
      api: { listen: '127.0.0.1:7401', host: '127.0.0.1', port: 7401, tokenFile: undefined, token: undefined, openRoutes: ['/v1/health', '/metrics'] },
      log: { level: 'info' },
    });
  });

  it('refuses a whole-number key given a fraction, however small (1e-300 would make queue.maxAgeS ~0 ms)', () => {
    for (const bad of ['1e-300', '0.5', '1.5', '0', '-3']) {
      const problems = problemsOf(ISO.replace('  path: ./q.db', `  path: ./q.db\n  maxAgeS: ${bad}\n  concurrency: ${bad}`), { TID: '"20690111"', TRANSPORT: 'iso8583', TIMEOUT: '2000' });
      expect(problems.map((p) => p.path).sort(), bad).toEqual(['queue.concurrency', 'queue.maxAgeS']);
    }
  });

  it('refuses unknown keys at every level', () => {
    const r = configSchema({ baseDir: dir }).safeParse({ terminal: { merchantId: 'M', terminalId: 'T', extra: 1 }, nope: {} });
    expect(r.success).toBe(false);
    expect(r.error?.issues.filter((i) => i.code === 'unrecognized_keys').map((i) => [i.path, i.keys])).toEqual([
      [['terminal'], ['extra']],
      [[], ['nope']],
    ]);
  });

  it('ISO 8583 host: isoAddress parsed, clientId optional, ${ENV} numbers coerced only for number keys', () => {
    const { config } = parseConfigText(ISO, { env: { TID: '20690111', TRANSPORT: 'iso8583', TIMEOUT: '2500' }, baseDir: dir });
    expect(config.terminal.terminalId).toBe('20690111');
    expect(config.host).toEqual({
      transport: 'iso8583', isoAddress: '[::1]:8583', isoHost: '::1', isoPort: 8583,
      clientId: undefined, clientSecret: undefined, clientSecretFile: undefined,
      timeoutMs: 2500, connectTimeoutMs: 3000, caFile: undefined,
    });
    expect(config.api).toEqual({ listen: '[::1]:7401', host: '::1', port: 7401, openRoutes: ['/v1/health', '/metrics'] });
  });

  it('an unset variable is one problem, not also an invalid value (the discriminator too)', () => {
    const problems = problemsOf(ISO, { TID: '1' });
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['host.transport', 7, '"host.transport" uses environment variable TRANSPORT, which is not set'],
      ['host.timeoutMs', 9, '"host.timeoutMs" uses environment variable TIMEOUT, which is not set'],
    ]);
  });

  it('a bad transport names the key and the choices, with the value written', () => {
    const problems = problemsOf(ISO, { TID: '1', TRANSPORT: 'soap', TIMEOUT: '1' });
    expect(problems).toEqual([
      { path: 'host.transport', line: 7, column: 14, value: 'soap', message: 'invalid value for "host.transport"', expected: 'one of rest, iso8583' },
    ]);
  });

  it('reports the wrong keys of one section together with its cross-key rule', () => {
    const text = [
      'terminal:', '  merchantId: "M"', '  terminalId: "T"',
      'reader:', '  path: /dev/x', '  baudRate: 1.5',
      'host:', '  baseUrl: http://h:1', '  clientId: c', '  clientSecret: s', '  clientSecretFile: ./secret.txt', '  timeoutMs: -1.5',
      'queue:', '  path: ./q.db', '  keyFile: ./k',
      'offline:', '  enabled: true', '  maxPointsPerTxn: 900', '  maxTotalPoints: 800', '  maxCount: 0',
      '',
    ].join('\n');
    expect(problemsOf(text, {}).map((p) => [p.path, p.line, p.message])).toEqual([
      ['reader.baudRate', 6, 'invalid value for "reader.baudRate"'],
      ['host.clientSecretFile', 11, 'both "host.clientSecret" and "host.clientSecretFile" are set'],
      ['host.timeoutMs', 12, 'invalid value for "host.timeoutMs"'],
      ['offline.maxPointsPerTxn', 18, '"offline.maxPointsPerTxn" (900) is larger than "offline.maxTotalPoints" (800)'],
      ['offline.maxCount', 20, 'invalid value for "offline.maxCount"'],
    ]);
  });
});
