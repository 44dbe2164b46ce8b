/**
 * `pos-agent/protocol`: the pure codecs, for projects that need one of them alone. No I/O, no timers.
 *
 * - ISO 8583:1987: a spec-driven codec ({@link SPEC_1987}, {@link compileSpec}, {@link encode}, {@link decode}),
 *   the 2-byte length framing ({@link frame}, {@link LengthPrefixedFramer}), redaction, response codes and the
 *   loyalty profile's message builders and readers;
 * - the card reader's serial frames: `STX TYPE LEN PAYLOAD ETX LRC` ({@link encodeFrame}, {@link FrameDecoder}),
 *   the ACK/NAK session, the MagTek line parser, ISO 7813 tracks and Luhn;
 * - PAN masking (first 6 / last 4) and keyed fingerprints;
 * - {@link PosError}, the base of every error thrown on purpose (branch on its `code`).
 *
 * The package's internal barrel is `protocol/index.ts`; this file is the public entry point.
 * @packageDocumentation
 */
export * from './iso8583/index.js';
export * from './reader/index.js';
export { PosError } from './errors.js';
export { maskPan, maskPanLike, findPanLike, panFingerprint, parsePan, parseYymm, isExpired, PanError, type Pan, type Yymm, type MaskedPan, type PanErrorCode, type PanLikeMatch } from './pan.js';
