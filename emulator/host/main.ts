/**
 * `pos-emulator host [--port N] [--iso-port N [--iso-idle-s S] [--iso-max-connections N]] [--db FILE] [--fixtures FILE]
 *  [--webhook-url URL --webhook-secret whsec_... [--webhook-ca FILE]] [--tls [--tls-ca-out FILE]] [--clients FILE]`
 *
 * Prints `{"msg":"listening","url":...,"isoPort":N|null}` as its first stdout
 * line, logs (pino, JSON) to stderr, and closes cleanly on SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { loadFixturesFile } from './fixturesFile.js';
import { startHost, type HostOptions } from './index.js';

const ClientsSchema = z.array(z.strictObject({ clientId: z.string().min(1).max(128), clientSecret: z.string().min(1).max(256) }));

const fail = (msg: string): number => {
  process.stderr.write(`pos-emulator host: ${msg}\n`);
  return 2;
};

const port = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 65535) throw new Error(`${flag} must be a port number 0-65535 (got "${v}")`);
  return n;
};

/** A whole number 1-100000, or undefined when the flag is absent. */
const count = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n < 1 || n > 100_000) throw new Error(`${flag} must be a whole number 1-100000 (got "${v}")`);
  return n;
};

/** Parses the flags into host options. Throws with a message naming the bad flag. */
export function parseHostArgs(argv: string[]): HostOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      'iso-port': { type: 'string' },
      'iso-idle-s': { type: 'string' },
      'iso-max-connections': { type: 'string' },
      db: { type: 'string' },
      fixtures: { type: 'string' },
      'webhook-url': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'webhook-ca': { type: 'string' },
      tls: { type: 'boolean' },
      'tls-ca-out': { type: 'string' },
      clients: { type: 'string' },
      'unsafe-no-idempotency': { type: 'boolean' },
    },
  });
  const opts: HostOptions = { port: port(values.port, '--port') ?? 0 };
  const iso = port(values['iso-port'], '--iso-port');
  if (iso !== undefined) opts.isoPort = iso;
  const idle = count(values['iso-idle-s'], '--iso-idle-s');
  if (idle !== undefined) opts.isoIdleS = idle;
  const maxConn = count(values['iso-max-connections'], '--iso-max-connections');
  if (maxConn !== undefined) opts.isoMaxConnections = maxConn;
  if (values.db !== undefined) opts.db = values.db;
  if (values['unsafe-no-idempotency']) opts.unsafeNoIdempotency = true;
  if (values.fixtures !== undefined) opts.fixtures = loadFixturesFile(values.fixtures);
  if ((values['webhook-url'] === undefined) !== (values['webhook-secret'] === undefined)) {
    throw new Error('--webhook-url and --webhook-secret go together');
  }
  if (values['webhook-url'] !== undefined && values['webhook-secret'] !== undefined) {
    if (!values['webhook-secret'].startsWith('whsec_')) throw new Error('--webhook-secret must start with whsec_');
    opts.webhook = { url: values['webhook-url'], secret: values['webhook-secret'] };
    if (values['webhook-ca'] !== undefined) opts.webhook.ca = readFileSync(values['webhook-ca']);
  } else if (values['webhook-ca'] !== undefined) {
    throw new Error('--webhook-ca goes with --webhook-url and --webhook-secret');
  }
  if (values['tls-ca-out'] !== undefined && !values.tls) throw new Error('--tls-ca-out needs --tls');
  if (values.tls) opts.tls = true;
  if (values['tls-ca-out'] !== undefined) opts.tlsCaOut = values['tls-ca-out'];
  if (values.clients !== undefined) {
    const parsed = ClientsSchema.safeParse(JSON.parse(readFileSync(values.clients, 'utf8')));
    if (!parsed.success) {
      throw new Error(`--clients ${values.clients}: ${parsed.error.issues.map((i) => `"${i.path.join('.')}": ${i.message}`).join('; ')}`);
    }
    opts.clients = parsed.data;
  }
  return opts;
}

export async function main(argv: string[]): Promise<number> {
  let opts: HostOptions;
  try {
    opts = parseHostArgs(argv);
  } catch (err) {
    return fail((err as Error).message);
  }
  const logger = pino(
    { level: process.env.LOG_LEVEL ?? 'info', timestamp: pino.stdTimeFunctions.isoTime, redact: ['pan', 'PAN', '*.pan', '*.PAN', 'req.headers.pan', 'req.headers.authorization'] },
    pino.destination(2),
  );
  const host = await startHost({ ...opts, logger });
  process.stdout.write(JSON.stringify({ msg: 'listening', url: host.url, isoPort: host.isoPort }) + '\n');
  logger.info({ url: host.url, isoPort: host.isoPort, db: opts.db ?? ':memory:' }, 'host emulator listening');
  if (opts.unsafeNoIdempotency) logger.warn({}, 'UNSAFE: --unsafe-no-idempotency applies repeated transactionIds again (test only)');
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'host emulator stopping');
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      host.close().then(resolve, resolve);
    };
    const onTerm = (): void => stop('SIGTERM');
    const onInt = (): void => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
  return 0;
}
