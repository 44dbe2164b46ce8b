import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentRuntime, type AgentRuntime } from '../../agent/index.js';
import { queueItemView } from '../../agent/api/index.js';
import { generateApiToken, parseConfigText } from '../../agent/config/index.js';
import { createLogger } from '../../agent/log/index.js';
import { writeQueueKeyFile } from '../../agent/queue/index.js';
import { applyFaultRequest, FaultRequestSchema, ledgerView, startHost, type RunningHost } from '../host/index.js';
import { MockTransport, ReaderEmulator, SocatTransport, type SwipeResult } from '../reader/index.js';
import type { Counter, CounterFault, CounterHost, CounterReader, CounterSwipeOptions, SwipeCard } from './counter.js';
import { counterConfigYaml } from './counterConfig.js';
import { CounterError } from './counterError.js';
import { counterFixtures } from './counterFixtures.js';
import type { CounterOptions } from './counterOptions.js';
import { HostLink } from './hostLink.js';
import { LogLines } from './logLines.js';

/** Poll step while waiting for the agent (an arm, a connected reader, a drained queue), ms. */
const POLL_MS = 5;
/** Mock device paths are process-wide (`MockBinding` is a singleton): each counter gets its own. */
let mockPorts = 0;

/**
 * Starts a whole emulated shop counter in this process: the loyalty host emulator on 127.0.0.1, a card
 * reader emulator (on `@serialport/binding-mock`, or on a socat pseudo-terminal with `reader: 'pty'`) and the
 * agent, composed and configured exactly as `pos-agent run` is, with its POS API on a free loopback port.
 * Resolves once the agent sees the reader. Call {@link Counter.stop} when done (in `afterAll` or `finally`):
 * it stops everything and removes the temporary folder. A start that fails halfway closes what it had
 * started, removes the folder, and rethrows. As a last resort, a counter still running when the process exits
 * normally (its `exit` event) has its socat killed and its folder removed; a process killed by a signal skips that.
 *
 * @example
 * const counter = await startCounter({ reader: 'mock', transport: 'rest' });
 * const sale = fetch(`${counter.agentUrl}/v1/earnings`, { method: 'POST', headers: counter.posHeaders, body: JSON.stringify({ reference: 'r-1', amount: 1250 }) });
 * await counter.reader.swipe('happy');
 * await sale;
 * await counter.stop();
 */
