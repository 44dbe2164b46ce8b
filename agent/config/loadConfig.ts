import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './configError.js';
import { parseConfigText, type LoadedConfig } from './parseConfigText.js';

/**
 * Reads, validates and resolves a config file. Relative paths inside it are
 * resolved against the file's own directory. Throws {@link ConfigError}:
 * `CONFIG_ERR_READ` when the file cannot be read, `CONFIG_ERR_INVALID` with
 * every problem otherwise.
 */
export function loadConfig(path: string, env: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ConfigError('CONFIG_ERR_READ', [{ path: '', line: 1, column: 1, message: `the config file ${file} ${reason}`, expected: 'a readable YAML file (print a template with `pos-agent config init`)' }], file, { cause: err });
  }
  return parseConfigText(text, { env, baseDir: dirname(file), file });
}
