/** Agent configuration: load, validate and resolve the YAML config file. */
export { loadConfig } from './loadConfig.js';
export { parseConfigText, type ParseConfigOptions, type LoadedConfig } from './parseConfigText.js';
export { ConfigError, formatProblem, type ConfigProblem, type ConfigWarning, type ConfigErrorCode } from './configError.js';
export { configTemplate } from './configTemplate.js';
export { CONFIG_KEYS, RENAMED_KEYS, type KeySpec } from './configKeys.js';
export { didYouMean, levenshtein } from './didYouMean.js';
export { parseHostPort, isLoopbackHost, type HostPort } from './hostPort.js';
export {
  CONFIG_DEFAULTS,
  type AgentConfig,
  type TerminalConfig,
  type ReaderConfig,
  type ReaderProfile,
  type HostConfig,
  type RestHostConfig,
  type IsoHostConfig,
  type QueueConfig,
  type OfflineConfig,
  type ApiConfig,
  type LogConfig,
  type LogLevel,
} from './agentConfig.js';
export { checkConfig, formatCheckLines, type CheckLine, type CheckOptions, type ReaderProbe } from './checkConfig.js';
