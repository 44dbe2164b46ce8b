import { z } from 'zod';
import { isLoopbackHost, parseHostPort } from './hostPort.js';

/** How one key is checked: a zod type check, then an optional semantic check. */
export interface KeySpec {
  /** Scalar kind, used to coerce `${ENV}`-substituted strings. */
  kind: 'string' | 'int' | 'bool';
  schema: z.ZodType;
  /** What is accepted, in words the technician can act on. */
  expected: string;
  /** Returns a message when the (type-correct) value is still wrong. */
  check?: (value: never) => { message: string; expected?: string } | undefined;
  /** Never echo the value in a problem. */
  secret?: boolean;
}

const id = (example: string): KeySpec => ({
  kind: 'string',
  schema: z.string().min(1),
  expected: `a non-empty string in quotes, e.g. "${example}"`,
});
const text = (what: string): KeySpec => ({ kind: 'string', schema: z.string().min(1), expected: what });
const posInt = (what: string, max: number): KeySpec => ({
  kind: 'int',
  schema: z.number().int().positive().max(max),
  expected: `a whole number from 1 to ${max} (${what})`,
});
const oneOf = <T extends string>(values: readonly [T, ...T[]]): KeySpec => ({
  kind: 'string',
  schema: z.enum(values),
  expected: `one of ${values.join(', ')}`,
});

function checkBaseUrl(v: string): { message: string } | undefined {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return { message: '"host.baseUrl" is not a URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { message: `"host.baseUrl" must use http or https, not ${u.protocol.slice(0, -1)}` };
  if (u.search !== '' || u.hash !== '') return { message: '"host.baseUrl" must not have a query or fragment' };
  if (u.username !== '' || u.password !== '') return { message: '"host.baseUrl" must not carry credentials; use host.clientId and host.clientSecret' };
  return undefined;
}

const MS_MAX = 600_000;
const DAY = 86_400;

/** Every key the config file accepts, by section. The checks are driven from this table. */
export const CONFIG_KEYS: Record<string, Record<string, KeySpec>> = {
  terminal: {
    merchantId: id('IBP000000000162'),
    terminalId: id('20690111'),
  },
  reader: {
    path: text('the serial device path, e.g. /dev/ttyUSB0 (or /tmp/pos-reader for the emulator)'),
    profile: oneOf(['framed', 'magtek']),
    baudRate: posInt('bits per second, usually 9600', 4_000_000),
    keepAliveMs: posInt('milliseconds', MS_MAX),
  },
  host: {
    transport: oneOf(['rest', 'iso8583']),
    baseUrl: { ...text('an http:// or https:// URL such as http://127.0.0.1:8080'), check: checkBaseUrl },
    isoAddress: {
      ...text('host:port of the ISO 8583 link, e.g. 127.0.0.1:8583'),
      check: (v: string) => (parseHostPort(v) ? undefined : { message: '"host.isoAddress" is not host:port' }),
    },
    clientId: id('IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088'),
    clientSecret: { ...text('the client secret string (better: host.clientSecretFile)'), secret: true },
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
  },
  offline: {
    enabled: { kind: 'bool', schema: z.boolean(), expected: 'true or false' },
    maxPointsPerTxn: posInt('points', 1_000_000_000),
    maxTotalPoints: posInt('points', 1_000_000_000),
    maxCount: posInt('burns', 1_000_000),
    maxAgeS: posInt('seconds', 365 * DAY),
  },
  api: {
    listen: {
      ...text('a loopback address and port, e.g. 127.0.0.1:7401'),
      check: (v: string) => {
        const hp = parseHostPort(v);
        if (!hp) return { message: '"api.listen" is not host:port' };
        if (!isLoopbackHost(hp.host)) {
          return {
            message: `"api.listen" must be a loopback address: the POS API has no authentication, so ${hp.host} would expose it to the network`,
            expected: 'a loopback address such as 127.0.0.1:7401 or [::1]:7401',
          };
        }
        return undefined;
      },
    },
  },
  log: {
    level: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  },
};

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
  'queue.key': 'queue.keyFile',
};
