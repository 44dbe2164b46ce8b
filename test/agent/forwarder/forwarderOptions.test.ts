/**
 * Forwarder options are checked once, when it is built: a value out of range
 * is a ForwarderOptionError (FORWARDER_ERR_OPTION) naming the option, the bad
 * value and the range, never clamped.
 */
import { afterEach, expect, it } from 'vitest';
import { type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder, ForwarderOptionError, type ForwarderOptions } from '../../../agent/forwarder/index.js';
import { FakeHost } from '../queue/fakeHost.js';
import { openQueue } from '../queue/queueTestKit.js';

let q: OperationQueue;
afterEach(() => q.close());

it.each<{ name: string; opts: Partial<ForwarderOptions>; option: string; message: string }>([
  { name: 'concurrency 0', opts: { concurrency: 0 }, option: 'concurrency', message: 'forwarder option "concurrency" must be an integer from 1 to 1024 (got 0)' },
  { name: 'concurrency 2.5', opts: { concurrency: 2.5 }, option: 'concurrency', message: 'forwarder option "concurrency" must be an integer from 1 to 1024 (got 2.5)' },
  { name: 'chainLength NaN', opts: { chainLength: Number.NaN }, option: 'chainLength', message: 'forwarder option "chainLength" must be an integer from 1 to 10000 (got NaN)' },
  { name: 'claimCards -1', opts: { claimCards: -1 }, option: 'claimCards', message: 'forwarder option "claimCards" must be an integer from 1 to 100000 (got -1)' },
  { name: 'maxAgeS 0', opts: { maxAgeS: 0 }, option: 'maxAgeS', message: 'forwarder option "maxAgeS" must be a number above 0 and at most 315360000 (got 0)' },
  { name: 'lateOriginalMs -5', opts: { lateOriginalMs: -5 }, option: 'lateOriginalMs', message: 'forwarder option "lateOriginalMs" must be a number from 0 to 86400000 (got -5)' },
  { name: 'probeIntervalMs Infinity', opts: { probeIntervalMs: Number.POSITIVE_INFINITY }, option: 'probeIntervalMs', message: 'forwarder option "probeIntervalMs" must be an integer from 1 to 3600000 (got Infinity)' },
  { name: 'backoff.jitter 2', opts: { backoff: { jitter: 2 } }, option: 'backoff.jitter', message: 'forwarder option "backoff.jitter" must be a number from 0 to 1 (got 2)' },
  { name: 'backoff.baseMs 0', opts: { backoff: { baseMs: 0 } }, option: 'backoff.baseMs', message: 'forwarder option "backoff.baseMs" must be an integer from 1 to 86400000 (got 0)' },
])('$name is refused with FORWARDER_ERR_OPTION', ({ opts, option, message }) => {
  q = openQueue(':memory:');
  let thrown: unknown;
  try {
    new Forwarder({ queue: q, host: new FakeHost(), ...opts });
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ForwarderOptionError);
  expect(thrown).toMatchObject({ code: 'FORWARDER_ERR_OPTION', option, message, name: 'ForwarderOptionError' });
});

it('takes the edges of each range and the defaults', () => {
  q = openQueue(':memory:');
  const host = new FakeHost();
  expect(() => new Forwarder({ queue: q, host })).not.toThrow();
  expect(() => new Forwarder({ queue: q, host, concurrency: 1, chainLength: 1, claimCards: 1, lateOriginalMs: 0, probeIntervalMs: 1, backoff: { baseMs: 1, maxMs: 1, jitter: 0 } })).not.toThrow();
  expect(() => new Forwarder({ queue: q, host, concurrency: 1024, maxAgeS: 0.5, backoff: { jitter: 1 } })).not.toThrow();
});
