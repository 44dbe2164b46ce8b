import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiTokenError, writeApiTokenFile } from '../config/index.js';
import { QueueError, writeQueueKeyFile } from '../queue/index.js';
import { usageError } from './usage.js';

const USAGE = `usage: pos-agent keygen --out FILE               write a 32-byte queue key (mode 0600)
       pos-agent keygen --api-token --out FILE   write a POS API bearer token (mode 0600)
`;

/**
 * `pos-agent keygen --out FILE`: writes 32 random bytes with mode 0600 and
 * refuses to overwrite an existing file (queued card data would become unreadable).
 * With `--api-token`: writes a POS API bearer token (32 random bytes, base64url,
 * one line) with mode 0600, for `api.tokenFile`; it too refuses to overwrite.
 * Neither prints the key or the token.
 */
export async function main(argv: string[]): Promise<number> {
  let out: string | undefined;
  let apiToken: boolean | undefined;
  try {
    ({ values: { out, 'api-token': apiToken } } = parseArgs({ args: argv, options: { out: { type: 'string' }, 'api-token': { type: 'boolean' } } }));
  } catch (err) {
    return usageError((err as Error).message, USAGE);
  }
  if (out === undefined || out === '') return usageError('--out FILE is required', USAGE);
  const file = resolve(out);
  try {
    if (apiToken === true) writeApiTokenFile(file);
    else writeQueueKeyFile(file);
  } catch (err) {
    if (err instanceof QueueError || err instanceof ApiTokenError) {
      process.stderr.write(`pos-agent keygen: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (apiToken === true) {
    process.stdout.write(
      `wrote a POS API token to ${file} (mode 0600)\nset it in the config file:\n  api:\n    tokenFile: ${file}\n` +
        `give the cashier's app the same token (it sends Authorization: Bearer <token>), then restart the agent\n`,
    );
  } else {
    process.stdout.write(`wrote a 32-byte queue key to ${file} (mode 0600)\nset it in the config file:\n  queue:\n    keyFile: ${file}\nback it up securely: without it, queued card data cannot be read\n`);
  }
  return 0;
}
