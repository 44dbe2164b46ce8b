import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../agent/index.js';
import type { HostTransport } from '../host/index.js';
import { jsonLine, startChild, type Child } from './childProcess.js';

/** The compiled CLIs (`npm ci` / `npm test` build them). */
export const AGENT_CLI = join(packageRoot(), 'dist', 'agent', 'cli.js');
export const EMULATOR_CLI = join(packageRoot(), 'dist', 'emulator', 'cli.js');

export interface StackOptions {
  /** Working folder for the DBs, key, config and reader link. Must exist. */
  dir: string;
  /** Extra YAML appended to the agent config (e.g. an `offline:` block). */
  extraConfig?: string;
  /** host.timeoutMs for the agent. Default 3000. */
  hostTimeoutMs?: number;
  /** Extra arguments for `pos-emulator host`. */
  hostArgs?: string[];
  merchantId?: string;
  terminalId?: string;
  /** How the agent reaches the host. Default `rest`; `iso8583` starts the host with an ISO port too. */
  transport?: HostTransport;
  /**
   * Serve the host over HTTPS (`--tls`) and have the agent trust its certificate through
   * `host.caFile`. The certificate is made at host start-up, so don't restart a TLS host.
   */
  tls?: boolean;
  /**
   * Turn the POS API's bearer token on (`api.tokenFile`, written with `pos-agent keygen --api-token`), as the
   * config template does; every call to the agent then sends {@link CounterStack.agentHeaders}. Default true.
   */
  apiToken?: boolean;
}

/** An agent config file for the emulated counter, as a field technician would write it. */
export function agentConfigYaml(c: {
  hostUrl: string;
  readerPath: string;
  queuePath: string;
  keyFile: string;
  hostTimeoutMs: number;
  merchantId: string;
  terminalId: string;
  extra: string;
  /** `host:port` of the ISO 8583 link; when set, the agent uses it instead of REST. */
  isoAddress?: string;
  /** A PEM file the agent trusts for an HTTPS host. */
  caFile?: string;
  /** The POS API bearer token file (`api.tokenFile`); none: the API takes no token. */
  tokenFile?: string;
}): string {
  return [
    'terminal:',
    `  merchantId: ${c.merchantId}`,
    `  terminalId: "${c.terminalId}"`,
    'reader:',
    `  path: ${c.readerPath}`,
    '  profile: framed',
    'host:',
    ...(c.isoAddress === undefined
      ? ['  transport: rest', `  baseUrl: ${c.hostUrl}`, '  clientId: IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', '  clientSecret: secret']
      : ['  transport: iso8583', `  isoAddress: ${c.isoAddress}`]),
    ...(c.caFile === undefined ? [] : [`  caFile: ${c.caFile}`]),
    `  timeoutMs: ${c.hostTimeoutMs}`,
    'queue:',
    `  path: ${c.queuePath}`,
    `  keyFile: ${c.keyFile}`,
    'api:',
    '  listen: 127.0.0.1:0',
    ...(c.tokenFile === undefined ? [] : [`  tokenFile: ${c.tokenFile}`]),
    'log:',
    '  level: info',
    c.extra,
  ].join('\n');
}

/**
 * A whole emulated shop counter, as real processes: the loyalty host
 * emulator, a card reader emulator on a socat pseudo-terminal, and
 * `pos-agent run`. Used by the demo and the end-to-end tests.
 */
export class CounterStack {
  host!: Child;
  reader!: Child;
  agent!: Child;
  hostUrl = '';
  agentUrl = '';
  hostPort = 0;
  /** The host's ISO 8583 port (0 unless the transport is iso8583). */
  isoPort = 0;
  /** The agent's POS API bearer token ('' when {@link StackOptions.apiToken} is false). */
  apiToken = '';
  readonly configPath: string;
  readonly #opts: StackOptions;
  readonly #hostDb: string;
  readonly #link: string;
  readonly #caFile: string;

