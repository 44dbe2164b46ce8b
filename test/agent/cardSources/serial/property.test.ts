import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES } from '../../../../emulator/host/fixtures.js';
import { mockRig, type MockRig } from './mockRig.js';

// Garbage never holds STX, ACK or NAK (framed) nor CR, LF, '%' or ';' (MagTek),
// so it cannot fake a frame, an acknowledgement or a track.
const FORBIDDEN = new Set([0x02, 0x06, 0x15, 0x0d, 0x0a, 0x25, 0x3b]);
const garbage = fc.uint8Array({ minLength: 0, maxLength: 60 }).map((a) => Uint8Array.from(a, (b) => (FORBIDDEN.has(b) ? 0x20 : b)));
const cards = DEFAULT_FIXTURES.cards;
const step = fc.record({ card: fc.integer({ min: 0, max: cards.length - 1 }), before: garbage, after: garbage });


describe.each(['framed', 'magtek'] as const)('valid swipes among random garbage (%s)', (profile) => {
  let rig: MockRig;
  beforeAll(async () => {
    rig = await mockRig({ profile });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('every swipe is read, in order, and nothing crashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 4 }), async (steps) => {
        const noiseBefore = rig.reader.counters().noiseBytes;
        let garbageBytes = 0;
        const got: string[] = [];
        const swipe = async (name: string, before: Uint8Array) => {
          const read = rig.reader.readCard({ timeoutMs: 10_000 });
          if (profile === 'framed') await rig.emu.whenArmed();
          await rig.emu.raw(before);
          await rig.emu.swipeCard(name);
          const c = await read;
          if (profile === 'framed') await rig.emu.whenDisarmed();
          return `${c.pan}/${c.expiry}`;
        };
        for (const s of steps) {
          got.push(await swipe(cards[s.card]?.name ?? 'happy', s.before));
          await rig.emu.raw(s.after);
          garbageBytes += s.before.length + s.after.length;
        }
        expect(got).toEqual(steps.map((s) => `${cards[s.card]?.pan}/${cards[s.card]?.expiry}`));
        // one more clean swipe: once it is read, every garbage byte before it has been seen and counted
        await swipe('happy', new Uint8Array(0));
        expect(rig.reader.counters().noiseBytes - noiseBefore).toBe(garbageBytes);
      }),
      { numRuns: 25 },
    );
    expect(rig.reader.counters()).toMatchObject({ badLrc: 0, invalidCards: 0 });
  });
});
