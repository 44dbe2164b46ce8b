import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { readApiTokenFile } from './apiTokenFile.js';
import { CONFIG_DEFAULTS as D } from './configDefaults.js';
import { CONFIG_KEYS as K, type IssueParams } from './configKeys.js';

/** A custom issue's params: {@link IssueParams}, plus where to point when that is not the issue's own path. */
export interface ConfigIssueParams extends IssueParams {
  /** The path (from the top of the file) whose position the problem gives. */
  at?: PropertyKey[];
}

/** Options of {@link configSchema}. */
export interface ConfigSchemaOptions {
  /** Directory that relative paths (queue.path, queue.keyFile, host.caFile, host.clientSecretFile, api.tokenFile) are resolved against. */
  baseDir: string;
}

/** An absent or empty (`log:`) section: every key takes its default. */
const section = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? {}, schema);

/**
 * Rules that span keys run even when some key of the section is wrong, so that
 * one pass reports every problem; they look only at keys that passed.
 */
const EVEN_WITH_PROBLEMS = { when: (p: { value: unknown }) => typeof p.value === 'object' && p.value !== null };

/** Which keys of a section were written (even if wrong), and which passed their own check. */
function keysOf(value: object, issues: readonly { path?: PropertyKey[] | undefined }[]) {
  const rejected = new Set(issues.map((i) => i.path?.[0]));
  return {
    written: (k: string): boolean => Object.hasOwn(value, k) || rejected.has(k),
    valid: (k: string): boolean => Object.hasOwn(value, k) && !rejected.has(k),
  };
}

const params = (p: ConfigIssueParams): ConfigIssueParams => p;

/**
 * The one config schema: the validator of the parsed YAML and the source of
 * the {@link AgentConfig} type. Strict (unknown keys are refused), with
 * defaults; relative paths are made absolute against `baseDir`, the files it
 * names are checked, and the client secret is read from `host.clientSecretFile`.
 * Issues carry paths that {@link configProblems} maps to lines and words.
 */
