import { createHash } from 'node:crypto';

const RRN_RE = /^[A-Za-z0-9]{1,12}$/;

/**
 * Maps a loyalty transactionId to DE37 (Retrieval Reference Number, an 12).
 * An id of 1–12 letters/digits is carried as is (space-padded on the wire,
 * trimmed by {@link fromRrn}). Any other id (e.g. a UUID) is carried as `H`
 * plus the first 11 base-36 digits of its SHA-256, which is deterministic,
 * so retries and reversals of the same id still match on the host.
 */
export function toRrn(transactionId: string): string {
  if (RRN_RE.test(transactionId)) return transactionId;
  const digest = createHash('sha256').update(transactionId, 'utf8').digest();
  const n = digest.readBigUInt64BE(0);
  return 'H' + n.toString(36).toUpperCase().padStart(13, '0').slice(-11);
}

/** DE37 back to the id the terminal sent (or its hashed form): trailing pad removed. */
export function fromRrn(de37: string): string {
  return de37.trimEnd();
}
