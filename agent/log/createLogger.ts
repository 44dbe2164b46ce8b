import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { REDACT_CENSOR, REDACT_PATHS } from './redactPaths.js';
import { scrubLine } from './scrubLine.js';

/** Log bytes held while stdout is stalled (journald or a reader that stopped reading); beyond, lines are dropped, not memory grown. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface LoggerOptions {
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  level: string;
  /** Human-readable lines through pino-pretty (in-process, after scrubbing). Default false: JSON lines. */
  pretty?: boolean;
  /** Carried on every line. */
  merchantId: string;
  /** Carried on every line. */
  terminalId: string;
  /** Where lines go. Default: stdout, written asynchronously (what is left is flushed when the process exits). */
  destination?: DestinationStream | NodeJS.WritableStream;
}

/**
 * The agent's logger. Every line carries merchantId and terminalId, an ISO
 * timestamp (no epoch milliseconds that could look like a card number), card
 * fields redacted by path, and — as a final safety net — every PAN-like digit
 * run and track string in the serialized line masked, so a PAN that slips into
 * a message or an error stack is still never written.
 */
export function createLogger(opts: LoggerOptions): Logger {
  // JSON lines go to stdout off the card path: sonic-boom writes them asynchronously, in order, and flushes
  // what is left when the process exits. A synchronous write to journald's socket or a pipe costs a
  // redemption its reader's wake-up, twice (the card read, the burn).
  const stream: DestinationStream | NodeJS.WritableStream = opts.pretty === true
    ? pretty({ destination: opts.destination ?? process.stdout, colorize: false, translateTime: 'SYS:standard', ignore: 'pid,hostname', sync: true })
    : (opts.destination ?? pino.destination({ dest: 1, sync: false, maxLength: MAX_BUFFERED_BYTES }));
  return pino(
    {
      level: opts.level,
      base: { pid: process.pid, merchantId: opts.merchantId, terminalId: opts.terminalId },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
      hooks: { streamWrite: scrubLine },
    },
    stream as DestinationStream,
  );
}
