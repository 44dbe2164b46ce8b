/** The card reader's wire profiles (DESIGN.md, Card reader wire protocol). */
export const READER_PROFILES = ['framed', 'magtek'] as const;

/** `framed`: STX/ETX frames with LRC and ACK/NAK; `magtek`: MagTek-style ASCII lines. */
export type ReaderProfile = (typeof READER_PROFILES)[number];

/** True when `value` names one of {@link READER_PROFILES}: the check for a profile read from outside (CLI, config). */
export function isReaderProfile(value: unknown): value is ReaderProfile {
  return (READER_PROFILES as readonly unknown[]).includes(value);
}
