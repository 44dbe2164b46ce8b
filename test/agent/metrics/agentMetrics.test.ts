import { describe, expect, it } from 'vitest';
import { HostError, type HostClient } from '../../../agent/host/index.js';
import { AgentMetrics, instrumentHost } from '../../../agent/metrics/index.js';
import type { QueueStats } from '../../../agent/queue/index.js';
import { zeroLineCounters } from '../../../agent/cardSources/serial/serialReaderCounters.js';

const stats: QueueStats = {
  pending: 3, sending: 1, done: 40, dead: 2, abandoned: 1,
  counters: { accepted: 53, sent: 40, retried: 5, dead: 2, expired: 1, abandoned: 1, pruned: 6 },
  oldestPendingAgeS: 12.5,
  offline: { count: 2, points: 300 },
  invariantHolds: true,
};

function metrics(reader: 'connected' | 'disconnected' | 'not-open' = 'connected') {
  const counters = { ...zeroLineCounters(), reconnects: 2, cardsRead: 7, invalidCards: 1, ignoredCards: 3, readErrors: 4, badLrc: 5, oversize: 6, truncated: 8, duplicates: 9 };
  return new AgentMetrics(
    {
      queue: { stats: () => stats, offlineExposure: () => ({ count: 2, points: 300, oldestCreatedAt: 1_000_000 - 90_000 }) },
      limits: { enabled: true, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 3600 },
      reader: () => (reader === 'not-open' ? undefined : { state: reader, counters: () => counters }),
      now: () => 1_000_000,
    },
    { version: '9.8.7', transport: 'rest' },
    { processMetrics: false },
  );
}

/** The sample lines of the exposition (no # HELP / # TYPE). */
async function samples(m: AgentMetrics): Promise<string[]> {
  return (await m.scrape()).body.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('AgentMetrics', () => {
  it('exposes the queue, forwarder, offline, reader and build series, with values written out by hand', async () => {
    const lines = await samples(metrics());
    for (const expected of [
      'pos_agent_queue_readable 1',
      'pos_agent_queue_items{state="pending"} 3',
      'pos_agent_queue_items{state="sending"} 1',
      'pos_agent_queue_items{state="done"} 40',
      'pos_agent_queue_items{state="dead"} 2',
      'pos_agent_queue_items{state="abandoned"} 1',
      'pos_agent_queue_oldest_pending_age_seconds 12.5',
      'pos_agent_forwarder_sent_total 40',
      'pos_agent_queue_pruned_total 6',
      'pos_agent_forwarder_retried_total 5',
      'pos_agent_forwarder_dead_total 2',
      'pos_agent_forwarder_expired_total 1',
      'pos_agent_offline_exposure{limit="count"} 2',
      'pos_agent_offline_exposure{limit="points"} 300',
      'pos_agent_offline_exposure{limit="age_seconds"} 90',
      'pos_agent_offline_limit{limit="count"} 10',
      'pos_agent_offline_limit{limit="points"} 2000',
      'pos_agent_offline_limit{limit="age_seconds"} 3600',
      'pos_agent_reader_connected 1',
      'pos_agent_reader_swipes_total{result="read"} 7',
      'pos_agent_reader_swipes_total{result="bad_swipe"} 4',
      'pos_agent_reader_frame_errors_total{kind="bad_lrc"} 5',
      'pos_agent_reader_frame_errors_total{kind="truncated"} 8',
      'pos_agent_reader_reconnects_total 2',
      `pos_agent_build_info{version="9.8.7",node="${process.version}",transport="rest"} 1`,
    ]) expect(lines).toContain(expected);
  });

  it('a second scrape reads the sources again (counters mirror the queue, they do not add up)', async () => {
    const m = metrics();
    await m.scrape();
    expect(await samples(m)).toContain('pos_agent_forwarder_sent_total 40');
  });

  it('a queue that cannot be read leaves its series out and says so; the rest of the scrape still answers', async () => {
    const m = new AgentMetrics(
      {
        queue: {
          stats: () => { throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }); },
          offlineExposure: () => { throw new Error('disk I/O error'); },
        },
        limits: { enabled: false, maxPointsPerTxn: 0, maxTotalPoints: 0, maxCount: 0, maxAgeS: 0 },
        reader: () => undefined,
        now: () => 0,
      },
      { version: '1', transport: 'iso8583' },
      { processMetrics: false },
    );
    const lines = await samples(m);
    expect(lines).toContain('pos_agent_queue_readable 0');
    expect(lines).toContain('pos_agent_reader_connected 0');
    expect(lines.some((l) => l.startsWith('pos_agent_queue_items{'))).toBe(false);
    expect(lines.some((l) => l.startsWith('pos_agent_offline_exposure{'))).toBe(false);
  });

  it('says the reader is not connected before it is open', async () => {
    const lines = await samples(metrics('not-open'));
    expect(lines).toContain('pos_agent_reader_connected 0');
    expect(lines.some((l) => l.startsWith('pos_agent_reader_swipes_total{'))).toBe(false);
  });

  it('times host requests by operation and outcome; a failure keeps its HostError outcome and still throws', async () => {
    const m = metrics();
    let t = 0;
    const fake = {
      balance: async () => { t += 250; return { rewardTrxId: 'r', accounts: [] }; },
      burn: async () => { t += 2000; throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' }); },
      ping: async () => { t += 5; },
    } as unknown as HostClient;
    const host = instrumentHost(fake, m, () => t);
    await host.balance({ card: { pan: '6280000000000016', expiry: '2912' } as never, transactionId: 'T-1' });
    await expect(host.burn({} as never)).rejects.toMatchObject({ code: 'HOST_ERR_TIMEOUT' });
    await host.ping();
    const lines = await samples(m);
    expect(lines).toContain('pos_agent_host_request_duration_seconds_bucket{le="0.25",operation="balance",outcome="ok"} 1');
    expect(lines).toContain('pos_agent_host_request_duration_seconds_bucket{le="0.1",operation="balance",outcome="ok"} 0');
    expect(lines).toContain('pos_agent_host_request_duration_seconds_sum{operation="burn",outcome="unknown"} 2');
    expect(lines).toContain('pos_agent_host_request_duration_seconds_count{operation="ping",outcome="ok"} 1');
    // No label holds a PAN or a transactionId.
    const text = (await m.scrape()).body;
    expect(text).not.toContain('6280000000000016');
    expect(text).not.toContain('T-1');
  });

  it('counts POS requests by route pattern and status', async () => {
    const m = metrics();
    m.posRequest('/v1/operations/:reference', 404);
    m.posRequest('/v1/operations/:reference', 404);
    m.posRequest('/v1/earnings', 200);
    const lines = await samples(m);
    expect(lines).toContain('pos_agent_pos_requests_total{route="/v1/operations/:reference",status="404"} 2');
    expect(lines).toContain('pos_agent_pos_requests_total{route="/v1/earnings",status="200"} 1');
  });
});
