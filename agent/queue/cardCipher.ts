import { createCipheriv, createDecipheriv, hkdfSync, randomFillSync } from 'node:crypto';
import type { CardRef } from '../../protocol/index.js';
import { panFingerprint, type Pan, type Yymm } from '../../protocol/index.js';
import { QUEUE_KEY_BYTES } from './queueKey.js';
import { QueueError } from './queueError.js';

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** version, nonce, tag: what comes before the ciphertext. */
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;
/** Nonces are cut from one CSPRNG fill of this many bytes (one RNG call per 341 records, not one per record). */
const NONCE_POOL_BYTES = NONCE_BYTES * 341;

/**
 * Seals card data for the queue: AES-256-GCM with the queue key, a fresh
 * 12-byte nonce per record and the record id as additional data, so a blob
 * moved to another row fails to open. Also gives the keyed PAN fingerprint
 * (HMAC-SHA256 with a key derived from the queue key by HKDF).
 *
 * Blob layout: version(1) | nonce(12) | tag(16) | ciphertext.
 */
export class CardCipher {
  readonly #key: Buffer;
  readonly #fpKey: Buffer;
  readonly #noncePool = Buffer.alloc(NONCE_POOL_BYTES);
  #noncePos = NONCE_POOL_BYTES;

  constructor(key: Buffer) {
    if (key.length !== QUEUE_KEY_BYTES) {
      throw new QueueError('QUEUE_ERR_KEY_LENGTH', `queue key must be ${QUEUE_KEY_BYTES} bytes (got ${key.length})`);
    }
    this.#key = Buffer.from(key);
    this.#fpKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'pos-agent queue pan fingerprint v1', 32));
  }

  /** Keyed fingerprint of the PAN: same card, same value; useless without the key. */
  fingerprint(pan: Pan): string {
    return panFingerprint(this.#fpKey, pan);
  }

  /** A value that identifies the key without revealing it (stored to catch a wrong key file at open). */
  keyCheck(): string {
    return panFingerprint(this.#fpKey, 'pos-agent queue key check');
  }

  seal(card: CardRef, recordId: number): Buffer {
    return this.#seal(`${card.pan}|${card.expiry}`, aad(recordId));
  }

  /** Seals other card-linked data (the card memory) under `label`, its additional data: opened only under the same label. */
  sealData(text: string, label: string): Buffer {
    return this.#seal(text, Buffer.from(label, 'latin1'));
  }

  /** Opens what sealData sealed under `label`; throws QUEUE_ERR_DECRYPT, naming `what`, when it does not open. */
  openData(blob: Buffer, label: string, what: string): string {
    return this.#open(blob, Buffer.from(label, 'latin1'), what);
  }

  #seal(plain: string, additional: Buffer): Buffer {
    if (this.#noncePos === NONCE_POOL_BYTES) {
      randomFillSync(this.#noncePool);
      this.#noncePos = 0;
    }
    const nonce = this.#noncePool.subarray(this.#noncePos, (this.#noncePos += NONCE_BYTES));
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(additional);
    // GCM is a stream mode: update() gives the whole ciphertext and final() nothing. One buffer, no concat.
    const body = cipher.update(plain, 'latin1');
    cipher.final();
    const blob = Buffer.allocUnsafe(HEADER_BYTES + body.length);
    blob[0] = VERSION;
    nonce.copy(blob, 1);
    cipher.getAuthTag().copy(blob, 1 + NONCE_BYTES);
    body.copy(blob, HEADER_BYTES);
    return blob;
  }

  open(blob: Buffer, recordId: number): CardRef {
    const [pan, expiry] = this.#open(blob, aad(recordId), `card data of queue record ${recordId}`).split('|');
    return { pan: pan as Pan, expiry: expiry as Yymm };
  }

  #open(blob: Buffer, additional: Buffer, what: string): string {
    if (blob.length < HEADER_BYTES || blob[0] !== VERSION) {
      throw new QueueError('QUEUE_ERR_DECRYPT', `${what} has an unknown format`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, blob.subarray(1, 1 + NONCE_BYTES));
      decipher.setAAD(additional);
      decipher.setAuthTag(blob.subarray(1 + NONCE_BYTES, HEADER_BYTES));
      return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]).toString('latin1');
    } catch (err) {
      throw new QueueError('QUEUE_ERR_DECRYPT', `${what} does not open with this key (wrong queue.keyFile?)`, { cause: err });
    }
  }
}

function aad(recordId: number): Buffer {
  return Buffer.from(`pos-agent-queue-record:${recordId}`, 'latin1');
}
