import { timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { failpoint } from '../failpoint.js';
import { CardCipher } from './cardCipher.js';
import { openQueueDatabase } from './queueDatabase.js';
import { QueueError, storageError } from './queueError.js';

/** Rows read per page while re-encrypting (all inside the one transaction). */
const PAGE_ROWS = 500;

/** What `rekeyQueue` did. */
export interface RekeyResult {
  /** Rows whose card data is now under the new key (0 when it already was). */
  rows: number;
  /** True when the queue was already under the new key (an earlier rekey committed). */
  already: boolean;
  /** The new key's check value, as `meta.key_check` now holds it. */
  keyCheck: string;
}

/**
 * Re-encrypts the card data of every row (`ops.card_blob`, AES-256-GCM
 * under the queue key) and recomputes its keyed PAN fingerprint
 * (`ops.card_fp`, which orders a card's items) under `newKey`, and records
 * the new key's check value in `meta.key_check`: all in one transaction. A
 * kill at any moment leaves the file wholly under the old key (the WAL's
 * uncommitted frames are ignored at the next open) or wholly under the new
 * one; `meta.key_check` always names the key the rows are under, so opening
 * with the other one is QUEUE_ERR_KEY_MISMATCH.
 *
 * Takes the writer lock (QUEUE_ERR_LOCKED while the agent runs) and the
 * checks of every open. A row whose card data does not open with the old key
 * stops the rekey (nothing changes) rather than leave it under no key.
 */
export function rekeyQueue(path: string, oldKey: Buffer, newKey: Buffer): RekeyResult {
  if (oldKey.length === newKey.length && timingSafeEqual(oldKey, newKey)) {
    throw new QueueError('QUEUE_ERR_KEY_SAME', 'the new key is the key the queue already uses; make a new one with: pos-agent keygen --out FILE');
  }
  const next = new CardCipher(newKey);
  let file;
  try {
    file = openQueueDatabase({ path, key: oldKey, busyTimeoutMs: 5000, acceptLoss: false });
  } catch (err) {
    if (err instanceof QueueError && err.code === 'QUEUE_ERR_KEY_MISMATCH' && alreadyUnder(path, newKey)) {
      return { rows: 0, already: true, keyCheck: next.keyCheck() };
    }
    throw err;
  }
  try {
    const rows = reencrypt(file.db, new CardCipher(oldKey), next);
    return { rows, already: false, keyCheck: next.keyCheck() };
  } catch (err) {
    throw storageError(err, path);
  } finally {
    file.discard();
  }
}

function reencrypt(db: Database.Database, old: CardCipher, next: CardCipher): number {
  const page = db.prepare<[number, number], { id: number; card_blob: Buffer }>(`SELECT id, card_blob FROM ops WHERE id > ? ORDER BY id LIMIT ?`);
  const update = db.prepare<[Buffer, string, number]>(`UPDATE ops SET card_blob = ?, card_fp = ? WHERE id = ?`);
  const check = db.prepare<[string]>(`UPDATE meta SET value = ? WHERE name = 'key_check'`);
  // The card memory is keyed by fingerprints of the old key: forgotten, as if the cards were new to this terminal
  // (the offline stand-in is only more careful until each card is seen online again).
  const forget = db.prepare(`DELETE FROM card_memory`);
  return db
    .transaction(() => {
      let n = 0;
      let last = 0;
      for (;;) {
        const rows = page.all(last, PAGE_ROWS);
        if (rows.length === 0) break;
        for (const r of rows) {
          let card;
          try {
            card = old.open(r.card_blob, r.id);
          } catch (err) {
            throw new QueueError(
              'QUEUE_ERR_DECRYPT',
              `card data of queue record ${r.id} does not open with the current key; nothing was re-encrypted (the queue is still under the current key). Settle or remove that record first`,
              { cause: err },
            );
          }
          update.run(next.seal(card, r.id), next.fingerprint(card.pan), r.id);
          n++;
          failpoint('rekey-row');
        }
        last = (rows[rows.length - 1] as { id: number }).id;
      }
      forget.run();
      check.run(next.keyCheck());
      return n;
    })
    .immediate();
}

/** True when the file's key check is the new key's: a rekey to it already committed. */
function alreadyUnder(path: string, newKey: Buffer): boolean {
  try {
    openQueueDatabase({ path, key: newKey, busyTimeoutMs: 5000, acceptLoss: false }).discard();
    return true;
  } catch {
    return false;
  }
}
