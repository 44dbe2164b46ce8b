import type { ReaderProfile } from '../../../protocol/reader/index.js';
import type { InputDecoder } from './inputDecoder.js';
import type { ReaderLine } from './readerLine.js';

/** Frames the driver sends to a reader that takes commands, each stop-and-wait (ACK/NAK, resends). */
export interface ReaderCommands {
  /** Arms the reader before a read. */
  readonly arm: Uint8Array;
  /** Disarms it after the read. */
  readonly disarm: Uint8Array;
  /** Asks its status: sent on connect, as the keep-alive, and by the probe. */
  readonly status: Uint8Array;
}

/**
 * What the serial driver does differently per wire profile. The driver picks
 * one once, from `reader.profile`.
 */
export interface ProfileStrategy {
  readonly profile: ReaderProfile;
  /**
   * The reader's commands, with ACK/NAK. Undefined for a reader that takes no
   * input (MagTek): the driver never arms or disarms it, sends no keep-alive,
   * and the probe cannot ask its status.
   */
  readonly commands: ReaderCommands | undefined;
  /** A decoder for a new connection. */
  decoder(line: ReaderLine): InputDecoder;
}
