import type { Logger } from 'pino';
import { isStorageFailure } from '../queue/index.js';

/**
 * Writes what the host just said of a card to the card memory (the offline
 * stand-in). A store that refuses the write (a full disk) loses only that:
 * the stand-in is then more careful, and the POS still hears the host.
 */
export function rememberCard(log: Logger, write: () => void): void {
  try {
    write();
  } catch (err) {
    if (!isStorageFailure(err)) throw err;
    log.warn({ err }, 'could not remember what the host said of the card');
  }
}
