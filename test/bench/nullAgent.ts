/**
 * The floor of a redemption on this machine (issue 16): a program that does
 * only the steps no redemption can go without, with the agent's libraries
 * and none of its checks, records or logs. Started as a child, like the
 * agent, by the redemption benchmark, which times it interleaved with the
 * agent and the baseline:
 * - the POS request over HTTP (node:http), then the arm frame to the reader;
 * - the card frame from the serial port (serialport on the socat PTY),
 *   acknowledged and parsed (protocol/reader);
 * - the balance request, signed as the baseline's (test/support/signedFetch);
 * - one synchronous=FULL commit of a queue-sized row while the balance call
 *   is in flight (the burn's durable record, written before its send);
 * - the redeem request, then a second FULL commit (the approval), then the answer.
 *
 * A POS request may ask for fewer commits (`commits` in its body), so the
 * benchmark can take the floor apart in the same rounds: `both` (the
 * default) as above; `approval`, only the approval's commit, as if the
 * burn's record hid completely under the balance call; `none`, no commit at
 * all (what the PTY, the POS hop and the two requests cost on their own).
 *
 * Usage: node nullAgent.js HOST_URL READER_PATH DB_PATH [worker]. Prints one
 * JSON line `{"msg":"listening","url":...}` when ready; stops on SIGTERM.
 * `worker` (the benchmark passes it under BENCH_NULL_COMMIT=worker) makes the
 * commit during the balance call on a worker thread with a connection of its
 * own, so the event loop stays free while the host answers.
 */
import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';
import { SerialPort } from 'serialport';
import { Pool } from 'undici';
import { ACK, ARM, encodeFrame, FrameDecoder, parseCardData } from '../../protocol/reader/index.js';
import { signedClient } from '../support/signedFetch.js';
import { queueSizedTable } from './queueSizedRow.js';

const [hostUrl, readerPath, dbPath, commitOn] = process.argv.slice(2) as [string, string, string, string | undefined];
const MERCHANT = { merchantId: 'IBP000000000162', terminalId: '20690111' };

const port = new SerialPort({ path: readerPath, baudRate: 9600 });
const decoder = new FrameDecoder();
let onCard: ((tracks: string) => void) | undefined;
port.on('data', (chunk: Buffer) => {
  for (const ev of decoder.push(chunk)) {
    if (ev.kind !== 'frame') continue;
    port.write(Uint8Array.of(ACK));
    if (ev.type === 'C' && onCard) {
      const deliver = onCard;
      onCard = undefined;
      deliver(ev.payload.toString('latin1'));
    }
  }
});

const signed = await signedClient(hostUrl, { dispatcher: new Pool(hostUrl, { connections: 1 }) });
const table = queueSizedTable(dbPath, { kind: 'burn', state: 'sending', payload: { points: 1, reference: 'bench-000000' } });
let n = 0;

/** The worker variant: the same queue-sized FULL commit, in a file of the worker's own, on another thread. */
const worker =
  commitOn === 'worker'
    ? new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         import(workerData.row).then(({ queueSizedTable }) => {
           const t = queueSizedTable(workerData.db, { kind: 'burn', state: 'sending', payload: { points: 1, reference: 'bench-000000' } });
           parentPort.on('message', () => { t.insert(); parentPort.postMessage('committed'); });
         });`,
        { eval: true, workerData: { row: new URL('./queueSizedRow.js', import.meta.url).href, db: `${dbPath}-worker` } },
      )
    : undefined;
/** One commit during the balance call: on the worker, or here (after the request is on the socket). */
async function commitDuringBalance(): Promise<void> {
  if (worker) {
    await new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.postMessage('commit');
    });
    return;
  }
  // Two check-phase turns, as the agent waits, so that undici has put the request on the socket first.
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  table.insert();
}

/** Which of the two commits a null redemption makes (see the header). */
export type NullCommits = 'both' | 'approval' | 'none';

async function redeem(points: number, commits: NullCommits): Promise<void> {
  const i = n++;
  const card = new Promise<string>((resolve) => (onCard = resolve));
  port.write(encodeFrame('P', ARM));
  const tracks = parseCardData(await card);
  const balance = signed({ path: `/api/v1/loyalty/rewards?timeStamp=20260101120000&transactionId=N${i}`, headers: { ...MERCHANT, PAN: tracks.pan, expiryDate: tracks.expiry } });
  // Both settle before either is looked at: a failed commit leaves no unhandled rejection of the balance.
  const [bal] = await Promise.all([balance, commits === 'both' ? commitDuringBalance() : undefined]);
  const rewardTrxId = (bal.body as { rewardTrxId: string }).rewardTrxId;
  const burn = await signed({
    method: 'POST',
    path: '/api/v1/loyalty/rewards/redeem',
    body: { rewardTrxId, transactionId: `NULL${i}`, ...MERCHANT, redemptionMandates: [{ accountId: '12', accountType: '1', debit: String(points) }] },
  });
  if (bal.status !== 200 || burn.status !== 200) throw new Error(`null agent: balance ${bal.status}, redeem ${burn.status}`);
  if (commits !== 'none') table.insert();
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const { points, commits = 'both' } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { points: number; commits?: NullCommits };
    redeem(points, commits).then(
      () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'approved', debited: points }));
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', message: String(err) }));
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address() as { port: number };
  console.log(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${addr.port}` }));
});
process.on('SIGTERM', () => {
  server.close();
  port.close();
  table.close();
  void worker?.terminate();
  process.exit(0);
});
