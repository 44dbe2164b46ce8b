import { parseArgs } from 'node:util';
import { configTemplate } from '../config/index.js';
import { checkConfig, formatCheckLines } from './checkConfig.js';
import { usageError } from './usage.js';

const USAGE = `usage: pos-agent config init                  print a commented config template
       pos-agent config check --config FILE    validate the file, probe the reader and the host
`;

/**
 * `pos-agent config init` prints the template; `pos-agent config check`
 * prints one ✓/✗ line per check (every config problem with its line and the
 * fix) and exits 1 when any check failed.
 */
export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'init') {
    if (rest.length > 0) return usageError(`config init takes no arguments (got ${rest.join(' ')})`, USAGE);
    process.stdout.write(configTemplate());
    return 0;
  }
  if (sub !== 'check') return usageError(sub === undefined ? 'missing sub-command' : `unknown sub-command "config ${sub}"`, USAGE);
  let config: string | undefined;
  try {
    ({ values: { config } } = parseArgs({ args: rest, options: { config: { type: 'string' } } }));
  } catch (err) {
    return usageError((err as Error).message, USAGE);
  }
  if (config === undefined) return usageError('--config FILE is required', USAGE);
  const lines = await checkConfig(config);
  process.stdout.write(formatCheckLines(lines));
  const failed = lines.filter((l) => l.status === 'fail').length;
  if (failed > 0) {
    process.stdout.write(`${failed} check${failed === 1 ? '' : 's'} failed\n`);
    return 1;
  }
  process.stdout.write('all checks passed\n');
  return 0;
}
