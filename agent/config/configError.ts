import { PosError } from '../../protocol/index.js';

/** One thing wrong with a config file. Never carries a secret's value. */
export interface ConfigProblem {
  /** Dotted key path, e.g. `host.timeoutMs` (empty for the whole file). */
  path: string;
  /** 1-based line in the file. */
  line: number;
  /** 1-based column in the file. */
  column: number;
  /** The offending value as written (after `${ENV}` substitution); absent for secrets and missing keys. */
  value?: unknown;
  /** What is wrong, naming the key. */
  message: string;
  /** What would be accepted instead. */
  expected: string;
}

/** Something that works but should be fixed (e.g. a secret file readable by others). */
export interface ConfigWarning {
  path: string;
  line: number;
  column: number;
  message: string;
}

export type ConfigErrorCode = 'CONFIG_ERR_INVALID' | 'CONFIG_ERR_READ';

/** Formats a problem as one line: `line 3, column 5: host.timeoutMs: ... (expected ...)`. */
export function formatProblem(p: ConfigProblem): string {
  const shown = p.value === undefined ? '' : ` (got ${JSON.stringify(p.value)})`;
  return `line ${p.line}, column ${p.column}: ${p.message}${shown}; expected ${p.expected}`;
}

/**
 * The config file is unusable. `problems` lists everything found in one pass,
 * so a technician fixes the file once, not once per run.
 */
export class ConfigError extends PosError<ConfigErrorCode> {
  readonly problems: ConfigProblem[];
  /** The file, when the config came from one. */
  readonly file: string | undefined;

  constructor(code: ConfigErrorCode, problems: ConfigProblem[], file?: string, options?: { cause?: unknown }) {
    const where = file === undefined ? 'config' : `config file ${file}`;
    const head = `${where} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(code, [head, ...problems.map((p) => '  ' + formatProblem(p))].join('\n'), options);
    this.problems = problems;
    this.file = file;
  }
}
