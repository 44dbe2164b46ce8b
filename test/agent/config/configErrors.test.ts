import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText, type ConfigProblem } from '../../../agent/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cfg-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'secret.txt'), 'from-file\n', { mode: 0o600 });

/** A valid file; each case replaces one line (kept at the same line numbers). */
const BASE = [
  'terminal:', //                          1
  '  merchantId: "IBP000000000162"', //    2
  '  terminalId: "20690111"', //           3
  'reader:', //                            4
  '  path: /tmp/pos-reader', //            5
  '  profile: framed', //                  6
  'host:', //                              7
  '  transport: rest', //                  8
  '  baseUrl: http://127.0.0.1:8080', //   9
  '  clientId: IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', // 10
  '  clientSecret: secret', //             11
  '  timeoutMs: 10000', //                 12
  'queue:', //                             13
  '  path: ./q.db', //                     14
  '  keyFile: ./queue.key', //             15
  'api:', //                               16
  '  listen: 127.0.0.1:7401', //           17
  'log:', //                               18
  '  level: info', //                      19
];

function withLine(line: number, text: string): string {
  const lines = [...BASE];
  lines[line - 1] = text;
  return lines.join('\n') + '\n';
}

function problemsOf(text: string, env: Record<string, string> = {}): ConfigProblem[] {
  try {
    parseConfigText(text, { env, baseDir: dir });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('CONFIG_ERR_INVALID');
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

interface Case {
  name: string;
  text: string;
  env?: Record<string, string>;
  path: string;
  line: number;
  column?: number;
  message: RegExp;
  expected?: RegExp;
  value?: unknown;
}

const cases: Case[] = [
  { name: 'unknown key with a suggestion', text: withLine(12, '  timout: 5000'), path: 'host.timout', line: 12, column: 3, message: /unknown key "host\.timout": did you mean "host\.timeoutMs"\?/ },
  { name: 'unknown section with a suggestion', text: withLine(18, 'logs:'), path: 'logs', line: 18, column: 1, message: /unknown key "logs": did you mean "log"\?/ },
  { name: 'key in the wrong section', text: withLine(17, '  merchantId: "x"'), path: 'api.merchantId', line: 17, message: /did you mean "terminal\.merchantId"\?/ },
  { name: 'renamed key', text: withLine(9, '  url: http://127.0.0.1:8080'), path: 'host.url', line: 9, message: /did you mean "host\.baseUrl"\?/ },
  { name: 'bad type: string for a number', text: withLine(12, '  timeoutMs: soon'), path: 'host.timeoutMs', line: 12, column: 14, message: /invalid value for "host\.timeoutMs"/, expected: /whole number from 1 to 600000/, value: 'soon' },
  { name: 'bad type: unquoted number id', text: withLine(3, '  terminalId: 20690111'), path: 'terminal.terminalId', line: 3, column: 15, message: /write it as a string in quotes: terminalId: "20690111"/ },
  { name: 'negative timeout', text: withLine(12, '  timeoutMs: -5'), path: 'host.timeoutMs', line: 12, message: /invalid value for "host\.timeoutMs"/, value: -5 },
  { name: 'missing required key', text: withLine(3, '  # terminalId removed'), path: 'terminal.terminalId', line: 1, column: 1, message: /"terminal\.terminalId" is required/ },
  { name: 'bad URL scheme', text: withLine(9, '  baseUrl: ftp://127.0.0.1:8080'), path: 'host.baseUrl', line: 9, column: 12, message: /must use http or https, not ftp/, value: 'ftp://127.0.0.1:8080' },
  { name: 'not a URL', text: withLine(9, '  baseUrl: 127.0.0.1:8080/x y'), path: 'host.baseUrl', line: 9, message: /"host\.baseUrl" is not a URL/ },
  { name: 'non-loopback api.listen', text: withLine(17, '  listen: 0.0.0.0:7401'), path: 'api.listen', line: 17, column: 11, message: /must be a loopback address/, expected: /127\.0\.0\.1:7401/ },
  { name: 'both clientSecret and clientSecretFile', text: withLine(12, '  clientSecretFile: ./secret.txt'), path: 'host.clientSecretFile', line: 12, message: /both "host\.clientSecret" and "host\.clientSecretFile" are set/ },
  { name: 'missing env var', text: withLine(10, '  clientId: ${POS_CLIENT_ID}'), path: 'host.clientId', line: 10, column: 13, message: /environment variable POS_CLIENT_ID, which is not set/ },
  { name: 'YAML syntax error', text: withLine(6, '  profile: [framed'), path: '', line: 7, message: /YAML syntax error/ },
  { name: 'bad profile enum', text: withLine(6, '  profile: fancy'), path: 'reader.profile', line: 6, column: 12, message: /invalid value for "reader\.profile"/, expected: /one of framed, magtek/, value: 'fancy' },
  { name: 'iso8583 without isoAddress', text: withLine(8, '  transport: iso8583'), path: 'host.isoAddress', line: 7, message: /"host\.isoAddress" is required with host\.transport iso8583/ },
  { name: 'bad isoAddress', text: withLine(8, '  isoAddress: nowhere'), path: 'host.isoAddress', line: 8, message: /"host\.isoAddress" is not host:port/ },
  { name: 'missing caFile', text: withLine(12, '  caFile: ./no-such-ca.pem'), path: 'host.caFile', line: 12, column: 11, message: /"host\.caFile" names a file that does not exist/ },
  { name: 'missing clientSecretFile', text: withLine(11, '  clientSecretFile: ./nope.txt'), path: 'host.clientSecretFile', line: 11, message: /names a file that does not exist/ },
  { name: 'bad log level', text: withLine(19, '  level: verbose'), path: 'log.level', line: 19, message: /invalid value for "log\.level"/, expected: /fatal, error, warn, info, debug, trace/ },
  { name: 'section that is not a mapping', text: withLine(18, 'log: loud').replace('  level: info\n', ''), path: 'log', line: 18, column: 6, message: /"log" must be a section/ },
  { name: 'negative queue.retainDoneS', text: withLine(15, '  retainDoneS: -1'), path: 'queue.retainDoneS', line: 15, column: 16, message: /invalid value for "queue\.retainDoneS"/, expected: /whole number from 0 to 315360000 .*0 keeps them forever/, value: -1 },
  { name: 'fractional queue.retainDoneS', text: withLine(15, '  retainDoneS: 1.5'), path: 'queue.retainDoneS', line: 15, message: /invalid value for "queue\.retainDoneS"/, value: 1.5 },
  { name: 'queue.retainDoneS as a word', text: withLine(15, '  retainDoneS: forever'), path: 'queue.retainDoneS', line: 15, message: /invalid value for "queue\.retainDoneS"/, value: 'forever' },
  { name: 'queue directory missing', text: withLine(14, '  path: ./no-dir/q.db'), path: 'queue.path', line: 14, message: /directory that does not exist/ },
];

describe('config errors', () => {
  it.each(cases)('$name', (c) => {
    const problems = problemsOf(c.text, c.env);
    const p = problems.find((x) => x.path === c.path);
    expect(p, JSON.stringify(problems)).toBeDefined();
    if (!p) return;
    expect(p.message).toMatch(c.message);
    expect(p.line).toBe(c.line);
    if (c.column !== undefined) expect(p.column).toBe(c.column);
    if (c.expected !== undefined) expect(p.expected).toMatch(c.expected);
    if ('value' in c) expect(p.value).toEqual(c.value);
    expect(p.expected.length).toBeGreaterThan(0);
  });

  it('reports every problem in one pass, sorted by line', () => {
    const text = withLine(6, '  profile: fancy').replace('  timeoutMs: 10000', '  timeoutMs: 0').replace('  listen: 127.0.0.1:7401', '  listen: 10.0.0.1:80');
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['reader.profile', 'host.timeoutMs', 'api.listen']);
  });

  it('never echoes a secret value', () => {
    let caught: unknown;
    try {
      parseConfigText(withLine(11, '  clientSecret: 12345678'), { env: {}, baseDir: dir });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const e = caught as ConfigError;
    expect(e.problems[0]?.path).toBe('host.clientSecret');
    expect(e.problems[0]?.value).toBeUndefined();
    expect(e.message).not.toContain('12345678');
  });

  it('queue.retainDoneS: default 30 days, 0 (keep forever) accepted', () => {
    const base = BASE.join('\n') + '\n';
    expect(parseConfigText(base, { env: {}, baseDir: dir }).config.queue.retainDoneS).toBe(2_592_000);
    const zero = base.replace('  keyFile: ./queue.key\n', '  keyFile: ./queue.key\n  retainDoneS: 0\n');
    expect(parseConfigText(zero, { env: {}, baseDir: dir }).config.queue.retainDoneS).toBe(0);
  });

  it('an empty file is one problem', () => {
    expect(problemsOf('').map((p) => p.message)).toEqual(['the config file is empty']);
  });

  it('reads the secret from clientSecretFile', () => {
    const { config } = parseConfigText(withLine(11, '  clientSecretFile: ./secret.txt'), { env: {}, baseDir: dir });
    expect(config.host.transport).toBe('rest');
    expect(config.host.clientSecret).toBe('from-file');
    expect(config.host.clientSecretFile).toBe(join(dir, 'secret.txt'));
  });
});
