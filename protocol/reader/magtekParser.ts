import { findTracks } from './track.js';

/** Longest line kept; a longer one is dropped up to its terminator. */
export const MAGTEK_MAX_LINE = 512;

const CR = 0x0d;
const LF = 0x0a;

/** What the MagTek line parser reports, in stream order. */
export type MagtekEvent =
  /** A line holding at least one complete track; `text` runs from the first sentinel to the last `?`. */
  | { kind: 'swipe'; text: string }
  /** The reader's own error output (`%E?` and/or `;E?`): a bad swipe. */
  | { kind: 'read-error' }
  /** Bytes that are not part of a track (line noise, or a line with no complete track). */
  | { kind: 'noise'; bytes: number }
  /** A line longer than {@link MAGTEK_MAX_LINE}: dropped whole. */
  | { kind: 'oversize'; bytes: number }
  /** {@link MagtekParser.flush} found a line with no terminator. */
  | { kind: 'truncated'; bytes: number };

/**
 * Streaming parser for MagTek ASCII output: one swipe per line,
 * `%B...^NAME^YYMM...?;PAN=YYMM...?` then `\r` (a `\n` also ends a line).
 * There is no LRC on the wire, so noise is only recognised as bytes outside
 * complete tracks; Luhn and the month check catch damaged digits.
 */
export class MagtekParser {
  private readonly line = new Uint8Array(MAGTEK_MAX_LINE);
  private len = 0;
  /** Bytes of an oversize line seen so far, or -1 when not dropping. */
  private dropping = -1;

  get pending(): boolean {
    return this.len > 0 || this.dropping >= 0;
  }

  push(chunk: Uint8Array): MagtekEvent[] {
    const out: MagtekEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b === CR || b === LF) {
        this.endLine(out);
      } else if (this.dropping >= 0) {
        this.dropping++;
      } else if (this.len === MAGTEK_MAX_LINE) {
        this.dropping = this.len + 1;
        this.len = 0;
      } else {
        this.line[this.len++] = b;
      }
    }
    return out;
  }

  /** Reports an unterminated line as truncated (called after an inter-byte gap). */
  flush(): MagtekEvent[] {
    const out: MagtekEvent[] = [];
    if (this.dropping >= 0) {
      out.push({ kind: 'oversize', bytes: this.dropping });
      this.dropping = -1;
    } else if (this.len > 0) {
      out.push({ kind: 'truncated', bytes: this.len });
      this.len = 0;
    }
    return out;
  }

  private endLine(out: MagtekEvent[]): void {
    if (this.dropping >= 0) {
      out.push({ kind: 'oversize', bytes: this.dropping });
      this.dropping = -1;
      return;
    }
    if (this.len === 0) return;
    const text = Buffer.from(this.line.subarray(0, this.len)).toString('latin1');
    this.len = 0;
    classifyLine(text, out);
  }
}

const TRACK_RE = /[%;][^%;?]*\?/g;

function classifyLine(text: string, out: MagtekEvent[]): void {
  const { track1, track2 } = findTracks(text);
  if (track1 === undefined && track2 === undefined) {
    out.push({ kind: 'noise', bytes: text.length });
    return;
  }
  let first = -1;
  let last = -1;
  for (const m of text.matchAll(TRACK_RE)) {
    if (first < 0) first = m.index;
    last = m.index + m[0].length;
  }
  const noise = first + (text.length - last);
  if (noise > 0) out.push({ kind: 'noise', bytes: noise });
  const isError = (track1 === undefined || track1 === 'E') && (track2 === undefined || track2 === 'E');
  out.push(isError ? { kind: 'read-error' } : { kind: 'swipe', text: text.slice(first, last) });
}
