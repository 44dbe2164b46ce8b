import { stringify } from 'yaml';
import { DEFAULT_CLIENT } from '../host/index.js';
import type { CounterOfflineLimits } from './counterOptions.js';

/** What the counter's agent config is made of. */
export interface CounterConfigInput {
  merchantId: string;
  terminalId: string;
  readerPath: string;
  /** `http(s)://127.0.0.1:PORT` (REST) or undefined with `isoAddress`. */
  baseUrl?: string;
  isoAddress?: string;
  caFile?: string;
  hostTimeoutMs: number;
  queuePath: string;
  keyFile: string;
  offline?: CounterOfflineLimits;
  apiTokenFile?: string;
  logLevel: string;
}

/**
 * The counter's agent config as YAML, as a field technician would write it: it goes through the agent's own
 * config schema (`parseConfigText`), so the counter's agent is configured exactly as `pos-agent run` is.
 */
export function counterConfigYaml(c: CounterConfigInput): string {
  const host = c.isoAddress === undefined
    ? { transport: 'rest', baseUrl: c.baseUrl, clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret }
    : { transport: 'iso8583', isoAddress: c.isoAddress };
  return stringify({
    terminal: { merchantId: c.merchantId, terminalId: c.terminalId },
    reader: { path: c.readerPath, profile: 'framed' },
    host: { ...host, ...(c.caFile === undefined ? {} : { caFile: c.caFile }), timeoutMs: c.hostTimeoutMs },
    queue: { path: c.queuePath, keyFile: c.keyFile },
    ...(c.offline === undefined ? {} : { offline: { enabled: true, ...c.offline } }),
    api: { listen: '127.0.0.1:0', ...(c.apiTokenFile === undefined ? {} : { tokenFile: c.apiTokenFile }) },
    log: { level: c.logLevel },
  });
}
