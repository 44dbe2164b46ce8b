import { maskPan } from '../pan.js';
import type { Iso8583Fields, Iso8583Message } from './message.js';

/** Sensitive fields dropped by {@link redact}: expiry, track 2, track 1, PIN data, ICC data. */
export const REDACTED_FIELDS: readonly number[] = [14, 35, 45, 52, 55];

/**
 * Returns a new message safe to show or log: DE2 masked to its first 6 and
 * last 4 digits; DE14, DE35, DE45, DE52 and DE55 removed. Buffers are
 * copied; the input message is not modified.
 */
export function redact(message: Iso8583Message): Iso8583Message {
  const fields: Iso8583Fields = {};
  for (const key of Object.keys(message.fields)) {
    const id = Number(key);
    if (REDACTED_FIELDS.includes(id)) continue;
    const v = message.fields[id];
    if (v === undefined) continue;
    if (id === 2) fields[id] = typeof v === 'string' ? maskPan(v) : '*'.repeat(v.length);
    else fields[id] = typeof v === 'string' ? v : Buffer.from(v);
  }
  return { mti: message.mti, fields };
}
