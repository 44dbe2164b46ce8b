import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import { HostError } from '../../../agent/host/hostClient.js';
import { Forwarder, offlineRefusal, type OfflineLimits, type OperationQueue } from '../../../agent/queue/index.js';
import { FakeHost } from './fakeHost.js';
import { card, clock, openQueue } from './queueTestKit.js';

let q: OperationQueue | undefined;
afterEach(() => q?.close());

const CARDS = [card('happy'), card('empty'), card('offer')];

type Step =
  | { t: 'burn'; cardIdx: number; points: number }
  | { t: 'forward'; hostUp: boolean; reject: boolean }
  | { t: 'wait'; s: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('burn' as const), cardIdx: fc.nat(2), points: fc.integer({ min: -5, max: 700 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('forward' as const), hostUp: fc.boolean(), reject: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('wait' as const), s: fc.integer({ min: 1, max: 400 }) }) },
);

const limitsArb: fc.Arbitrary<OfflineLimits> = fc.record({
  enabled: fc.constant(true),
  maxPointsPerTxn: fc.integer({ min: 1, max: 600 }),
  maxTotalPoints: fc.integer({ min: 0, max: 1500 }),
  maxCount: fc.integer({ min: 0, max: 6 }),
  maxAgeS: fc.integer({ min: 0, max: 900 }),
});

it('no sequence of offline burns, approvals and forwards ever exceeds the configured limits', async () => {
  await fc.assert(
    fc.asyncProperty(limitsArb, fc.array(step, { maxLength: 40 }), async (limits, steps) => {
      const c = clock();
      q?.close();
      q = openQueue(':memory:', { now: c.now, limits });
      const host = new FakeHost();
      const fwd = new Forwarder({ queue: q, host, now: c.now, backoff: { baseMs: 10, jitter: 0 } });
      let approved = 0;
      for (const s of steps) {
        if (s.t === 'burn') {
          const r = q.tryEnqueueOfflineBurn({ card: CARDS[s.cardIdx]!, payload: { points: s.points } });
          if (r.ok) {
            approved++;
            expect(s.points).toBeGreaterThan(0);
            expect(s.points).toBeLessThanOrEqual(limits.maxPointsPerTxn);
          } else {
            expect(r.reason.length).toBeGreaterThan(0);
          }
        } else if (s.t === 'forward') {
          host.up = s.hostUp;
          host.fail = () => (s.reject ? new HostError('HOST_ERR_REJECTED', 'no', { outcome: 'rejected', status: 400 }) : undefined);
          await fwd.flush();
        } else {
          c.advance(s.s * 1000);
        }
        const st = q.stats();
        expect(st.offline.count).toBeLessThanOrEqual(limits.maxCount);
        expect(st.offline.points).toBeLessThanOrEqual(limits.maxTotalPoints);
        expect(st.invariantHolds).toBe(true);
        expect(st.counters.accepted).toBe(approved);
      }
    }),
    { numRuns: 60, seed: 20240601 },
  );
});

it('refuses every offline burn while disabled (the default), and names the limit it hit', () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  expect(q.tryEnqueueOfflineBurn({ card: CARDS[0]!, payload: { points: 1 } })).toEqual({ ok: false, reason: 'offline burns are disabled' });
  const limits = { enabled: true, maxPointsPerTxn: 100, maxTotalPoints: 150, maxCount: 2, maxAgeS: 60 };
  const none = { count: 0, points: 0, oldestCreatedAt: null };
  expect(offlineRefusal(limits, none, 101, 0)).toBe('over the per-transaction offline limit of 100 points');
  expect(offlineRefusal(limits, { count: 1, points: 100, oldestCreatedAt: 0 }, 60, 0)).toBe('over the offline total limit of 150 points');
  expect(offlineRefusal(limits, { count: 2, points: 20, oldestCreatedAt: 0 }, 1, 0)).toBe('over the offline count limit of 2 burns');
  expect(offlineRefusal(limits, { count: 1, points: 20, oldestCreatedAt: 0 }, 1, 61_000)).toBe('offline for longer than 60 s');
  expect(offlineRefusal(limits, { count: 1, points: 20, oldestCreatedAt: 0 }, 1, 60_000)).toBeNull();
});
