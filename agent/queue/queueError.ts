import { PosError } from '../../protocol/errors.js';

export type QueueErrorCode =
  | 'QUEUE_ERR_KEY_MISSING'
  | 'QUEUE_ERR_KEY_LENGTH'
  | 'QUEUE_ERR_KEY_MODE'
  | 'QUEUE_ERR_KEY_EXISTS'
  | 'QUEUE_ERR_KEY_MISMATCH'
  | 'QUEUE_ERR_LOCKED'
  | 'QUEUE_ERR_SCHEMA'
  | 'QUEUE_ERR_NOT_FOUND'
  | 'QUEUE_ERR_STATE'
  | 'QUEUE_ERR_INPUT'
  | 'QUEUE_ERR_DECRYPT'
  | 'QUEUE_ERR_CLOSED';

/**
 * Errors of the store-and-forward queue. Messages name files and ids, never
 * a PAN or expiry.
 */
export class QueueError extends PosError<QueueErrorCode> {}
