import { createHmac } from 'node:crypto';
import { PosError } from './errors.js';
import { luhnValid } from './luhn.js';

/** A primary account number: 12 to 19 ASCII digits that pass Luhn. */
export type Pan = string & { readonly __brand: 'Pan' };
/** A card expiry as four digits, year then month (ISO 7813 order), month 01–12. */
export type Yymm = string & { readonly __brand: 'Yymm' };
/** A PAN masked to its first 6 and last 4 digits, e.g. `411111******1111`. */
export type MaskedPan = string & { readonly __brand: 'MaskedPan' };

/** Why a PAN or an expiry was refused. */
export type PanErrorCode = 'PAN_ERR_FORMAT' | 'PAN_ERR_LUHN' | 'EXPIRY_ERR_FORMAT' | 'EXPIRY_ERR_MONTH';

/** A PAN or YYMM expiry that is malformed; the message never holds the PAN. */
export class PanError extends PosError<PanErrorCode> {}

const PAN_RE = /^[0-9]{12,19}$/;
const YYMM_RE = /^[0-9]{4}$/;

/** Validates and brands a PAN. The error message never echoes the input. */
export function parsePan(input: string): Pan {
  if (!PAN_RE.test(input)) {
    throw new PanError('PAN_ERR_FORMAT', `PAN must be 12 to 19 digits (got ${input.length} characters)`);
  }
  if (!luhnValid(input)) throw new PanError('PAN_ERR_LUHN', 'PAN fails the Luhn check');
  return input as Pan;
}

/** Validates and brands a YYMM expiry (month 01–12). Whether it is in the past is a separate check. */
export function parseYymm(input: string): Yymm {
  if (!YYMM_RE.test(input)) throw new PanError('EXPIRY_ERR_FORMAT', 'expiry must be 4 digits, YYMM');
  const month = Number(input.slice(2));
  if (month < 1 || month > 12) throw new PanError('EXPIRY_ERR_MONTH', `expiry month must be 01-12 (got ${input.slice(2)})`);
  return input as Yymm;
}

/** True when YYMM is before the month that `now` falls in (a card is valid through its expiry month). */
export function isExpired(expiry: Yymm, now: Date): boolean {
  const year = 2000 + Number(expiry.slice(0, 2));
  const month = Number(expiry.slice(2));
  const nowYear = now.getUTCFullYear();
  const nowMonth = now.getUTCMonth() + 1;
  return year < nowYear || (year === nowYear && month < nowMonth);
}

/**
 * Masks a PAN to its first 6 and last 4 digits. Anything shorter than 11
 * characters is masked whole, so no short input leaks.
 */
export function maskPan(pan: string): MaskedPan {
  if (pan.length < 11) return '*'.repeat(pan.length) as MaskedPan;
  return (pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4)) as MaskedPan;
}

/** Keyed fingerprint of a PAN: hex HMAC-SHA256. Stable per key, useless without it. */
export function panFingerprint(key: Uint8Array, pan: string): string {
  return createHmac('sha256', key).update(pan, 'ascii').digest('hex');
}

/** A Luhn-valid run of 13–19 digits found in text. */
export interface PanLikeMatch {
  index: number;
  length: number;
}

/** Digits, with at most one common separator (space or dash) between two of them, as card numbers are written. */
const DIGIT_RUN_RE = /[0-9](?:[ -]?[0-9])*/g;

/**
 * The one card-number detector (request validation, log and error masking):
 * finds Luhn-valid windows of 13–19 digits in text, with common separators
 * ignored (`6280-0000-0000-0016`, `6280 0000 0000 0016`), and every window
 * inside a longer digit run considered, so a PAN glued to other digits is
 * still found. A match spans the text it was written with, separators
 * included.
 */
export function findPanLike(text: string): PanLikeMatch[] {
  const out: PanLikeMatch[] = [];
  for (const m of text.matchAll(DIGIT_RUN_RE)) {
    const written = m[0];
    if (written.length < 13) continue;
    const base = m.index ?? 0;
    // The digits alone, and where each one is in the text.
    let run = '';
    const at: number[] = [];
    for (let i = 0; i < written.length; i++) {
      const ch = written.charCodeAt(i);
      if (ch >= 48 && ch <= 57) {
        run += written[i];
        at.push(base + i);
      }
    }
    const hit = (start: number, length: number): PanLikeMatch => {
      const from = at[start] as number;
      return { index: from, length: (at[start + length - 1] as number) - from + 1 };
    };
    if (run.length < 13) continue;
    if (run.length <= 19 && luhnValid(run)) {
      out.push(hit(0, run.length));
      continue;
    }
    // Longer runs (or a failing whole run): slide over it, taking each hit once.
    let start = 0;
    while (start + 13 <= run.length) {
      let found = 0;
      for (let len = Math.min(19, run.length - start); len >= 13; len--) {
        if (luhnValid(run.slice(start, start + len))) {
          found = len;
          break;
        }
      }
      if (found > 0) {
        out.push(hit(start, found));
        start += found;
      } else {
        start++;
      }
    }
  }
  return out;
}

/** Replaces every PAN-like run in text with its masked form. */
export function maskPanLike(text: string): string {
  const hits = findPanLike(text);
  if (hits.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const h of hits) {
    out += text.slice(pos, h.index) + maskPan(text.slice(h.index, h.index + h.length).replace(/[^0-9]/g, ''));
    pos = h.index + h.length;
  }
  return out + text.slice(pos);
}
