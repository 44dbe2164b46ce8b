/**
 * `api.tokenFile` and `api.openRoutes` (issue 18): the token is read once, at
 * load; a missing, unreadable, empty, too short or multi-line file is a config
 * problem naming the key and the keygen fix, never showing the file's text.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  API_TOKEN_MIN_CHARS,
  ConfigError,
  generateApiToken,
  parseConfigText,
  readApiTokenFile,
  writeApiTokenFile,
  type ConfigProblem,
} from '../../../agent/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cfg-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (apiLines: string[]): string =>
  [
    'terminal:',
    '  merchantId: "IBP000000000162"',
    '  terminalId: "20690111"',
    'reader:',
    '  path: /tmp/pos-reader',
    'host:',
    '  baseUrl: http://127.0.0.1:8080',
    '  clientId: IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088',
    '  clientSecret: secret',
    'queue:',
    '  path: ./q.db',
    '  keyFile: ./queue.key',
    'api:', //                   13
    ...apiLines.map((l) => `  ${l}`), // 14...
    '',
  ].join('\n');

function problemsOf(text: string): ConfigProblem[] {
  try {
    parseConfigText(text, { env: {}, baseDir: dir });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

function tokenFile(name: string, text: string | undefined): string {
  const f = join(dir, name);
  if (text !== undefined) writeFileSync(f, text, { mode: 0o600 });
  return f;
}

describe('api.tokenFile', () => {
  it('reads the token once at load, the trailing newline (LF or CRLF) dropped, relative to the config file', () => {
    const token = generateApiToken();
    tokenFile('crlf-token', `${token}\r\n`);
    const { config: c } = parseConfigText(config(['tokenFile: ./crlf-token']), { env: {}, baseDir: dir });
    expect(c.api).toMatchObject({ tokenFile: join(dir, 'crlf-token'), token, openRoutes: ['/v1/health', '/metrics'] });
  });

  it.each([
    ['missing', undefined, '"api.tokenFile" names a file that does not exist'],
    ['empty', '', '"api.tokenFile" names an empty file'],
    ['only a newline', '\n', '"api.tokenFile" names an empty file'],
    ['one character short', `${'a'.repeat(API_TOKEN_MIN_CHARS - 1)}\n`, `"api.tokenFile" holds a token of ${API_TOKEN_MIN_CHARS - 1} characters; at least ${API_TOKEN_MIN_CHARS} are needed`],
    ['two lines', `${'a'.repeat(40)}\n${'b'.repeat(40)}\n`, '"api.tokenFile" must hold the token alone on one line, in visible ASCII without spaces'],
    ['a space inside', `${'a'.repeat(20)} ${'b'.repeat(20)}\n`, '"api.tokenFile" must hold the token alone on one line, in visible ASCII without spaces'],
    ['not ASCII', `${'a'.repeat(40)}é\n`, '"api.tokenFile" must hold the token alone on one line, in visible ASCII without spaces'],
  ])('a token file that is %s is one problem naming the key, the line and the keygen fix', (name, text, message) => {
    const f = tokenFile(`bad-${name.replaceAll(' ', '-')}`, text);
    const problems = problemsOf(config([`tokenFile: ${f}`]));
    expect(problems).toEqual([{ path: 'api.tokenFile', line: 14, column: 14, value: f, message, expected: `a file written by: pos-agent keygen --api-token --out ${f}` }]);
    if (text !== undefined && text.trim() !== '') expect(JSON.stringify(problems)).not.toContain(text.trim().slice(0, 20));
  });

  it('a directory, or a file it may not read, is a problem too', () => {
    const d = join(dir, 'a-dir');
    mkdirSync(d);
    expect(problemsOf(config([`tokenFile: ${d}`])).map((p) => p.message)).toEqual(['"api.tokenFile" names a directory, not a file']);
    expect(readApiTokenFile(d)).toEqual({ problem: '"api.tokenFile" names a directory, not a file', expected: `a file written by: pos-agent keygen --api-token --out ${d}` });
  });

  it('"api.token" is refused with a hint: the token lives in a file', () => {
    expect(problemsOf(config([`token: ${generateApiToken()}`])).map((p) => p.message)).toEqual(['unknown key "api.token": did you mean "api.tokenFile"?']);
  });
});

describe('api.openRoutes', () => {
  it('defaults to /v1/health and /metrics; [] closes them; a subset is kept', () => {
    const parse = (lines: string[]) => parseConfigText(config(lines), { env: {}, baseDir: dir }).config.api.openRoutes;
    expect(parse(['listen: 127.0.0.1:7401'])).toEqual(['/v1/health', '/metrics']);
    expect(parse(['openRoutes: []'])).toEqual([]);
    expect(parse(['openRoutes: [/metrics]'])).toEqual(['/metrics']);
  });

  it('refuses a route that may not be opened, naming the choices', () => {
    expect(problemsOf(config(['openRoutes: [/metrics, /v1/redemptions]']))).toMatchObject([
      { path: 'api.openRoutes', line: 14, message: 'invalid value for "api.openRoutes"', value: '/v1/redemptions', expected: 'a list of the routes answered without the token: [] (none) or any of /v1/health, /metrics' },
    ]);
    expect(problemsOf(config(['openRoutes: /metrics']))).toMatchObject([{ path: 'api.openRoutes', message: 'invalid value for "api.openRoutes"' }]);
  });
});

describe('writeApiTokenFile', () => {
  it('writes 32 random bytes as 43 base64url characters and a newline, mode 0600 whatever the umask, and refuses to overwrite', () => {
    const f = join(dir, 'written');
    const old = process.umask(0);
    try {
      writeApiTokenFile(f);
    } finally {
      process.umask(old);
    }
    expect(statSync(f).mode & 0o777).toBe(0o600);
    const text = readFileSync(f, 'utf8');
    expect(text).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(Buffer.from(text.trim(), 'base64url')).toHaveLength(32);
    expect(readApiTokenFile(f)).toEqual({ token: text.trim() });
    expect(() => writeApiTokenFile(f)).toThrow(expect.objectContaining({ code: 'API_TOKEN_ERR_EXISTS' }));
    expect(readFileSync(f, 'utf8')).toBe(text);
  });

  it('makes a new token every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateApiToken()));
    expect(tokens.size).toBe(50);
  });
});
