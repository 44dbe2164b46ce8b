/** Start of a framed-profile frame. */
export const STX = 0x02;
/** End of a frame's payload; the LRC byte follows it. */
export const ETX = 0x03;
/** Positive acknowledgement, sent on its own for a good frame. */
export const ACK = 0x06;
/** Negative acknowledgement: the sender resends, at most {@link MAX_RESENDS} times. */
export const NAK = 0x15;
/** Largest payload a frame may carry; a bigger LEN is dropped as oversize. */
export const MAX_PAYLOAD = 256;
/** How many times a sender repeats a frame after a NAK or silence. */
export const MAX_RESENDS = 3;
/** STX, TYPE, LEN_HI, LEN_LO before the payload; ETX and LRC after it. */
export const FRAME_OVERHEAD = 6;

/**
 * Frame types (the TYPE byte, ASCII):
 * - `P` arm (`'0'`) / disarm (`'2'`), agent → reader
 * - `I` status / keep-alive; the reader answers `0` idle, `1` armed, `2` card, `E` fault
 * - `C` card data: ISO 7813 tracks with sentinels
 * - `E` read error
 */
export type FrameType = 'P' | 'I' | 'C' | 'E';

/** Every frame type of the framed profile. */
export const FRAME_TYPES: readonly FrameType[] = ['P', 'I', 'C', 'E'];

/** Payload of a `P` frame. */
export const ARM = '0';
/** Payload of a `P` frame that disarms the reader. */
export const DISARM = '2';

/** What the reader says about itself in an `I` answer. */
export type ReaderStatus = 'idle' | 'armed' | 'card' | 'fault';

const STATUS_CODES: Record<ReaderStatus, string> = { idle: '0', armed: '1', card: '2', fault: 'E' };

/** The one-character `I` payload for a status. */
export function statusCode(status: ReaderStatus): string {
  return STATUS_CODES[status];
}

/** Reads an `I` payload back into a status, or undefined if it is not one of `0 1 2 E`. */
export function parseStatusCode(payload: Uint8Array): ReaderStatus | undefined {
  if (payload.length !== 1) return undefined;
  switch (payload[0]) {
    case 0x30:
      return 'idle';
    case 0x31:
      return 'armed';
    case 0x32:
      return 'card';
    case 0x45:
      return 'fault';
    default:
      return undefined;
  }
}

/** True for the ASCII code of a known frame type. */
export function isFrameTypeByte(b: number): boolean {
  return b === 0x50 || b === 0x49 || b === 0x43 || b === 0x45;
}
