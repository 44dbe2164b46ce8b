import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { QueueError, writeQueueKeyFile } from '../queue/index.js';
import { usageError } from './usage.js';

const USAGE = 'usage: pos-agent keygen --out FILE\n';

/**
 * `pos-agent keygen --out FILE`: writes 32 random bytes with mode 0600 and
 * refuses to overwrite an existing file (queued card data would become unreadable).
 */
export async function main(argv: string[]): Promise<number> {
  let out: string | undefined;
  try {
    ({ values: { out } } = parseArgs({ args: argv, options: { out: { type: 'string' } } }));
  } catch (err) {
    return usageError((err as Error).message, USAGE);
  }
  if (out === undefined || out === '') return usageError('--out FILE is required', USAGE);
  const file = resolve(out);
  try {
    writeQueueKeyFile(file);
  } catch (err) {
    if (err instanceof QueueError) {
      process.stderr.write(`pos-agent keygen: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  process.stdout.write(`wrote a 32-byte queue key to ${file} (mode 0600)\nset it in the config file:\n  queue:\n    keyFile: ${file}\nback it up securely: without it, queued card data cannot be read\n`);
  return 0;
}
