import { PosError } from '../../protocol/index.js';

/**
 * - `EMU_READER_ERR_COMMAND`: a stdin command that is not understood
 * - `EMU_READER_ERR_UNKNOWN_CARD`: `swipe-card NAME` with no such fixture
 * - `EMU_READER_ERR_SOCAT`: socat could not be started or died
 * - `EMU_READER_ERR_PROFILE`: a fault the chosen profile cannot produce (bad-lrc on magtek)
 * - `EMU_READER_ERR_UNPLUGGED`: the device is unplugged
 */
export type ReaderEmulatorErrorCode =
  | 'EMU_READER_ERR_COMMAND'
  | 'EMU_READER_ERR_UNKNOWN_CARD'
  | 'EMU_READER_ERR_SOCAT'
  | 'EMU_READER_ERR_PROFILE'
  | 'EMU_READER_ERR_UNPLUGGED';

/** The reader emulator's own errors (kept apart from the agent's `ReaderError`). */
export class ReaderEmulatorError extends PosError<ReaderEmulatorErrorCode> {}
