import { describe, expect, it } from 'vitest';
import { framedProfile } from '../../../../agent/cardSources/serial/framedProfile.js';
import { magtekProfile } from '../../../../agent/cardSources/serial/magtekProfile.js';
import { profileStrategy } from '../../../../agent/cardSources/serial/profileStrategies.js';
import type { ReaderLine } from '../../../../agent/cardSources/serial/readerLine.js';
import { zeroLineCounters } from '../../../../agent/cardSources/serial/serialReaderCounters.js';

const h = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');
const TRACK2 = ';6280000000000016=3012101?';

/** A line that records every call, in order. */
function recorder() {
  const calls: string[] = [];
  const line: ReaderLine = {
    counters: zeroLineCounters(),
    log: undefined,
    write: (b) => calls.push(`write ${Buffer.from(b).toString('hex')}`),
    heard: () => calls.push('heard'),
    ack: () => calls.push('ack'),
    nak: () => calls.push('nak'),
    card: (text, key) => calls.push(`card ${text} ${key === undefined ? 'nokey' : 'key'}`),
    status: (s) => calls.push(`status ${s}`),
    readError: () => calls.push('readError'),
  };
  return { line, calls };
}

describe('profileStrategy', () => {
  it('picks one strategy per profile', () => {
    expect(profileStrategy('framed')).toBe(framedProfile);
    expect(profileStrategy('magtek')).toBe(magtekProfile);
  });

  it('framed: commands are the P arm/disarm and I frames (STX TYPE LEN LEN PAYLOAD ETX LRC)', () => {
    expect(framedProfile.commands).toEqual({ arm: h('02 50 0001 30 03 60'), disarm: h('02 50 0001 32 03 62'), status: h('02 49 0000 03 48') });
  });

  it('magtek: takes no commands', () => {
    expect(magtekProfile.commands).toBeUndefined();
  });
});

describe('framed decoder', () => {
  it('ACKs a status frame, then reports it; an ACK and a NAK from the reader go to the sender', () => {
    const { line, calls } = recorder();
    framedProfile.decoder(line).push(Buffer.concat([h('02 49 0001 31 03 78'), h('06 15')]));
    expect(calls).toEqual(['heard', 'write 06', 'status armed', 'heard', 'ack', 'heard', 'nak']);
    expect(line.counters.frames).toBe(1);
  });

  it('a card is reported at once with its resend key; its ACK follows after the caller has it', async () => {
    const { line, calls } = recorder();
    const d = framedProfile.decoder(line);
    const card = Buffer.concat([h('02 43'), Buffer.of(0, TRACK2.length), Buffer.from(TRACK2, 'latin1'), h('03')]);
    d.push(Buffer.concat([card, Buffer.of(card.reduce((x, b) => x ^ b, 0))]));
    expect(calls).toEqual(['heard', `card ${TRACK2} key`]);
    await new Promise((r) => setImmediate(r));
    expect(calls.at(-1)).toBe('write 06');
  });

  it('an E frame is a read error', () => {
    const { line, calls } = recorder();
    framedProfile.decoder(line).push(h('02 45 0001 31 03 74'));
    expect(calls).toEqual(['heard', 'write 06', 'readError']);
  });

  it('NAKs a bad LRC and a frame cut short (at flush), and counts them', () => {
    const { line, calls } = recorder();
    const d = framedProfile.decoder(line);
    d.push(h('02 49 0001 31 03 00'));
    d.push(h('02 49 00'));
    expect(d.pending).toBe(true);
    d.flush();
    expect(d.pending).toBe(false);
    expect(calls).toEqual(['write 15', 'write 15']);
    expect(line.counters).toMatchObject({ badLrc: 1, truncated: 1, naksSent: 2, frames: 0 });
  });
});

describe('magtek decoder', () => {
  it('reports a swipe line without a key and writes nothing', () => {
    const { line, calls } = recorder();
    magtekProfile.decoder(line).push(Buffer.from(`xx\r${TRACK2}\r%E?;E?\r`, 'latin1'));
    expect(calls).toEqual([`card ${TRACK2} nokey`, 'readError']);
    expect(line.counters).toMatchObject({ frames: 1, noiseBytes: 2, naksSent: 0 });
  });

  it('an unterminated line is counted as truncated at flush', () => {
    const { line, calls } = recorder();
    const d = magtekProfile.decoder(line);
    d.push(Buffer.from(TRACK2, 'latin1'));
    expect(d.pending).toBe(true);
    d.flush();
    expect(calls).toEqual([]);
    expect(line.counters.truncated).toBe(1);
  });
});
