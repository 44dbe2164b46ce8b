/** Agent logging: pino with card-data redaction and a PAN-masking safety net. */
export { createLogger, type LoggerOptions } from './createLogger.js';
export { REDACT_PATHS, REDACT_CENSOR } from './redactPaths.js';
export { scrubLine } from './scrubLine.js';
export type { Logger } from 'pino';
