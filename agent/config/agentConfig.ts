import type { ReaderProfile } from '../../protocol/reader/readerProfile.js';

export type { ReaderProfile };
/** pino levels accepted by `log.level`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface TerminalConfig {
  merchantId: string;
  terminalId: string;
}

export interface ReaderConfig {
  /** Serial device path, e.g. /dev/ttyUSB0 or the emulator's /tmp/pos-reader. */
  path: string;
  /** Default `framed`. */
  profile: ReaderProfile;
  /** Default 9600. */
  baudRate: number;
  /** Reader keep-alive poll interval, ms. Default 1000. */
  keepAliveMs: number;
}

interface HostCommon {
  /** Response timeout, ms (time allowed for an answer once the request is sent). Default 10000. */
  timeoutMs: number;
  /** TCP (and TLS) connect timeout, ms. Default 3000. */
  connectTimeoutMs: number;
  /** Absolute path of a PEM file trusted in addition to the system CAs. */
  caFile: string | undefined;
}

export interface RestHostConfig extends HostCommon {
  transport: 'rest';
  /** http(s) URL without a trailing slash, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  clientId: string;
  /** The secret itself: `host.clientSecret`, or the trimmed contents of `host.clientSecretFile`. */
  clientSecret: string;
  /** Absolute path the secret was read from, when it came from a file. */
  clientSecretFile: string | undefined;
}

export interface IsoHostConfig extends HostCommon {
  transport: 'iso8583';
  /** `host:port` of the ISO 8583 link. */
  isoAddress: string;
  isoHost: string;
  isoPort: number;
  /** Optional for ISO (used only by REST features such as offers when set). */
  clientId: string | undefined;
  clientSecret: string | undefined;
  clientSecretFile: string | undefined;
}

export type HostConfig = RestHostConfig | IsoHostConfig;

export interface QueueConfig {
  /** Absolute path of the SQLite file. */
  path: string;
  /** Absolute path of the 32-byte key file (`pos-agent keygen`). */
  keyFile: string;
  /** Entries older than this expire to dead-letter, seconds. Default 604800 (7 days). */
  maxAgeS: number;
  /** Forwarder's concurrent sends (cards forwarded at once). Default 8. */
  concurrency: number;
}

export interface OfflineConfig {
  /** Burns while the host is unreachable. Default false. */
  enabled: boolean;
  /** Largest offline burn, points. Default 500. */
  maxPointsPerTxn: number;
  /** Sum of offline burns not yet confirmed, points. Default 2000. */
  maxTotalPoints: number;
  /** Number of offline burns not yet confirmed. Default 10. */
  maxCount: number;
  /** Oldest offline burn allowed before new ones are refused, seconds. Default 86400 (1 day). */
  maxAgeS: number;
}

export interface ApiConfig {
  /** As written, e.g. 127.0.0.1:7401 (default). Always a loopback address. */
  listen: string;
  host: string;
  port: number;
}

export interface LogConfig {
  /** Default `info`. */
  level: LogLevel;
}

/** The agent's configuration, fully resolved: defaults applied, paths absolute, secrets read. */
export interface AgentConfig {
  terminal: TerminalConfig;
  reader: ReaderConfig;
  host: HostConfig;
  queue: QueueConfig;
  offline: OfflineConfig;
  api: ApiConfig;
  log: LogConfig;
}

/** Defaults applied with `??` when a key is absent. */
export const CONFIG_DEFAULTS = {
  reader: { profile: 'framed' as ReaderProfile, baudRate: 9600, keepAliveMs: 1000 },
  host: { transport: 'rest' as const, timeoutMs: 10_000, connectTimeoutMs: 3_000 },
  queue: { maxAgeS: 7 * 24 * 3600, concurrency: 8 },
  offline: { enabled: false, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 24 * 3600 },
  api: { listen: '127.0.0.1:7401' },
  log: { level: 'info' as LogLevel },
} as const;
