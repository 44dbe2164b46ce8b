import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import { HostError } from '../../../agent/host/hostClient.js';
import { offlineRefusal, type OfflineExposure, type OfflineLimits, type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
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
  // The stand-in's balance rule has its own tests: cards here are never seen online.
  unknownCards: fc.constant('allow' as const),
});

/**
 * The offline burns still outstanding (queued, not yet sent or settled), as the
 * limits count them: `OfflineLimits` speaks of "offline burns not yet sent".
 */
function outstanding(queue: OperationQueue): OfflineExposure {
  const open = [...queue.list({ state: 'pending', limit: 1000 }), ...queue.list({ state: 'sending', limit: 1000 })].filter((o) => o.kind === 'burn' && o.offline);
  return {
    count: open.length,
    points: open.reduce((sum, o) => sum + (o.payload as { points: number }).points, 0),
    oldestCreatedAt: open.length === 0 ? null : Math.min(...open.map((o) => o.createdAt)),
  };
}

/** The limits' rule written out (offlineLimits.ts doc comments): does one more burn of `points` fit? */
function fits(limits: OfflineLimits, e: OfflineExposure, points: number, now: number): boolean {
  return (
    limits.enabled &&
    Number.isSafeInteger(points) && points > 0 &&
    points <= limits.maxPointsPerTxn &&
    e.count + 1 <= limits.maxCount &&
    e.points + points <= limits.maxTotalPoints &&
    (e.oldestCreatedAt === null || now - e.oldestCreatedAt <= limits.maxAgeS * 1000)
  );
}

it('no sequence of offline burns, approvals and forwards ever exceeds the configured limits, and no burn that fits is refused', async () => {
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
          const expected = fits(limits, outstanding(q), s.points, c.now());
          const r = q.tryEnqueueOfflineBurn({ card: CARDS[s.cardIdx]!, payload: { points: s.points } });
          expect(r.ok).toBe(expected);
          if (r.ok) {
            approved++;
            expect(s.points).toBeGreaterThan(0);
            expect(s.points).toBeLessThanOrEqual(limits.maxPointsPerTxn);
          } else {
            expect(r.reason.code).toMatch(/^offline-/);
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

it('refuses every offline burn while disabled (the default), even one that fits every limit', () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const refused = q.tryEnqueueOfflineBurn({ card: CARDS[0]!, payload: { points: 1 } });
  expect(refused).toMatchObject({ ok: false, reason: { code: 'offline-disabled' } });
  expect(q.stats().offline).toEqual({ count: 0, points: 0 });
  const roomy = { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 100, maxTotalPoints: 100, maxCount: 1, maxAgeS: 60 };
  const none = { count: 0, points: 0, oldestCreatedAt: null };
  expect(offlineRefusal(roomy, none, 1, 0)).toBeNull();
  expect(offlineRefusal({ ...roomy, enabled: false }, none, 1, 0)?.code).toBe('offline-disabled');
});

// Each case is one limit: the burn is refused, it fits once that one limit is raised (so that
// limit is what refused it), and it fits at exactly the limit. The four reasons all differ.
const LIMITS: OfflineLimits = { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 100, maxTotalPoints: 150, maxCount: 2, maxAgeS: 60 };
const LIMIT_CASES: { limit: keyof OfflineLimits; code: string; raised: Partial<OfflineLimits>; over: [OfflineExposure, number, number]; atLimit: [OfflineExposure, number, number] }[] = [
  { limit: 'maxPointsPerTxn', code: 'offline-over-per-txn', raised: { maxPointsPerTxn: 101 }, over: [{ count: 0, points: 0, oldestCreatedAt: null }, 101, 0], atLimit: [{ count: 0, points: 0, oldestCreatedAt: null }, 100, 0] },
  { limit: 'maxTotalPoints', code: 'offline-over-total', raised: { maxTotalPoints: 160 }, over: [{ count: 1, points: 100, oldestCreatedAt: 0 }, 60, 0], atLimit: [{ count: 1, points: 100, oldestCreatedAt: 0 }, 50, 0] },
  { limit: 'maxCount', code: 'offline-over-count', raised: { maxCount: 3 }, over: [{ count: 2, points: 20, oldestCreatedAt: 0 }, 1, 0], atLimit: [{ count: 1, points: 20, oldestCreatedAt: 0 }, 1, 0] },
  { limit: 'maxAgeS', code: 'offline-too-old', raised: { maxAgeS: 61 }, over: [{ count: 1, points: 20, oldestCreatedAt: 0 }, 1, 61_000], atLimit: [{ count: 1, points: 20, oldestCreatedAt: 0 }, 1, 60_000] },
];

it.each(LIMIT_CASES)('a burn over $limit is refused by that limit alone ($code), and one at the limit fits', ({ code, raised, over, atLimit }) => {
  expect(offlineRefusal(LIMITS, ...over)?.code).toBe(code);
  expect(offlineRefusal({ ...LIMITS, ...raised }, ...over)).toBeNull();
  expect(offlineRefusal(LIMITS, ...atLimit)).toBeNull();
});

it('refuses a burn of no points, or of a fraction of a point', () => {
  for (const points of [0, -1, 1.5, Number.NaN]) expect(offlineRefusal(LIMITS, { count: 0, points: 0, oldestCreatedAt: null }, points, 0)?.code).toBe('offline-bad-points');
});
