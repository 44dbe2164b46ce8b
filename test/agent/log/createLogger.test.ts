import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../agent/log/index.js';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';
import { findPanLike } from '../../../protocol/pan.js';

const happy = DEFAULT_FIXTURES.cards.find((c) => c.name === 'happy');
if (!happy) throw new Error('fixture card "happy" missing');
const PAN = happy.pan;
const TRACK2 = `;${PAN}=${happy.expiry}1010000000000000?`;

function capture(): { dest: { write(s: string): void }; text: () => string } {
  const chunks: string[] = [];
  return { dest: { write: (s: string) => void chunks.push(s) }, text: () => chunks.join('') };
}

function assertNoCardData(out: string): void {
  expect(out).not.toContain(PAN);
  expect(out).not.toContain(happy?.expiry + '1010');
  expect(findPanLike(out)).toEqual([]);
}

describe('createLogger', () => {
  it('masks a PAN in the message, redacts card fields, and carries merchant and terminal on every line', () => {
    const c = capture();
    const log = createLogger({ level: 'info', merchantId: 'IBP000000000162', terminalId: '20690111', destination: c.dest });
    log.info({ pan: PAN, card: { pan: PAN, expiry: happy.expiry }, req: { body: { card: { PAN } } } }, `card ${PAN} swiped`);
    log.child({ component: 'reader' }).warn({ raw: `noise${PAN}noise`, frame: TRACK2 }, 'frame');
    const out = c.text();
    assertNoCardData(out);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.merchantId).toBe('IBP000000000162');
      expect(line.terminalId).toBe('20690111');
      expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(lines[0]?.pan).toBe('[redacted]');
    expect(lines[0]?.card).toEqual({ pan: '[redacted]', expiry: '[redacted]' });
    expect(lines[0]?.msg).toBe('card 628000******0016 swiped');
    expect(lines[1]?.frame).toBe('[track redacted]');
    expect(out).not.toMatch(/\d{13}/);
  });

  it('masks a PAN inside an error message and stack', () => {
    const c = capture();
    const log = createLogger({ level: 'info', merchantId: 'm', terminalId: 't', destination: c.dest });
    const err = new Error(`host refused card ${PAN}`, { cause: new Error(`inner ${PAN}`) });
    log.error({ err }, 'burn failed');
    log.error(err);
    const out = c.text();
    assertNoCardData(out);
    expect(out).toContain('host refused card 628000******0016');
    expect(out).toContain('"stack":');
  });

  it('pretty output is scrubbed too', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString());
        cb();
      },
    });
    const log = createLogger({ level: 'debug', pretty: true, merchantId: 'IBP000000000162', terminalId: '20690111', destination: sink });
    log.debug({ card: { pan: PAN } }, `pretty ${PAN}`);
    log.flush();
    const out = chunks.join('');
    expect(out).toContain('pretty 628000******0016');
    expect(out).toContain('IBP000000000162');
    assertNoCardData(out);
  });

  it('respects the level', () => {
    const c = capture();
    const log = createLogger({ level: 'warn', merchantId: 'm', terminalId: 't', destination: c.dest });
    log.info('hidden');
    log.warn('shown');
    expect(c.text()).not.toContain('hidden');
    expect(c.text()).toContain('shown');
  });
});
