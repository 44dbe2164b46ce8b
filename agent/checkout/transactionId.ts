import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A new transaction id: 12 upper-case alphanumerics (36^12 ≈ 4.7e18 values),
 * so the same id fits the REST `transactionId` and ISO 8583 DE37 (RRN, an 12).
 * Fixed before the first send and reused by every retry.
 */
export function newTransactionId(): string {
  const bytes = randomBytes(12);
  let id = '';
  // 252 = 7 * 36: reject bytes above it so every character is uniform.
  for (let i = 0; id.length < 12; i++) {
    const b = i < bytes.length ? (bytes[i] as number) : (randomBytes(1)[0] as number);
    if (b < 252) id += ALPHABET[b % 36];
  }
  return id;
}
