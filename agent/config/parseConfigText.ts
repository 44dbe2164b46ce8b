import type { AgentConfig } from './agentConfig.js';
import { ConfigError, type ConfigProblem, type ConfigWarning } from './configError.js';
import { resolveConfig } from './resolveConfig.js';
import { validateKeys } from './validateKeys.js';
import { yamlTree } from './yamlTree.js';

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
 * Parses and validates config text. Throws {@link ConfigError}
 * (`CONFIG_ERR_INVALID`) listing every problem, sorted by line.
 */
export function parseConfigText(text: string, opts: ParseConfigOptions = {}): LoadedConfig {
  const tree = yamlTree(text, opts.env ?? process.env);
  const problems: ConfigProblem[] = [...tree.problems];
  const warnings: ConfigWarning[] = [];
  let config: AgentConfig | undefined;
  if (!tree.problems.some((p) => p.path === '')) {
    const values = validateKeys(tree, problems);
    if (values !== undefined) config = resolveConfig(tree, values, problems, warnings, opts.baseDir ?? process.cwd());
  }
  if (problems.length > 0 || config === undefined) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError('CONFIG_ERR_INVALID', problems, opts.file);
  }
  return { config, warnings };
}
