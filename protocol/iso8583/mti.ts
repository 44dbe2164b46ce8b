import { Iso8583Error } from './iso8583Error.js';

/** True for exactly 4 ASCII digits. */
export function isMti(mti: unknown): mti is string {
  if (typeof mti !== 'string' || mti.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const c = mti.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Throws ISO_ERR_MTI unless `mti` is 4 ASCII digits (version, class, function, origin). */
export function assertMti(mti: unknown, op: 'pack' | 'unpack'): asserts mti is string {
  if (!isMti(mti)) throw new Iso8583Error('ISO_ERR_MTI', `${op} MTI: expected 4 ASCII digits`, { offset: 0 });
}
