/** Agent configuration: load the YAML config file and validate it against the one config schema. */
export { loadConfig } from './loadConfig.js';
export { parseConfigText, type ParseConfigOptions, type LoadedConfig } from './parseConfigText.js';
export { ConfigError, formatProblem, type ConfigProblem, type ConfigWarning, type ConfigErrorCode } from './configError.js';
export { configTemplate } from './configTemplate.js';
export { configSchema, type ConfigSchemaOptions } from './configSchema.js';
export { CONFIG_KEYS, RENAMED_KEYS, OPENABLE_ROUTES, type KeyInfo } from './configKeys.js';
export {
  readApiTokenFile,
  writeApiTokenFile,
  generateApiToken,
  ApiTokenError,
  API_TOKEN_BYTES,
  API_TOKEN_MIN_CHARS,
  type ApiTokenRead,
  type ApiTokenErrorCode,
} from './apiTokenFile.js';
export { CONFIG_DEFAULTS } from './configDefaults.js';
export { didYouMean, levenshtein } from './didYouMean.js';
export { parseHostPort, isLoopbackHost, formatHostPort, type HostPort } from './hostPort.js';
export type {
  AgentConfig,
  TerminalConfig,
  ReaderConfig,
  ReaderProfile,
  HostConfig,
  RestHostConfig,
  IsoHostConfig,
  QueueConfig,
  OfflineConfig,
  ApiConfig,
  LogConfig,
  LogLevel,
} from './agentConfig.js';
