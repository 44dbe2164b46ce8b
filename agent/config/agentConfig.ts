import type { z } from 'zod';
import type { configSchema } from './configSchema.js';

export type { ReaderProfile } from '../../protocol/reader/index.js';
export { CONFIG_DEFAULTS } from './configDefaults.js';

/** The agent's configuration, fully resolved: defaults applied, paths absolute, secrets read. The schema's output. */
export type AgentConfig = z.output<ReturnType<typeof configSchema>>;

export type TerminalConfig = AgentConfig['terminal'];
export type ReaderConfig = AgentConfig['reader'];
export type HostConfig = AgentConfig['host'];
export type RestHostConfig = Extract<HostConfig, { transport: 'rest' }>;
export type IsoHostConfig = Extract<HostConfig, { transport: 'iso8583' }>;
export type QueueConfig = AgentConfig['queue'];
export type OfflineConfig = AgentConfig['offline'];
export type ApiConfig = AgentConfig['api'];
export type LogConfig = AgentConfig['log'];
/** pino levels accepted by `log.level`. */
export type LogLevel = LogConfig['level'];
