/**
 * The agent watched as a fleet is watched: Debian's `prometheus` server
 * (loopback only, a temporary data folder, a 1 s scrape interval) scrapes a
 * running agent's GET /metrics, and the queue-depth and host-latency series
 * are read back through Prometheus's own HTTP query API.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eStackForSuite, eventually, skipWithoutSocat } from '../support/e2eStack.js';

const PROMETHEUS = 'prometheus';
const havePrometheus = spawnSync(PROMETHEUS, ['--version']).status === 0;
if (!havePrometheus && process.env.CI === 'true') throw new Error('CI must have Debian\'s prometheus for the metrics test');

/** A free loopback port (closed again at once; prometheus binds it next). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

interface Sample { metric: Record<string, string>; value: [number, string] }

describe.skipIf(skipWithoutSocat || !havePrometheus)('Prometheus scrapes the agent', () => {
  const e = e2eStackForSuite({ hostTimeoutMs: 2000 });
  const dir = mkdtempSync(path.join(tmpdir(), 'pos-prom-'));
  let prom: ChildProcess | undefined;
  let promUrl = '';
  let promLog = '';

  beforeAll(async () => {
    const agent = new URL(e.stack.agentUrl);
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(path.join(dir, 'prometheus.yml'), [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: pos-agent',
      '    metrics_path: /metrics',
      '    static_configs:',
      `      - targets: ['${agent.host}']`,
      '',
    ].join('\n'));
    prom = spawn(PROMETHEUS, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout?.on('data', (b: Buffer) => (promLog += b.toString()));
    prom.stderr?.on('data', (b: Buffer) => (promLog += b.toString()));
  }, 30_000);

  afterAll(async () => {
    if (prom?.pid !== undefined && prom.exitCode === null) {
      const exited = new Promise((r) => prom?.once('exit', r));
      process.kill(prom.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (prom.exitCode === null) process.kill(prom.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function query(q: string): Promise<Sample[]> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { status: string; data: { result: Sample[] } };
    return body.status === 'success' ? body.data.result : [];
  }

  it('reads queue depth and host latency back from Prometheus', async () => {
    // Some host traffic for the latency histogram, and queued work for the depth.
    const r = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'prom-1', points: 50 });
    expect(r.body).toMatchObject({ status: 'approved', debited: 50 });
    await e.stack.stopHost();
    const earn = await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'prom-2', amount: 1000 });
    expect(earn.body).toMatchObject({ status: 'accepted', queued: true });

    await eventually("Prometheus to scrape the agent", async () => {
      const up = await query('up{job="pos-agent"}').catch(() => []);
      return up[0]?.value[1] === '1';
    }, 60, 500).catch((err: unknown) => {
      throw new Error(`${String(err)}; prometheus said: ${promLog.slice(-2000)}`);
    });

    let pending: Sample[] = [];
    await eventually('the queue depth series', async () => {
      pending = await query('pos_agent_queue_items{state="pending"}');
      return pending.length === 1 && Number(pending[0]?.value[1]) >= 1;
    }, 30, 500);
    expect(Number(pending[0]?.value[1])).toBe(1);

    let burns: Sample[] = [];
    await eventually('the host latency series', async () => {
      burns = await query('pos_agent_host_request_duration_seconds_count{operation="burn",outcome="ok"}');
      return burns.length === 1;
    }, 30, 500);
    expect(Number(burns[0]?.value[1])).toBe(1);
    const p = await query('histogram_quantile(0.5, sum by (le) (pos_agent_host_request_duration_seconds_bucket{operation="balance"}))');
    expect(Number(p[0]?.value[1])).toBeGreaterThan(0);

    // POS requests by route pattern and status.
    const posBurns = await query('pos_agent_pos_requests_total{route="/v1/redemptions",status="200"}');
    expect(Number(posBurns[0]?.value[1])).toBe(1);

    // Nothing Prometheus stored names a card, a reference or a transactionId.
    const labels = JSON.stringify(await (await fetch(`${promUrl}/api/v1/series?match[]=${encodeURIComponent('{job="pos-agent"}')}`)).json());
    expect(labels).not.toMatch(/62800000|prom-1|prom-2/);
    expect(labels).not.toContain(String(r.body.transactionId));
  }, 90_000);
});
