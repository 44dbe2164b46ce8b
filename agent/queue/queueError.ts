import { PosError } from '../../protocol/index.js';

export type QueueErrorCode =
  | 'QUEUE_ERR_KEY_MISSING'
  | 'QUEUE_ERR_KEY_LENGTH'
  | 'QUEUE_ERR_KEY_MODE'
  | 'QUEUE_ERR_KEY_EXISTS'
  | 'QUEUE_ERR_KEY_MISMATCH'
  | 'QUEUE_ERR_KEY_SAME'
  | 'QUEUE_ERR_LOCKED'
  | 'QUEUE_ERR_SCHEMA'
  | 'QUEUE_ERR_NOT_FOUND'
  | 'QUEUE_ERR_STATE'
  | 'QUEUE_ERR_INPUT'
  | 'QUEUE_ERR_DECRYPT'
  | 'QUEUE_ERR_CLOSED'
  | 'QUEUE_ERR_FULL'
  | 'QUEUE_ERR_CORRUPT'
  | 'QUEUE_ERR_IO'
  | 'QUEUE_ERR_ROLLED_BACK';

/**
 * Errors of the store-and-forward queue. Messages name files and ids, never
 * a PAN or expiry.
 */
export class QueueError extends PosError<QueueErrorCode> {}

/** The storage failures: the queue cannot be written (or read) as it is. The POS API answers them with 503. */
export const STORAGE_ERROR_CODES: ReadonlySet<QueueErrorCode> = new Set(['QUEUE_ERR_FULL', 'QUEUE_ERR_CORRUPT', 'QUEUE_ERR_IO', 'QUEUE_ERR_ROLLED_BACK']);

/**
 * A SQLite or file-system failure on queue `path` as a typed QueueError that
 * names the file and the fix; anything else is returned as is.
 */
export function storageError(err: unknown, path: string): unknown {
  if (err instanceof QueueError) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return new QueueError('QUEUE_ERR_FULL', `the disk holding queue ${path} is full; free space on it (nothing was accepted that was not written)`, { cause: err });
  }
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB') {
    return new QueueError(
      'QUEUE_ERR_CORRUPT',
      `queue ${path} is damaged (${code}); stop the agent, keep the file and its -wal for the vendor, restore the last backup or start a new queue file, then run "pos-agent queue accept-loss"`,
      { cause: err },
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EIO' || code === 'EISDIR' || code === 'EROFS') {
    return new QueueError('QUEUE_ERR_IO', `cannot read or write queue ${path} (${code}); check that it is a file the agent's user may write, on a healthy, writable disk`, { cause: err });
  }
  return err;
}
