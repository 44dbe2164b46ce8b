import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CONFIG_DEFAULTS, type AgentConfig, type HostConfig, type LogLevel, type ReaderProfile } from './agentConfig.js';
import type { ConfigProblem, ConfigWarning } from './configError.js';
import { CONFIG_KEYS } from './configKeys.js';
import { parseHostPort } from './hostPort.js';
import type { ValidValues } from './validateKeys.js';
import type { Pos, YamlTree } from './yamlTree.js';

interface Ctx {
  tree: YamlTree;
  values: ValidValues;
  problems: ConfigProblem[];
  warnings: ConfigWarning[];
  baseDir: string;
}

/** Where to point at for a key: its value, else its section's key, else the top of the file. */
function posOf(ctx: Ctx, path: string): Pos {
  const section = path.split('.')[0] ?? '';
  return ctx.tree.valuePos.get(path) ?? ctx.tree.keyPos.get(section) ?? { line: 1, column: 1 };
}

/** True when the key was written (even if its value was invalid): no "missing" report for it. */
const written = (ctx: Ctx, path: string): boolean => ctx.tree.keyPos.has(path);

function get<T>(ctx: Ctx, path: string): T | undefined {
  const [section = '', key = ''] = path.split('.');
  return ctx.values[section]?.[key] as T | undefined;
}

function need<T>(ctx: Ctx, path: string, why = ''): T | undefined {
  const v = get<T>(ctx, path);
  if (v === undefined && !written(ctx, path)) {
    const [section = '', key = ''] = path.split('.');
    ctx.problems.push({ path, ...posOf(ctx, path), message: `"${path}" is required${why}`, expected: `${key}: ${CONFIG_KEYS[section]?.[key]?.expected ?? 'a value'}, under "${section}:"` });
  }
  return v;
}

/** A file mode that lets group or others read it. */
const openToOthers = (mode: number): boolean => (mode & 0o077) !== 0;

function warnIfShared(ctx: Ctx, path: string, file: string, what: string): void {
  const mode = statSync(file).mode;
  if (openToOthers(mode)) {
    ctx.warnings.push({ path, ...posOf(ctx, path), message: `${what} ${file} is readable by group or others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run: chmod 600 ${file}` });
  }
}

function readSecretFile(ctx: Ctx, path: string, file: string): string | undefined {
  if (!existsSync(file)) {
    ctx.problems.push({ path, ...posOf(ctx, path), value: file, message: `"${path}" names a file that does not exist`, expected: 'an existing file holding only the client secret (mode 0600)' });
    return undefined;
  }
  warnIfShared(ctx, path, file, 'the client secret file');
  const secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (secret === '') ctx.problems.push({ path, ...posOf(ctx, path), value: file, message: `"${path}" names an empty file`, expected: 'a file holding the client secret on one line' });
  return secret;
}

function resolveHost(ctx: Ctx, abs: (p: string | undefined) => string | undefined): HostConfig | undefined {
  const transport = get<'rest' | 'iso8583'>(ctx, 'host.transport') ?? CONFIG_DEFAULTS.host.transport;
  const inline = get<string>(ctx, 'host.clientSecret');
  const secretFile = abs(get<string>(ctx, 'host.clientSecretFile'));
  if (written(ctx, 'host.clientSecret') && written(ctx, 'host.clientSecretFile')) {
    ctx.problems.push({ path: 'host.clientSecretFile', ...posOf(ctx, 'host.clientSecretFile'), message: 'both "host.clientSecret" and "host.clientSecretFile" are set', expected: 'exactly one of them: delete host.clientSecret and keep the secret in the file' });
  }
  let clientSecret = inline;
  if (secretFile !== undefined && !written(ctx, 'host.clientSecret')) clientSecret = readSecretFile(ctx, 'host.clientSecretFile', secretFile);
  const caFile = abs(get<string>(ctx, 'host.caFile'));
  if (caFile !== undefined) {
    if (!existsSync(caFile)) {
      ctx.problems.push({ path: 'host.caFile', ...posOf(ctx, 'host.caFile'), value: caFile, message: '"host.caFile" names a file that does not exist', expected: 'an existing PEM file (for the emulator: the file written by `pos-emulator host --tls --tls-ca-out FILE`)' });
    } else if (!readFileSync(caFile, 'utf8').includes('-----BEGIN CERTIFICATE-----')) {
      ctx.problems.push({ path: 'host.caFile', ...posOf(ctx, 'host.caFile'), value: caFile, message: '"host.caFile" holds no PEM certificate', expected: 'a file with one or more "-----BEGIN CERTIFICATE-----" blocks' });
    }
  }
  const common = {
    timeoutMs: get<number>(ctx, 'host.timeoutMs') ?? CONFIG_DEFAULTS.host.timeoutMs,
    connectTimeoutMs: get<number>(ctx, 'host.connectTimeoutMs') ?? CONFIG_DEFAULTS.host.connectTimeoutMs,
    caFile,
  };
  if (transport === 'rest') {
    const baseUrl = need<string>(ctx, 'host.baseUrl', ' with host.transport rest');
    const clientId = need<string>(ctx, 'host.clientId', ' with host.transport rest');
    if (!written(ctx, 'host.clientSecret') && !written(ctx, 'host.clientSecretFile')) {
      ctx.problems.push({ path: 'host.clientSecretFile', ...posOf(ctx, 'host'), message: 'one of "host.clientSecret" or "host.clientSecretFile" is required with host.transport rest', expected: 'clientSecretFile: /etc/pos-agent/client-secret (a file of mode 0600 holding the secret)' });
    }
    if (baseUrl === undefined || clientId === undefined || clientSecret === undefined) return undefined;
    return { transport, baseUrl: baseUrl.replace(/\/+$/, ''), clientId, clientSecret, clientSecretFile: secretFile, ...common };
  }
  const isoAddress = need<string>(ctx, 'host.isoAddress', ' with host.transport iso8583');
  const hp = isoAddress === undefined ? undefined : parseHostPort(isoAddress);
  if (isoAddress === undefined || hp === undefined) return undefined;
  return { transport, isoAddress, isoHost: hp.host, isoPort: hp.port, clientId: get<string>(ctx, 'host.clientId'), clientSecret, clientSecretFile: secretFile, ...common };
}

