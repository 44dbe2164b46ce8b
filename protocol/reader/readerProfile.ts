/** The card reader's wire profiles (DESIGN.md, Card reader wire protocol). */
export const READER_PROFILES = ['framed', 'magtek'] as const;

/** `framed`: STX/ETX frames with LRC and ACK/NAK; `magtek`: MagTek-style ASCII lines. */
export type ReaderProfile = (typeof READER_PROFILES)[number];
