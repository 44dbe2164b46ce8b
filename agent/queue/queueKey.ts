import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createSecretFile } from '../secretFile.js';
import { QueueError } from './queueError.js';

/** Length of the queue key: AES-256. */
export const QUEUE_KEY_BYTES = 32;

/** 32 fresh random bytes. */
export function generateQueueKey(): Buffer {
  return randomBytes(QUEUE_KEY_BYTES);
}

/**
 * Reads the queue key (32 raw bytes). Refuses a missing file, a wrong length
 * and a file that group or others may read; each error names the file and the fix.
 */
export function loadQueueKey(path: string): Buffer {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    throw new QueueError('QUEUE_ERR_KEY_MISSING', `queue key file ${path} cannot be read; create one with: pos-agent keygen --out ${path}`, { cause: err });
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new QueueError(
      'QUEUE_ERR_KEY_MODE',
      `queue key file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}); restrict it with: chmod 600 ${path}`,
    );
  }
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (err) {
    throw new QueueError('QUEUE_ERR_KEY_MISSING', `queue key file ${path} cannot be read; create one with: pos-agent keygen --out ${path}`, { cause: err });
  }
  if (key.length !== QUEUE_KEY_BYTES) {
    throw new QueueError(
      'QUEUE_ERR_KEY_LENGTH',
      `queue key file ${path} holds ${key.length} bytes, expected ${QUEUE_KEY_BYTES} raw bytes; make a new one with: pos-agent keygen --out FILE`,
    );
  }
  return key;
}

/**
 * Writes a fresh 32-byte key to `path` with mode 0600. Refuses to overwrite
 * an existing file (losing the key makes queued card data unreadable).
 */
export function writeQueueKeyFile(path: string): void {
  let made: 'created' | 'exists';
  try {
    made = createSecretFile(path, generateQueueKey());
  } catch (err) {
    throw new QueueError('QUEUE_ERR_KEY_MISSING', `cannot create queue key file ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (made === 'exists') {
    throw new QueueError('QUEUE_ERR_KEY_EXISTS', `${path} already exists; refusing to overwrite a queue key (queued card data would become unreadable)`);
  }
}
