/**
 * The high-water mark's follow writes (issue 16): two fsyncs and a rename
 * once a second while the terminal takes sales. They run on the thread pool,
 * so a card read or a POS answer never waits behind them. A follow still
 * writing when `stop()` comes leaves `stop()`'s final count on disk (one whose
 * rename is already under way may put back its older count: the mark may lag,
 * which is allowed, and never leads, since every count it writes was
 * committed first).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HighWaterMark } from '../../../agent/queue/highWaterMark.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pos-hwm-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const markOn = (path: string): number | undefined =>
  existsSync(`${path}.accepted`) ? (JSON.parse(readFileSync(`${path}.accepted`, 'utf8')) as { accepted: number }).accepted : undefined;


describe('the high-water mark following the queue', () => {
  it('writes off the event loop: the tick returns before the mark is on disk, which follows a moment later', async () => {
    const db = join(dir, 'queue.db');
    const mark = new HighWaterMark(db);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    mark.start(() => 7);
    vi.advanceTimersByTime(1000); // the tick runs here, synchronously
    expect(markOn(db)).toBeUndefined(); // a synchronous write would already be there
    await mark.idle();
    expect(markOn(db)).toBe(7);
    mark.stop(() => 7);
  });

  it("leaves stop()'s final count when stop() comes while a follow is still writing", async () => {
    const db = join(dir, 'queue.db');
    const mark = new HighWaterMark(db);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    mark.start(() => 5);
    vi.advanceTimersByTime(1000); // a follow of 5 is in flight
    mark.stop(() => 9); // the queue closes with 9 accepted
    expect(markOn(db)).toBe(9);
    await mark.idle(); // the follow has finished: it did not put 5 back, nor leave its temporary file
    expect(markOn(db)).toBe(9);
    expect(existsSync(`${db}.accepted.follow.tmp`)).toBe(false);
  });

  it('tries again at the next tick after a follow failed (its folder was missing)', async () => {
    const folder = join(dir, 'later');
    const db = join(folder, 'queue.db');
    const mark = new HighWaterMark(db);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    mark.start(() => 3);
    vi.advanceTimersByTime(1000); // fails on the thread pool: no folder
    await mark.idle();
    expect(markOn(db)).toBeUndefined();
    mkdirSync(folder);
    vi.advanceTimersByTime(1000); // the failure left no follow in flight: this tick writes
    await mark.idle();
    expect(markOn(db)).toBe(3);
    mark.stop(() => 3);
  });
});