  constructor(opts: StackOptions) {
    this.#opts = opts;
    this.configPath = join(opts.dir, 'agent.yaml');
    this.#hostDb = join(opts.dir, 'host.db');
    this.#link = join(opts.dir, 'reader');
    this.#caFile = join(opts.dir, 'host-ca.pem');
  }

  async start(): Promise<this> {
    await this.startHost();
    this.reader = startChild(process.execPath, [EMULATOR_CLI, 'reader', '--link', this.#link]);
    await this.reader.waitForLine((l) => jsonLine(l)?.msg === 'ready');
    const keyFile = join(this.#opts.dir, 'queue.key');
    if (!existsSync(keyFile)) execFileSync(process.execPath, [AGENT_CLI, 'keygen', '--out', keyFile], { stdio: 'pipe' });
    const tokenFile = this.#opts.apiToken === false ? undefined : join(this.#opts.dir, 'api-token');
    if (tokenFile !== undefined) {
      if (!existsSync(tokenFile)) execFileSync(process.execPath, [AGENT_CLI, 'keygen', '--api-token', '--out', tokenFile], { stdio: 'pipe' });
      this.apiToken = readFileSync(tokenFile, 'utf8').trim();
    }
    writeFileSync(
      this.configPath,
      agentConfigYaml({
        hostUrl: this.hostUrl,
        readerPath: this.#link,
        queuePath: join(this.#opts.dir, 'queue.db'),
        keyFile,
        hostTimeoutMs: this.#opts.hostTimeoutMs ?? 3000,
        merchantId: this.#opts.merchantId ?? 'IBP000000000162',
        terminalId: this.#opts.terminalId ?? '20690111',
        extra: this.#opts.extraConfig ?? '',
        ...(this.isoPort === 0 ? {} : { isoAddress: `127.0.0.1:${this.isoPort}` }),
        ...(this.#opts.tls ? { caFile: this.#caFile } : {}),
        ...(tokenFile === undefined ? {} : { tokenFile }),
      }),
      { mode: 0o600 }, // it holds the client secret, as a technician's would
    );
    await this.startAgent();
    return this;
  }

  /** Starts `pos-agent run` on the stack's config; `env` adds variables (e.g. a test failpoint). */
  async startAgent(env: Record<string, string> = {}): Promise<void> {
    this.agent = startChild(process.execPath, [AGENT_CLI, 'run', '--config', this.configPath], { env });
    const line = await this.agent.waitForLine((l) => jsonLine(l)?.msg === 'api listening');
    this.agentUrl = String(jsonLine(line)?.url);
  }

  /** The headers a call to the agent's POS API carries: `Authorization: Bearer <token>` when the token is on. */
  get agentHeaders(): Record<string, string> {
    return this.apiToken === '' ? {} : { authorization: `Bearer ${this.apiToken}` };
  }

  /** Starts the host; after a stop it comes back on the same port with the same ledger. */
  async startHost(): Promise<void> {
    const port = String(this.hostPort);
    const iso = this.#opts.transport === 'iso8583' ? ['--iso-port', String(this.isoPort)] : [];
    const tls = this.#opts.tls ? ['--tls', '--tls-ca-out', this.#caFile] : [];
    this.host = startChild(process.execPath, [EMULATOR_CLI, 'host', '--port', port, ...iso, ...tls, '--db', this.#hostDb, ...(this.#opts.hostArgs ?? [])]);
    const line = jsonLine(await this.host.waitForLine((l) => jsonLine(l)?.msg === 'listening'));
    this.hostUrl = String(line?.url);
    this.hostPort = Number(new URL(this.hostUrl).port);
    if (typeof line?.isoPort === 'number') this.isoPort = line.isoPort;
  }

  async stopHost(): Promise<void> {
    await this.host.stop();
  }

  /** Sends one command line to the reader emulator's stdin (e.g. `swipe-card happy`). */
  readerCommand(cmd: string): void {
    this.reader.proc.stdin?.write(cmd + '\n');
  }

  /** Stops everything this stack started, by pid. */
  async stop(): Promise<void> {
    await Promise.allSettled([this.agent?.stop(), this.reader?.stop(), this.host?.stop()]);
  }
}
