import type { Pan, Yymm } from './pan.js';

/** A card as the reader gave it: its PAN and YYMM expiry. Never logged (see `maskPan`). */
export interface CardRef {
  pan: Pan;
  expiry: Yymm;
}
