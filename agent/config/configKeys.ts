import { z } from 'zod';
import { READER_PROFILES } from '../../protocol/reader/index.js';
import { isLoopbackHost, parseHostPort } from './hostPort.js';

/** What the technician is told about a key when its value is wrong or missing. */
export interface KeyInfo {
  /** What is accepted, in words the technician can act on. */
  expected: string;
  /** Never echo the value in a problem. */
  secret?: boolean;
  /** When the key is required only with some other setting, e.g. ` with host.transport rest`. */
  requiredWith?: string;
}

/** The words each key's problems use; looked up by the key's schema in {@link CONFIG_KEYS}. */
export const keyInfo = z.registry<KeyInfo>();

function key<T extends z.ZodType>(schema: T, info: KeyInfo): T {
  keyInfo.add(schema, info);
  return schema;
}

const id = (example: string) => key(z.string().min(1), { expected: `a non-empty string in quotes, e.g. "${example}"` });
const text = (expected: string) => key(z.string().min(1), { expected });
/** A whole number from 1 to max. (`multipleOf(1)` with `min(1)`, not `.int()`: `.int()` stops the section's cross-key rules; `min(1)`, not `positive()`: `multipleOf(1)` lets a tiny fraction such as 1e-300 through.) */
const posInt = (what: string, max: number) => key(z.number().multipleOf(1).min(1).max(max), { expected: `a whole number from 1 to ${max} (${what})` });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => key(z.enum(values), { expected: `one of ${values.join(', ')}` });

/** A custom issue's extra words: what is expected instead (default: the key's own {@link KeyInfo.expected}). */
export interface IssueParams {
  expected?: string;
}

function urlProblem(v: string): string | undefined {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return '"host.baseUrl" is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `"host.baseUrl" must use http or https, not ${u.protocol.slice(0, -1)}`;
  if (u.search !== '' || u.hash !== '') return '"host.baseUrl" must not have a query or fragment';
  if (u.username !== '' || u.password !== '') return '"host.baseUrl" must not carry credentials; use host.clientId and host.clientSecret';
  return undefined;
}

/** `host.baseUrl`: an http(s) URL with no query, fragment or credentials; trailing slashes dropped. */
const baseUrl = z
  .string()
  .min(1)
  .transform((v, ctx) => {
    const message = urlProblem(v);
    if (message === undefined) return v.replace(/\/+$/, '');
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });

/** `host.isoAddress`: `host:port`, parsed. */
const isoAddress = z
  .string()
  .min(1)
  .transform((v, ctx) => {
    const hp = parseHostPort(v);
    if (hp !== undefined) return { address: v, ...hp };
    ctx.addIssue({ code: 'custom', message: '"host.isoAddress" is not host:port' });
    return z.NEVER;
  });

/** `api.listen`: a loopback `host:port`, parsed. */
const listen = z
  .string()
  .min(1)
  .transform((v, ctx) => {
    const hp = parseHostPort(v);
    if (hp === undefined) {
      ctx.addIssue({ code: 'custom', message: '"api.listen" is not host:port' });
      return z.NEVER;
    }
    if (!isLoopbackHost(hp.host)) {
      const params: IssueParams = { expected: 'a loopback address such as 127.0.0.1:7401 or [::1]:7401' };
      ctx.addIssue({ code: 'custom', message: `"api.listen" must be a loopback address: the POS API is for the cashier's app on this terminal, and ${hp.host} would expose it to the network`, params });
      return z.NEVER;
    }
    return { listen: v, ...hp };
  });

/** The routes `api.openRoutes` may leave open without the token. */
export const OPENABLE_ROUTES = ['/v1/health', '/metrics'] as const;

const MS_MAX = 600_000;
const DAY = 86_400;

/**
 * Every key the config file accepts, by section, in the order problems list
 * them: each is the key's validator, registered in {@link keyInfo} with its
 * words. The config schema (configSchema.ts) composes these with defaults,
 * rules that span keys, and file checks.
 */