/**
 * Second pass: required keys, rules that span keys, defaults (with `??`),
 * paths made absolute against `baseDir`, and secret files read. Returns the
 * config when nothing was wrong in either pass.
 */
export function resolveConfig(tree: YamlTree, values: ValidValues, problems: ConfigProblem[], warnings: ConfigWarning[], baseDir: string): AgentConfig | undefined {
  const ctx: Ctx = { tree, values, problems, warnings, baseDir };
  const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(baseDir, p));
  const merchantId = need<string>(ctx, 'terminal.merchantId');
  const terminalId = need<string>(ctx, 'terminal.terminalId');
  const readerPath = need<string>(ctx, 'reader.path');
  const host = resolveHost(ctx, abs);
  const queuePath = abs(need<string>(ctx, 'queue.path'));
  const keyFile = abs(need<string>(ctx, 'queue.keyFile'));
  if (queuePath !== undefined && !existsSync(dirname(queuePath))) {
    problems.push({ path: 'queue.path', ...posOf(ctx, 'queue.path'), value: queuePath, message: `"queue.path" is in a directory that does not exist (${dirname(queuePath)})`, expected: 'a file path in an existing, writable directory' });
  }
  if (keyFile !== undefined) {
    if (existsSync(keyFile)) warnIfShared(ctx, 'queue.keyFile', keyFile, 'the queue key file');
    else warnings.push({ path: 'queue.keyFile', ...posOf(ctx, 'queue.keyFile'), message: `the queue key file ${keyFile} does not exist yet; create it with: pos-agent keygen --out ${keyFile}` });
  }
  const offline = {
    enabled: get<boolean>(ctx, 'offline.enabled') ?? CONFIG_DEFAULTS.offline.enabled,
    maxPointsPerTxn: get<number>(ctx, 'offline.maxPointsPerTxn') ?? CONFIG_DEFAULTS.offline.maxPointsPerTxn,
    maxTotalPoints: get<number>(ctx, 'offline.maxTotalPoints') ?? CONFIG_DEFAULTS.offline.maxTotalPoints,
    maxCount: get<number>(ctx, 'offline.maxCount') ?? CONFIG_DEFAULTS.offline.maxCount,
    maxAgeS: get<number>(ctx, 'offline.maxAgeS') ?? CONFIG_DEFAULTS.offline.maxAgeS,
  };
  if (offline.enabled && offline.maxPointsPerTxn > offline.maxTotalPoints) {
    problems.push({ path: 'offline.maxPointsPerTxn', ...posOf(ctx, 'offline.maxPointsPerTxn'), value: offline.maxPointsPerTxn, message: `"offline.maxPointsPerTxn" (${offline.maxPointsPerTxn}) is larger than "offline.maxTotalPoints" (${offline.maxTotalPoints})`, expected: 'maxPointsPerTxn at most maxTotalPoints' });
  }
  const listen = get<string>(ctx, 'api.listen') ?? CONFIG_DEFAULTS.api.listen;
  const hp = parseHostPort(listen);
  if (problems.length > 0 || host === undefined || hp === undefined) return undefined;
  if (merchantId === undefined || terminalId === undefined || readerPath === undefined || queuePath === undefined || keyFile === undefined) return undefined;
  return {
    terminal: { merchantId, terminalId },
    reader: {
      path: readerPath,
      profile: get<ReaderProfile>(ctx, 'reader.profile') ?? CONFIG_DEFAULTS.reader.profile,
      baudRate: get<number>(ctx, 'reader.baudRate') ?? CONFIG_DEFAULTS.reader.baudRate,
      keepAliveMs: get<number>(ctx, 'reader.keepAliveMs') ?? CONFIG_DEFAULTS.reader.keepAliveMs,
    },
    host,
    queue: {
      path: queuePath,
      keyFile,
      maxAgeS: get<number>(ctx, 'queue.maxAgeS') ?? CONFIG_DEFAULTS.queue.maxAgeS,
      concurrency: get<number>(ctx, 'queue.concurrency') ?? CONFIG_DEFAULTS.queue.concurrency,
    },
    offline,
    api: { listen, host: hp.host, port: hp.port },
    log: { level: get<LogLevel>(ctx, 'log.level') ?? CONFIG_DEFAULTS.log.level },
  };
}
