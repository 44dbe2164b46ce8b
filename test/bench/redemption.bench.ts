/**
 * Redemption overhead (issue: agent core). From the card frame's last byte
 * on the pseudo-terminal to the /v1/redemptions answer, with zero host
 * latency, against two bare signed undici requests (balance + redeem) to the
 * same host emulator, in the same run. Target: at most 1.3x.
 *
 * Host and agent run as real processes; the reader emulator runs here on a
 * socat pair, so the clock starts as its write of the card frame begins
 * (writing ~60 bytes to a PTY takes microseconds: this slightly overstates the agent).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, request } from 'undici';
import { jsonLine, startChild, type Child } from '../../emulator/stack/childProcess.js';
import { AGENT_CLI, EMULATOR_CLI, agentConfigYaml } from '../../emulator/stack/counterStack.js';
import { ReaderEmulator, SocatTransport } from '../../emulator/reader/index.js';
import { DEFAULT_FIXTURES, fixtureCard } from '../../emulator/host/fixtures.js';
import { signedClient } from '../support/signedFetch.js';
import { compared, percentile, type BenchOptions, type BenchResult } from './harness.js';

const happy = fixtureCard(DEFAULT_FIXTURES, 'happy')!;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = opts.short ? 60 : 200;
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-redeem-'));
  const children: Child[] = [];
  let emu: ReaderEmulator | undefined;
  try {
    const host = startChild(process.execPath, [EMULATOR_CLI, 'host', '--port', '0']);
    children.push(host);
    const hostUrl = String(jsonLine(await host.waitForLine((l) => jsonLine(l)?.msg === 'listening'))?.url);

    const link = join(dir, 'reader');
    emu = new ReaderEmulator({ transport: new SocatTransport({ link }), profile: 'framed' });
    await emu.start();
    const keyFile = join(dir, 'queue.key');
    execFileSync(process.execPath, [AGENT_CLI, 'keygen', '--out', keyFile], { stdio: 'pipe' });
    // The POS API token on, as in the field: the timed redemptions carry it.
    const tokenFile = join(dir, 'api-token');
    execFileSync(process.execPath, [AGENT_CLI, 'keygen', '--api-token', '--out', tokenFile], { stdio: 'pipe' });
    const authorization = `Bearer ${readFileSync(tokenFile, 'utf8').trim()}`;
    const config = join(dir, 'agent.yaml');
    writeFileSync(config, agentConfigYaml({ hostUrl, readerPath: link, queuePath: join(dir, 'queue.db'), keyFile, tokenFile, hostTimeoutMs: 5000, merchantId: 'IBP000000000162', terminalId: '20690111', extra: '' }));
    const agent = startChild(process.execPath, [AGENT_CLI, 'run', '--config', config]);
    children.push(agent);
    const agentUrl = String(jsonLine(await agent.waitForLine((l) => jsonLine(l)?.msg === 'api listening'))?.url);

    const pos = new Pool(agentUrl, { connections: 1 });
    const reader = emu;
    const redeemOnce = async (i: number): Promise<number> => {
      const armsBefore = reader.state.arms;
      const answer = request(`${agentUrl}/v1/redemptions`, {
        dispatcher: pos,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ reference: `bench-${i}`, points: 1 }),
      });
      for (let spins = 0; !(reader.state.armed && reader.state.arms > armsBefore); spins++) {
        if (spins > 5000) throw new Error('the agent never armed the reader');
        await new Promise((r) => setTimeout(r, 1));
      }
      const t0 = performance.now();
      void reader.swipeCard('happy');
      const res = await answer;
      const body = (await res.body.json()) as { status?: string };
      const t1 = performance.now();
      if (body.status !== 'approved') throw new Error(`redemption ${i} was not approved: ${JSON.stringify(body)}`);
      return t1 - t0;
    };

    const hostPool = new Pool(hostUrl, { connections: 1 });
    const signed = await signedClient(hostUrl, { dispatcher: hostPool });
    const cardHeaders = { merchantId: 'IBP000000000162', terminalId: '20690111', PAN: happy.pan, expiryDate: happy.expiry };
    const bareOnce = async (i: number): Promise<number> => {
      const t0 = performance.now();
      const bal = await signed({ path: `/api/v1/loyalty/rewards?timeStamp=20260101120000&transactionId=B${i}`, headers: cardHeaders });
      const rewardTrxId = (bal.body as { rewardTrxId: string }).rewardTrxId;
      const burn = await signed({
        method: 'POST',
        path: '/api/v1/loyalty/rewards/redeem',
        body: { rewardTrxId, transactionId: `BARE${i}`, merchantId: 'IBP000000000162', terminalId: '20690111', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '1' }] },
      });
      const t1 = performance.now();
      if (bal.status !== 200 || burn.status !== 200) throw new Error(`bare balance+redeem failed: ${bal.status} ${burn.status} ${burn.text}`);
      return t1 - t0;
    };

    // Check both paths once, then warm up, then measure them interleaved so both see the same machine load.
    await redeemOnce(-1);
    await bareOnce(-1);
    for (let i = 0; i < 10; i++) {
      await redeemOnce(-100 - i);
      await bareOnce(-100 - i);
    }
    const agentMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < n; i++) {
      agentMs.push(await redeemOnce(i));
      bareMs.push(await bareOnce(i));
    }
    await pos.close();
    await hostPool.close();
    const target = '<= 1.3x bare balance+redeem';
    return [
      compared('redemption: card frame → /v1/redemptions answer, p50', percentile(agentMs, 50), 'ms', 'bare undici balance+redeem p50', percentile(bareMs, 50), target, (_v, ratio) => ratio <= 1.3),
      compared('redemption: card frame → /v1/redemptions answer, p99', percentile(agentMs, 99), 'ms', 'bare undici balance+redeem p99', percentile(bareMs, 99), target, (_v, ratio) => ratio <= 1.3),
    ];
  } finally {
    await emu?.close();
    await Promise.allSettled(children.map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