export const CONFIG_KEYS = {
  terminal: {
    merchantId: id('IBP000000000162'),
    terminalId: id('20690111'),
  },
  reader: {
    path: text('the serial device path, e.g. /dev/ttyUSB0 (or /tmp/pos-reader for the emulator)'),
    profile: oneOf(READER_PROFILES),
    baudRate: posInt('bits per second, usually 9600', 4_000_000),
    keepAliveMs: posInt('milliseconds', MS_MAX),
  },
  host: {
    transport: oneOf(['rest', 'iso8583']),
    baseUrl: key(baseUrl, { expected: 'an http:// or https:// URL such as http://127.0.0.1:8080', requiredWith: ' with host.transport rest' }),
    isoAddress: key(isoAddress, { expected: 'host:port of the ISO 8583 link, e.g. 127.0.0.1:8583', requiredWith: ' with host.transport iso8583' }),
    clientId: key(z.string().min(1), { expected: 'a non-empty string in quotes, e.g. "IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088"', requiredWith: ' with host.transport rest' }),
    clientSecret: key(z.string().min(1), { expected: 'the client secret string (better: host.clientSecretFile)', secret: true }),
    clientSecretFile: text('the path of a file holding only the client secret (mode 0600)'),
    timeoutMs: posInt('milliseconds to wait for an answer once the request is sent', MS_MAX),
    connectTimeoutMs: posInt('milliseconds to wait for the connection', MS_MAX),
    caFile: text('the path of a PEM certificate file'),
  },
  queue: {
    path: text('the path of the SQLite queue file, e.g. /var/lib/pos-agent/queue.db'),
    keyFile: text('the path of the 32-byte key written by `pos-agent keygen --out FILE`'),
    maxAgeS: posInt('seconds', 365 * DAY),
    concurrency: posInt('concurrent sends', 64),
    retainDoneS: key(z.number().multipleOf(1).min(0).max(3650 * DAY), {
      expected: `a whole number from 0 to ${3650 * DAY} (seconds a done operation is kept; 0 keeps them forever)`,
    }),
  },
  offline: {
    enabled: key(z.boolean(), { expected: 'true or false' }),
    maxPointsPerTxn: posInt('points', 1_000_000_000),
    maxTotalPoints: posInt('points', 1_000_000_000),
    maxCount: posInt('burns', 1_000_000),
    maxAgeS: posInt('seconds', 365 * DAY),
    balanceMaxAgeS: posInt('seconds', 365 * DAY),
    unknownCards: oneOf(['refuse', 'allow']),
  },
  api: {
    listen: key(listen, { expected: 'a loopback address and port, e.g. 127.0.0.1:7401' }),
    tokenFile: text('the path of a file holding the POS API bearer token (mode 0600), written by `pos-agent keygen --api-token --out FILE`'),
    openRoutes: key(z.array(z.enum(OPENABLE_ROUTES)), {
      expected: `a list of the routes answered without the token: [] (none) or any of ${OPENABLE_ROUTES.join(', ')}`,
    }),
  },
  log: {
    level: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  },
} as const;

/** {@link CONFIG_KEYS} looked up by name. */
export const KEYS_BY_NAME: Readonly<Record<string, Readonly<Record<string, z.ZodType>>>> = CONFIG_KEYS;

/** The key's schema and words, or undefined for a key the file does not accept. */
export function keyAt(section: PropertyKey | undefined, name: PropertyKey | undefined): { schema: z.ZodType; info: KeyInfo } | undefined {
  if (typeof section !== 'string' || typeof name !== 'string') return undefined;
  const schema = KEYS_BY_NAME[section]?.[name];
  const info = schema === undefined ? undefined : keyInfo.get(schema);
  return schema === undefined || info === undefined ? undefined : { schema, info };
}

/** Keys people commonly write by mistake, with the key to use instead. */
export const RENAMED_KEYS: Record<string, string> = {
  'host.url': 'host.baseUrl',
  'host.secret': 'host.clientSecret',
  'host.secretFile': 'host.clientSecretFile',
  'host.responseTimeoutMs': 'host.timeoutMs',
  'host.requestTimeoutMs': 'host.timeoutMs',
  'reader.device': 'reader.path',
  'reader.baud': 'reader.baudRate',
  'api.port': 'api.listen',
  'api.host': 'api.listen',
  'api.token': 'api.tokenFile',
  'api.apiToken': 'api.tokenFile',
  'api.keyFile': 'api.tokenFile',
  'queue.key': 'queue.keyFile',
};
