import { describe, expect, it } from 'vitest';
import { MagtekParser, MAGTEK_MAX_LINE, type MagtekEvent } from '../../../protocol/reader/magtekParser.js';

const T1 = '%B6280000000000016^HAPPY/HARRIET^3012101?';
const T2 = ';6280000000000016=3012101?';

function run(input: string, cuts: number[] = []): MagtekEvent[] {
  const p = new MagtekParser();
  const bytes = Buffer.from(input, 'latin1');
  const out: MagtekEvent[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(...p.push(bytes.subarray(prev, c)));
    prev = c;
  }
  out.push(...p.flush());
  return out;
}

const VECTORS: { name: string; input: string; events: MagtekEvent[] }[] = [
  { name: 'both tracks', input: `${T1}${T2}\r`, events: [{ kind: 'swipe', text: T1 + T2 }] },
  { name: 'track 2 only, CRLF', input: `${T2}\r\n`, events: [{ kind: 'swipe', text: T2 }] },
  { name: 'two swipes', input: `${T2}\r${T1}\r`, events: [{ kind: 'swipe', text: T2 }, { kind: 'swipe', text: T1 }] },
  {
    name: 'noise around the tracks',
    input: `\x00\xffab${T1}${T2}zz\r`,
    events: [{ kind: 'noise', bytes: 6 }, { kind: 'swipe', text: T1 + T2 }],
  },
  { name: 'a line without a complete track is noise', input: 'garbage;6280\r', events: [{ kind: 'noise', bytes: 12 }] },
  { name: 'reader error output', input: '%E?;E?\r', events: [{ kind: 'read-error' }] },
  { name: 'unterminated line', input: `${T2}\r;6280`, events: [{ kind: 'swipe', text: T2 }, { kind: 'truncated', bytes: 5 }] },
  {
    name: 'oversize line is dropped, the next is read',
    input: `${'x'.repeat(MAGTEK_MAX_LINE + 10)}\r${T2}\r`,
    events: [{ kind: 'oversize', bytes: MAGTEK_MAX_LINE + 10 }, { kind: 'swipe', text: T2 }],
  },
];

describe('MagtekParser', () => {
  it.each(VECTORS)('$name', ({ input, events }) => {
    expect(run(input)).toEqual(events);
  });
  it.each(VECTORS)('$name, split at every byte offset', ({ input, events }) => {
    for (let cut = 0; cut <= input.length; cut++) expect(run(input, [cut]), `cut ${cut}`).toEqual(events);
  });
  it('delivers a swipe on its CR, without a flush', () => {
    const p = new MagtekParser();
    expect(p.push(Buffer.from(T2))).toEqual([]);
    expect(p.pending).toBe(true);
    expect(p.push(Buffer.from('\r'))).toEqual([{ kind: 'swipe', text: T2 }]);
    expect(p.pending).toBe(false);
  });
});
