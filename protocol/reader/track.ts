import { luhnValid } from '../luhn.js';
import type { Pan, Yymm } from '../pan.js';
import { TrackError } from './trackError.js';

/** The fields the agent needs from a magnetic stripe. Track data itself is not kept. */
export interface TrackData {
  pan: Pan;
  /** YYMM, month checked to be 01–12. Whether it is past is the host's decision. */
  expiry: Yymm;
  /** Three-digit service code. */
  serviceCode: string;
  /** Cardholder name (track 1 only), trailing spaces trimmed. */
  name?: string;
}

// Track 2 body (between ';' and '?'): PAN '=' YYMM SSS discretionary.
const TRACK2_RE = /^([0-9]{1,19})=([0-9]{4})([0-9]{3})([0-9]*)$/;
// Track 1 body (between '%' and '?'): 'B' PAN '^' NAME '^' YYMM SSS discretionary.
const TRACK1_RE = /^B([0-9]{1,19})\^([\x20-\x5d\x5f]{2,26})\^([0-9]{4})([0-9]{3})([\x20-\x5d\x5f]*)$/;

function checked(track: 1 | 2, pan: string, yymm: string, serviceCode: string): TrackData {
  if (pan.length < 12) throw new TrackError('TRACK_ERR_FORMAT', track, 'PAN must be 12 to 19 digits');
  if (!luhnValid(pan)) throw new TrackError('TRACK_ERR_LUHN', track, 'PAN fails the Luhn check');
  const month = Number(yymm.slice(2));
  if (month < 1 || month > 12) throw new TrackError('TRACK_ERR_MONTH', track, 'expiry month must be 01-12');
  return { pan: pan as Pan, expiry: yymm as Yymm, serviceCode };
}

/** Parses a track 2 body, without its `;` and `?` sentinels. */
export function parseTrack2(body: string): TrackData {
  const m = TRACK2_RE.exec(body);
  if (!m) throw new TrackError('TRACK_ERR_FORMAT', 2, 'expected PAN=YYMMSSS (digits only)');
  return checked(2, m[1] as string, m[2] as string, m[3] as string);
}

/** Parses a track 1 body, without its `%` and `?` sentinels. */
export function parseTrack1(body: string): TrackData {
  const m = TRACK1_RE.exec(body);
  if (!m) throw new TrackError('TRACK_ERR_FORMAT', 1, 'expected B PAN ^ NAME ^ YYMMSSS');
  const data = checked(1, m[1] as string, m[3] as string, m[4] as string);
  return { ...data, name: (m[2] as string).trimEnd() };
}

/** The sentinel-delimited tracks found in a swipe. */
export interface RawTracks {
  track1?: string;
  track2?: string;
}

/** Finds `%...?` (track 1) and `;...?` (track 2) in a swipe's text; bodies only. */
export function findTracks(text: string): RawTracks {
  const out: RawTracks = {};
  const t1 = /%([^%;?]*)\?/.exec(text);
  const t2 = /;([^%;?]*)\?/.exec(text);
  if (t1) out.track1 = t1[1] as string;
  if (t2) out.track2 = t2[1] as string;
  return out;
}

/**
 * Parses a card read: track 2 when present (it is authoritative), with the
 * name from track 1 when track 1 parses and agrees; otherwise track 1.
 * Tracks that parse but disagree on PAN or expiry are a format error.
 */
export function parseCardData(text: string): TrackData {
  const { track1, track2 } = findTracks(text);
  if (track2 === undefined && track1 === undefined) {
    throw new TrackError('TRACK_ERR_FORMAT', 0, 'no track 1 (%...?) or track 2 (;...?) found in the card data');
  }
  if (track2 === undefined) return parseTrack1(track1 as string);
  const t2 = parseTrack2(track2);
  if (track1 === undefined) return t2;
  let t1: TrackData;
  try {
    t1 = parseTrack1(track1);
  } catch {
    return t2; // a damaged track 1 does not spoil a good track 2
  }
  if (t1.pan !== t2.pan || t1.expiry !== t2.expiry) {
    throw new TrackError('TRACK_ERR_FORMAT', 0, 'track 1 and track 2 disagree on PAN or expiry');
  }
  return t1.name === undefined ? t2 : { ...t2, name: t1.name };
}