export function configSchema(opts: ConfigSchemaOptions) {
  const absolute = (p: string): string => resolve(opts.baseDir, p);

  const caFile = K.host.caFile.transform((p, ctx) => {
    const file = absolute(p);
    if (!existsSync(file)) {
      ctx.addIssue({ code: 'custom', input: file, message: '"host.caFile" names a file that does not exist', params: params({ expected: 'an existing PEM file (for the emulator: the file written by `pos-emulator host --tls --tls-ca-out FILE`)' }) });
    } else if (!readFileSync(file, 'utf8').includes('-----BEGIN CERTIFICATE-----')) {
      ctx.addIssue({ code: 'custom', input: file, message: '"host.caFile" holds no PEM certificate', params: params({ expected: 'a file with one or more "-----BEGIN CERTIFICATE-----" blocks' }) });
    }
    return file;
  });

  const clientSecretFile = K.host.clientSecretFile.transform((p, ctx) => {
    const file = absolute(p);
    if (!existsSync(file)) {
      ctx.addIssue({ code: 'custom', input: file, message: '"host.clientSecretFile" names a file that does not exist', params: params({ expected: 'an existing file holding only the client secret (mode 0600)' }) });
      return z.NEVER;
    }
    const secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    if (secret === '') ctx.addIssue({ code: 'custom', input: file, message: '"host.clientSecretFile" names an empty file', params: params({ expected: 'a file holding the client secret on one line' }) });
    return { file, secret };
  });

  const hostKeys = {
    baseUrl: K.host.baseUrl.optional(),
    isoAddress: K.host.isoAddress.optional(),
    clientId: K.host.clientId.optional(),
    clientSecret: K.host.clientSecret.optional(),
    clientSecretFile: clientSecretFile.optional(),
    timeoutMs: K.host.timeoutMs.default(D.host.timeoutMs),
    connectTimeoutMs: K.host.connectTimeoutMs.default(D.host.connectTimeoutMs),
    caFile: caFile.optional(),
  };

  const notBothSecrets = (h: object, ctx: z.RefinementCtx): void => {
    const k = keysOf(h, ctx.issues);
    if (k.written('clientSecret') && k.written('clientSecretFile')) {
      ctx.addIssue({ code: 'custom', path: ['clientSecretFile'], input: undefined, message: 'both "host.clientSecret" and "host.clientSecretFile" are set', params: params({ expected: 'exactly one of them: delete host.clientSecret and keep the secret in the file' }) });
    }
  };
  const noSecret = (ctx: { addIssue: z.RefinementCtx['addIssue'] }): void => {
    ctx.addIssue({
      code: 'custom',
      path: ['clientSecretFile'],
      input: undefined,
      message: 'one of "host.clientSecret" or "host.clientSecretFile" is required with host.transport rest',
      params: params({ expected: 'clientSecretFile: /etc/pos-agent/client-secret (a file of mode 0600 holding the secret)', at: ['host'] }),
    });
  };

  const restHost = z
    .strictObject({ ...hostKeys, transport: z.literal('rest').default(D.host.transport), baseUrl: K.host.baseUrl, clientId: K.host.clientId })
    .superRefine((h, ctx) => {
      notBothSecrets(h, ctx);
      const k = keysOf(h, ctx.issues);
      if (!k.written('clientSecret') && !k.written('clientSecretFile')) noSecret(ctx);
    }, EVEN_WITH_PROBLEMS)
    .transform((h, ctx) => {
      const clientSecret = h.clientSecret ?? h.clientSecretFile?.secret;
      if (clientSecret === undefined) {
        noSecret(ctx); // reported by the rule above already; this narrows the type
        return z.NEVER;
      }
      return {
        transport: h.transport,
        /** http(s) URL without a trailing slash, e.g. http://127.0.0.1:8080. */
        baseUrl: h.baseUrl,
        clientId: h.clientId,
        /** The secret itself: `host.clientSecret`, or the trimmed contents of `host.clientSecretFile`. */
        clientSecret,
        /** Absolute path the secret was read from, when it came from a file. */
        clientSecretFile: h.clientSecretFile?.file,
        /** Response timeout, ms (time allowed for an answer once the request is sent). */
        timeoutMs: h.timeoutMs,
        /** TCP (and TLS) connect timeout, ms. */
        connectTimeoutMs: h.connectTimeoutMs,
        /** Absolute path of a PEM file trusted in addition to the system CAs. */
        caFile: h.caFile,
      };
    });

  const isoHost = z
    .strictObject({ ...hostKeys, transport: z.literal('iso8583'), isoAddress: K.host.isoAddress })
    .superRefine(notBothSecrets, EVEN_WITH_PROBLEMS)
    .transform((h) => ({
      transport: h.transport,
      /** `host:port` of the ISO 8583 link, as written. */
      isoAddress: h.isoAddress.address,
      isoHost: h.isoAddress.host,
      isoPort: h.isoAddress.port,
      /** Optional for ISO (used only by REST features such as offers when set). */
      clientId: h.clientId,
      clientSecret: h.clientSecret ?? h.clientSecretFile?.secret,
      clientSecretFile: h.clientSecretFile?.file,
      timeoutMs: h.timeoutMs,
      connectTimeoutMs: h.connectTimeoutMs,
      caFile: h.caFile,
    }));

  // Read once, here at load: a bad token file stops the start, before anything is opened.
  const tokenFile = K.api.tokenFile.transform((p, ctx) => {
    const file = absolute(p);
    const read = readApiTokenFile(file);
    if ('problem' in read) {
      ctx.addIssue({ code: 'custom', input: file, message: read.problem, params: params({ expected: read.expected }) });
      return z.NEVER;
    }
    return { file, token: read.token };
  });

  const queuePath = K.queue.path.transform((p, ctx) => {
    const file = absolute(p);
    if (!existsSync(dirname(file))) {
      ctx.addIssue({ code: 'custom', input: file, message: `"queue.path" is in a directory that does not exist (${dirname(file)})`, params: params({ expected: 'a file path in an existing, writable directory' }) });
    }
    return file;
  });

  return z.strictObject({
    terminal: section(z.strictObject({ merchantId: K.terminal.merchantId, terminalId: K.terminal.terminalId })),
    reader: section(
      z.strictObject({
        /** Serial device path, e.g. /dev/ttyUSB0 or the emulator's /tmp/pos-reader. */
        path: K.reader.path,
        profile: K.reader.profile.default(D.reader.profile),
        baudRate: K.reader.baudRate.default(D.reader.baudRate),
        /** Reader keep-alive poll interval, ms. */
        keepAliveMs: K.reader.keepAliveMs.default(D.reader.keepAliveMs),
      }),
    ),
    host: section(z.discriminatedUnion('transport', [restHost, isoHost])),
    queue: section(
      z.strictObject({
        /** Absolute path of the SQLite file. */
        path: queuePath,
        /** Absolute path of the 32-byte key file (`pos-agent keygen`). */
        keyFile: K.queue.keyFile.transform(absolute),
        /** Entries older than this expire to dead-letter, seconds. */
        maxAgeS: K.queue.maxAgeS.default(D.queue.maxAgeS),
        /** Forwarder's concurrent sends (cards forwarded at once). */
        concurrency: K.queue.concurrency.default(D.queue.concurrency),
        /** Done operations (and their POS references) older than this are pruned, seconds; 0 keeps them forever. */
        retainDoneS: K.queue.retainDoneS.default(D.queue.retainDoneS),
      }),
    ),
    offline: section(
      z
        .strictObject({
          /** Burns while the host is unreachable. */
          enabled: K.offline.enabled.default(D.offline.enabled),
          /** Largest offline burn, points. */
          maxPointsPerTxn: K.offline.maxPointsPerTxn.default(D.offline.maxPointsPerTxn),
          /** Sum of offline burns not yet confirmed, points. */
          maxTotalPoints: K.offline.maxTotalPoints.default(D.offline.maxTotalPoints),
          /** Number of offline burns not yet confirmed. */
          maxCount: K.offline.maxCount.default(D.offline.maxCount),
          /** Oldest offline burn allowed before new ones are refused, seconds. */
          maxAgeS: K.offline.maxAgeS.default(D.offline.maxAgeS),
          /** How long a card's last balance seen online may be stood in on, seconds. */
          balanceMaxAgeS: K.offline.balanceMaxAgeS.default(D.offline.balanceMaxAgeS),
          /** Offline burns on a card with no known balance here: refuse (default) or allow. */
          unknownCards: K.offline.unknownCards.default(D.offline.unknownCards),
        })
        .superRefine((o, ctx) => {
          const k = keysOf(o, ctx.issues);
          if (!k.valid('enabled') || !k.valid('maxPointsPerTxn') || !k.valid('maxTotalPoints')) return;
          if (o.enabled && o.maxPointsPerTxn > o.maxTotalPoints) {
            ctx.addIssue({
              code: 'custom',
              path: ['maxPointsPerTxn'],
              input: o.maxPointsPerTxn,
              message: `"offline.maxPointsPerTxn" (${o.maxPointsPerTxn}) is larger than "offline.maxTotalPoints" (${o.maxTotalPoints})`,
              params: params({ expected: 'maxPointsPerTxn at most maxTotalPoints' }),
            });
          }
        }, EVEN_WITH_PROBLEMS),
    ),
    api: section(
      z
        .strictObject({
          listen: K.api.listen.prefault(D.api.listen),
          tokenFile: tokenFile.optional(),
          openRoutes: K.api.openRoutes.default(() => [...D.api.openRoutes]),
        })
        .transform(({ listen, tokenFile, openRoutes }) => ({
          /** As written, e.g. 127.0.0.1:7401. Always a loopback address. */
          listen: listen.listen,
          host: listen.host,
          port: listen.port,
          /** Absolute path of the bearer token file, when set. */
          tokenFile: tokenFile?.file,
          /** The bearer token every POS route requires (read once, at load); undefined: no token (config check warns). */
          token: tokenFile?.token,
          /** Routes answered without the token (default /v1/health and /metrics); [] closes them too. */
          openRoutes,
        })),
    ),
    log: section(z.strictObject({ level: K.log.level.default(D.log.level) })),
  });
}
