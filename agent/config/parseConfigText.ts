import type { AgentConfig } from './agentConfig.js';
import { configDocument } from './configDocument.js';
import { ConfigError, type ConfigProblem, type ConfigWarning } from './configError.js';
import { configProblems } from './configProblems.js';
import { configSchema } from './configSchema.js';
import { configWarnings } from './configWarnings.js';

export interface ParseConfigOptions {
  /** Variables for `${NAME}` substitution. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths (queue.path, keyFile, caFile, clientSecretFile) are resolved against. Default: the current directory. */
  baseDir?: string;
  /** File name used in the error message. Default: none ("config"). */
  file?: string;
}

export interface LoadedConfig {
  config: AgentConfig;
  warnings: ConfigWarning[];
}

/**
 * Parses and validates config text against the config schema. Throws
 * {@link ConfigError} (`CONFIG_ERR_INVALID`) listing every problem, sorted by line.
 */
export function parseConfigText(text: string, opts: ParseConfigOptions = {}): LoadedConfig {
  const doc = configDocument(text, opts.env ?? process.env);
  const problems: ConfigProblem[] = [...doc.problems];
  let config: AgentConfig | undefined;
  if (!doc.syntaxError) {
    const parsed = configSchema({ baseDir: opts.baseDir ?? process.cwd() }).safeParse(doc.data, { reportInput: true });
    if (parsed.success) config = parsed.data;
    else problems.push(...configProblems(parsed.error.issues, doc));
  }
  if (problems.length > 0 || config === undefined) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError('CONFIG_ERR_INVALID', problems, opts.file);
  }
  return { config, warnings: configWarnings(config, doc, opts.file) };
}
