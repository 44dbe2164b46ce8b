/**
 * ISO 8583 pack+unpack of the golden 0200 (15 fields, secondary bitmap) with
 * our codec, against the `iso_8583` npm package on the same message in the
 * same run. Target: >= 100000 msgs/s and >= 6x iso_8583.
 */
import { createRequire } from 'node:module';
import { decode, encode, type Iso8583Message } from '../../protocol/iso8583/index.js';
import { compared, opsPerSecond, type BenchOptions, type BenchResult } from './harness.js';
import { GOLDEN_0200 } from '../fixtures/iso8583Golden0200.js';

interface IsoPackage {
  new (message?: Record<string, string>): {
    getRawMessage(): Buffer | { error: string };
    getIsoJSON(buffer: Buffer, config: { lenHeader: boolean }): Record<string, string> | { error: string };
  };
}

const require = createRequire(import.meta.url);
const Iso8583Package = require('iso_8583') as IsoPackage;

const FIELDS = GOLDEN_0200.fields as Record<number, string>;
const MESSAGE: Iso8583Message = { mti: '0200', fields: FIELDS };
const BASELINE_INPUT: Record<string, string> = { 0: '0200', ...FIELDS };

function ours(): void {
  const m = decode(encode(MESSAGE));
  if (m.mti !== '0200') throw new Error('unreachable');
}

function theirs(): void {
  const raw = new Iso8583Package(BASELINE_INPUT).getRawMessage();
  if (!Buffer.isBuffer(raw)) throw new Error('iso_8583 failed to pack');
  const back = new Iso8583Package().getIsoJSON(raw, { lenHeader: false });
  if ('error' in back) throw new Error('iso_8583 failed to unpack');
}

/** Both codecs must produce identical bytes and parse them back to the same fields before we time anything. */
function checkOnce(): void {
  const a = encode(MESSAGE);
  const b = new Iso8583Package(BASELINE_INPUT).getRawMessage();
  if (!Buffer.isBuffer(b) || !a.equals(b)) throw new Error('codecs disagree on the 0200 bytes');
  if (a.length !== 160) throw new Error(`0200 should be 160 bytes, got ${a.length}`);
  const mine = decode(a);
  const base = new Iso8583Package().getIsoJSON(b, { lenHeader: false });
  for (const [id, v] of Object.entries(FIELDS)) {
    if (mine.fields[Number(id)] !== v) throw new Error(`our decode differs on field ${id}`);
    if ((base as Record<string, string>)[id] !== v) throw new Error(`iso_8583 decode differs on field ${id}`);
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  checkOnce();
  const timing = opts.short ? { rounds: 5, minMs: 150 } : { rounds: 9, minMs: 300 };
  const mineRate = opsPerSecond(ours, { ...timing, opsPerCall: 1 });
  const baseRate = opsPerSecond(theirs, { ...timing, opsPerCall: 1 });
  return [compared('iso8583 pack+unpack 0200', mineRate, 'msgs/s', 'iso_8583', baseRate, '>= 100000 msgs/s and >= 6x iso_8583', (v, ratio) => v >= 100_000 && ratio >= 6)];
}