export async function startCounter(opts: CounterOptions = {}): Promise<Counter> {
  const fixtures = counterFixtures(opts); // wrong options fail before anything is started
  const transport = opts.transport ?? 'rest';
  const merchantId = opts.merchantId ?? 'IBP000000000162';
  const terminalId = opts.terminalId ?? '20690111';
  const dir = mkdtempSync(join(opts.tmpDir ?? tmpdir(), 'pos-counter-'));
  const closers: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const closeAll = async () => {
    let first: unknown;
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first;
  };
  let socat: SocatTransport | undefined;
  // If the process exits with the counter running (a test runner's worker ending), leave nothing behind.
  const onExit = () => {
    socat?.killNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  closers.push(() => void process.off('exit', onExit));
  try {
    const caFile = join(dir, 'host-ca.pem');
    const host = await startHost({ fixtures, ...(transport === 'iso8583' ? { isoPort: 0 } : {}), ...(opts.tls ? { tls: true, tlsCaOut: caFile } : {}) });
    closers.push(() => host.close());
    const link = new HostLink(transport === 'iso8583' ? (host.isoPort ?? 0) : host.port);
    await link.restore();
    closers.push(() => link.cut());

    let readerPath: string;
    let readerTransport: MockTransport | SocatTransport;
    if ((opts.reader ?? 'mock') === 'mock') {
      readerPath = `/dev/ttyCOUNTER${process.pid}-${++mockPorts}`;
      readerTransport = new MockTransport(readerPath);
    } else {
      readerPath = join(dir, 'reader');
      socat = new SocatTransport({ link: readerPath, ...(opts.socatPath === undefined ? {} : { socatPath: opts.socatPath }) });
      readerTransport = socat;
    }
    const emulator = new ReaderEmulator({ transport: readerTransport, fixtures });
    closers.push(() => emulator.close());
    await emulator.start();

    const keyFile = join(dir, 'queue.key');
    writeQueueKeyFile(keyFile);
    // The POS API runs with a token unless the caller says not to, so tests drive it as a real terminal's app does.
    const apiToken = opts.apiToken === false ? undefined : (opts.apiToken ?? generateApiToken());
    let apiTokenFile: string | undefined;
    if (apiToken !== undefined) {
      apiTokenFile = join(dir, 'api-token');
      writeFileSync(apiTokenFile, `${apiToken}\n`, { mode: 0o600 });
    }
    const configFile = join(dir, 'agent.yaml');
    const yaml = counterConfigYaml({
      merchantId, terminalId, readerPath, keyFile,
      queuePath: join(dir, 'queue.db'),
      hostTimeoutMs: opts.hostTimeoutMs ?? 3000,
      logLevel: opts.logLevel ?? 'info',
      ...(transport === 'iso8583' ? { isoAddress: `127.0.0.1:${link.port}` } : { baseUrl: `${host.url.split('://')[0]}://127.0.0.1:${link.port}` }),
      ...(opts.tls ? { caFile } : {}),
      ...(opts.offline === undefined ? {} : { offline: opts.offline }),
      ...(apiTokenFile === undefined ? {} : { apiTokenFile }),
    });
    writeFileSync(configFile, yaml, { mode: 0o600 }); // as a technician's would: it holds the client secret
    const { config } = parseConfigText(yaml, { baseDir: dir, file: configFile });
    const logLines = new LogLines();
    const logger = createLogger({ level: config.log.level, merchantId, terminalId, destination: logLines });
    const runtime = await startAgentRuntime(config, logger, {
      ...(readerTransport instanceof MockTransport ? { binding: readerTransport.binding } : {}),
      processMetrics: false, // the process is the test runner's, not the agent's
    });
    closers.push(() => runtime.stop());
    await until('the agent to open the reader', 10_000, () => runtime.agent.health().reader === 'connected');

    return counterOf({ runtime, host, link, emulator, dir, merchantId, terminalId, apiToken, logs: logLines.lines, stop: closeAll });
  } catch (err) {
    await closeAll().catch(() => undefined);
    throw err;
  }
}

function counterOf(p: {
  runtime: AgentRuntime;
  host: RunningHost;
  link: HostLink;
  emulator: ReaderEmulator;
  dir: string;
  merchantId: string;
  terminalId: string;
  apiToken: string | undefined;
  logs: string[];
  stop: () => Promise<void>;
}): Counter {
  const { runtime, host, link, emulator } = p;
  const agent = runtime.agent;

  const swipeNow = (card: SwipeCard, opts: CounterSwipeOptions): Promise<SwipeResult> =>
    typeof card === 'string' ? emulator.swipeCard(card, opts) : emulator.swipe(card.pan, card.expiry, opts);
  const armedAfter = (arms: number, timeoutMs: number, settled: () => boolean = () => false) =>
    until('the agent to arm the reader', timeoutMs, () => settled() || (emulator.state.armed && emulator.state.arms > arms));

  const reader: CounterReader = {
    async swipe(card, opts = {}) {
      await armedAfter(-1, opts.timeoutMs ?? 10_000);
      return swipeNow(card, opts);
    },
    noise: (n) => emulator.noise(n),
    async badLrc(card = 'happy', opts = {}) {
      await armedAfter(-1, opts.timeoutMs ?? 10_000);
      return emulator.badLrc(card);
    },
    async truncate(card = 'happy', opts = {}) {
      await armedAfter(-1, opts.timeoutMs ?? 10_000);
      return emulator.truncate(card);
    },
    unplug: () => emulator.unplug(),
    replug: () => emulator.replug(),
    get state() {
      return emulator.state;
    },
    emulator,
  };

  const counterHost: CounterHost = {
    url: host.url,
    isoPort: host.isoPort,
    caPem: host.caPem,
    fixtures: host.fixtures,
    get isOnline() {
      return link.up;
    },
    online: (on) => (on ? link.restore() : link.cut()),
    async fault(f: CounterFault) {
      const r = FaultRequestSchema.safeParse(f);
      if (!r.success) throw new CounterError('COUNTER_ERR_OPTIONS', `host.fault: ${r.error.issues.map((i) => `"${i.path.join('.')}": ${i.message}`).join('; ')}`);
      return applyFaultRequest(host.faults, r.data);
    },
    async clearFaults() {
      host.faults.clear();
    },
    async ledger() {
      return ledgerView(host.history);
    },
    async balanceOf(card) {
      const found = ledgerView(host.history).cards.find((c) => c.name === card);
      return found ? found.accounts.reduce((sum, a) => sum + a.balance, 0) : 0;
    },
    async journal() {
      return host.ledger.journal();
    },
  };

  return {
    agentUrl: runtime.apiUrl,
    apiToken: p.apiToken,
    posHeaders: { 'content-type': 'application/json', ...(p.apiToken === undefined ? {} : { authorization: `Bearer ${p.apiToken}` }) },
    merchantId: p.merchantId,
    terminalId: p.terminalId,
    dir: p.dir,
    reader,
    host: counterHost,
    async withSwipe(card, call, opts = {}) {
      const armsBefore = emulator.state.arms;
      const answer = call();
      let settled = false;
      void answer.then(
        () => (settled = true),
        () => (settled = true),
      );
      await armedAfter(armsBefore, opts.timeoutMs ?? 10_000, () => settled);
      if (!settled) await swipeNow(card, opts);
      return answer;
    },
    queue(q = {}) {
      return {
        stats: agent.queue.stats(),
        forwarder: agent.forwarder.counters(),
        items: agent.queue.list({ limit: q.limit ?? 100, ...(q.state === undefined ? {} : { state: q.state }) }).map(queueItemView),
      };
    },
    async drained(o = {}) {
      const timeoutMs = o.timeoutMs ?? 20_000;
      const open = () => {
        const s = agent.queue.stats();
        return s.pending + s.sending;
      };
      const deadline = Date.now() + timeoutMs;
      while (open() > 0) {
        if (Date.now() >= deadline) {
          throw new CounterError('COUNTER_ERR_TIMEOUT', `the queue did not drain within ${timeoutMs} ms: ${open()} pending or sending (host ${link.up ? 'online' : 'cut'})`);
        }
        if (o.flush !== false) await agent.forwarder.flush().catch(() => undefined);
        await sleep(50);
      }
      return agent.queue.stats();
    },
    health: () => agent.health(),
    logs: () => p.logs,
    stop: p.stop,
  };
}

/** Polls `ok` every {@link POLL_MS} until it holds, at most `timeoutMs`; then rejects with `COUNTER_ERR_TIMEOUT` naming `what`. */
async function until(what: string, timeoutMs: number, ok: () => boolean): Promise<void> {
  const tries = Math.max(1, Math.ceil(timeoutMs / POLL_MS));
  for (let i = 0; i < tries; i++) {
    if (ok()) return;
    await sleep(POLL_MS);
  }
  if (!ok()) throw new CounterError('COUNTER_ERR_TIMEOUT', `gave up after ${timeoutMs} ms waiting for ${what}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
