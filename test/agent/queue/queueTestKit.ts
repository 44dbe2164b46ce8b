import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardRef } from '../../../protocol/cardRef.js';
import { generateQueueKey, OperationQueue, type OfflineLimits } from '../../../agent/queue/index.js';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';
import { parsePan, parseYymm } from '../../../protocol/pan.js';

/** A fixture card as a CardRef. */
export function card(name: string): CardRef {
  const c = DEFAULT_FIXTURES.cards.find((x) => x.name === name);
  if (!c) throw new Error(`no fixture card ${name}`);
  return { pan: parsePan(c.pan), expiry: parseYymm(c.expiry) };
}

export const HAPPY = card('happy');
export const EMPTY = card('empty');
export const OFFER = card('offer');

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pos-queue-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A manual clock, epoch ms. */
export function clock(start = Date.UTC(2030, 0, 1)): { now: () => number; advance(ms: number): void; t: number } {
  const c = {
    t: start,
    now: () => c.t,
    advance(ms: number) {
      c.t += ms;
    },
  };
  return c;
}

export function openQueue(path: string, o: { key?: Buffer; now?: () => number; limits?: OfflineLimits } = {}): OperationQueue {
  return OperationQueue.open({ path, key: o.key ?? generateQueueKey(), ...(o.now ? { now: o.now } : {}), ...(o.limits ? { limits: o.limits } : {}) });
}

export function earn(amount = 1000): { amount: number; timeStamp: string } {
  return { amount, timeStamp: '20300101120000' };
}
