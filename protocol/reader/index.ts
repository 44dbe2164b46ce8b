/** The reader wire protocol: framed profile codec and its ACK/NAK session, MagTek line parser, ISO 7813 tracks, Luhn. */
export * from './constants.js';
export { encodeFrame, lrc, FrameEncodeError, type FrameEncodeErrorCode } from './encodeFrame.js';
export { FrameDecoder, type DecoderEvent, type Frame } from './frameDecoder.js';
export { StopAndWait, type StopAndWaitOptions, type StopAndWaitEvent, type StopAndWaitAction, type SendEnd } from './stopAndWait.js';
export { StopAndWaitRunner, type StopAndWaitPorts } from './stopAndWaitRunner.js';
export { MagtekParser, MAGTEK_MAX_LINE, type MagtekEvent } from './magtekParser.js';
export { parseTrack1, parseTrack2, parseCardData, findTracks, type TrackData, type RawTracks } from './track.js';
export { TrackError, type TrackErrorCode } from './trackError.js';
export { buildTrack1, buildTrack2, type TrackFields } from './buildTracks.js';
export { luhnValid } from '../luhn.js';
export { READER_PROFILES, isReaderProfile, type ReaderProfile } from './readerProfile.js';
