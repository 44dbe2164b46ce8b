/** What a swipe carries; no validation here, so emulators can build bad cards on purpose. */
export interface TrackFields {
  pan: string;
  /** YYMM. */
  expiry: string;
  /** Three digits; default `101`. */
  serviceCode?: string;
  /** Cardholder name for track 1, e.g. `HAPPY/HARRIET`. */
  name?: string;
  /** Discretionary data after the service code; default `0000000`. */
  discretionary?: string;
}

/** `;PAN=YYMMSSSDDD?` */
export function buildTrack2(f: TrackFields): string {
  return `;${f.pan}=${f.expiry}${f.serviceCode ?? '101'}${f.discretionary ?? '0000000'}?`;
}

/** `%BPAN^NAME^YYMMSSSDDD?` (name defaults to `CARDHOLDER/TEST`). */
export function buildTrack1(f: TrackFields): string {
  return `%B${f.pan}^${f.name ?? 'CARDHOLDER/TEST'}^${f.expiry}${f.serviceCode ?? '101'}${f.discretionary ?? '0000000'}?`;
}
