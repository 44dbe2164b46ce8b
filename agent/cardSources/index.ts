/**
 * Card sources: where a card comes from. This folder holds the contract every source implements (`CardSource`, the
 * one the checkout depends on) and what sources share (their errors, track parsing); each source is a folder of its
 * own beside it (`serial/`: the serial reader driver), entered through its index.ts and wired in
 * agent/composeAgent.ts.
 */
export type { CardRead, CardSource, CardSourceState, ReadCardOptions } from './cardSource.js';
export { CARD_INVALID_WHY, ReaderError, type ReaderErrorCode, type CardInvalidReason } from './readerError.js';
export { cardFromTracks } from './cardFromTracks.js';
