/**
 * Swipe-to-card latency over a real socat pseudo-terminal pair: from the
 * moment the emulator hands the card frame's last byte to the PTY to
 * readCard resolving. Baseline, same run, same PTY pair: a bare serialport
 * 'data' listener receiving the same frame. The difference is what the
 * driver adds (decode, LRC, track parse, ACK). Target: < 1 ms at p99. Each
 * driver swipe is also split at its frame's first byte in, so a tail can be
 * told apart: the line's (socat, the PTY, the scheduler) or the driver's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { openCardReader } from '../../agent/cardSources/serial/index.js';
import { ReaderEmulator } from '../../emulator/reader/readerEmulator.js';
import { SocatTransport } from '../../emulator/reader/socatTransport.js';
import { buildTrack1, buildTrack2 } from '../../protocol/reader/buildTracks.js';
import { encodeFrame } from '../../protocol/reader/encodeFrame.js';
import { absolute, compared, percentile, type BenchOptions, type BenchResult } from './harness.js';

// The fixture card `happy` (emulator/host/fixtures.ts).
const HAPPY = { pan: '6280000000000016', expiry: '3012', name: 'HAPPY/HARRIET' };

/** A 2 ms pause between swipes, on both sides, so the previous exchange has settled. */
const quiet = () => new Promise<void>((resolve) => setTimeout(resolve, 2));

/** One driver swipe's time, split at the frame's first byte in: the line's part and the driver's own. */
interface DriverSample { total: number; line: number; driver: number }

async function driverLatencies(link: string, emu: ReaderEmulator, n: number): Promise<DriverSample[]> {
  const reader = await openCardReader({ path: link, profile: 'framed', baudRate: 9600, keepAliveMs: 0 });
  try {
    const out: DriverSample[] = [];
    for (let i = 0; i < n; i++) {
      let doneAt = 0;
      let firstByteAt = 0;
      const read = reader.readCard({ timeoutMs: 5000, onCardFrame: (at) => (firstByteAt = at) }).then((c) => {
        doneAt = performance.now();
        return c;
      });
      await emu.whenArmed();
      await quiet(); // let the arm's ACK reach the driver: only the card is on the line while timed
      const swipe = await emu.swipeCard('happy');
      const card = await read;
      if (swipe.outcome !== 'acked' || card.pan !== HAPPY.pan || card.expiry !== HAPPY.expiry) {
        throw new Error(`reader bench: wrong result (${swipe.outcome})`);
      }
      const sentAt = emu.lastCardSentAt;
      if (i >= SETTLE) out.push({ total: doneAt - sentAt, line: firstByteAt - sentAt, driver: doneAt - firstByteAt });
      await emu.whenDisarmed();
    }
    return out;
  } finally {
    await reader.close();
    // let the emulator finish (or give up) anything it still waits to have ACKed
    await emu.whenIdle();
  }
}

async function bareLatencies(link: string, transport: SocatTransport, n: number): Promise<number[]> {
  const frame = encodeFrame('C', buildTrack1(HAPPY) + buildTrack2(HAPPY));
  const port = new SerialPort({ path: link, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  // drop anything left on the line by the previous block
  await new Promise<void>((resolve) => port.flush(() => resolve()));
  try {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      let got = 0;
      const received: Buffer[] = [];
      const done = new Promise<number>((resolve) => {
        const onData = (chunk: Buffer) => {
          got += chunk.length;
          received.push(chunk);
          if (got >= frame.length) {
            const now = performance.now();
            port.off('data', onData);
            resolve(now);
          }
        };
        port.on('data', onData);
      });
      await quiet();
      const t0 = performance.now();
      await transport.write(frame);
      const t1 = await done;
      // a stray ACK from the emulator may precede the frame; the frame itself must be intact
      const all = Buffer.concat(received);
      if (!all.subarray(all.length - frame.length).equals(frame)) throw new Error('reader bench: baseline received a different frame');
      if (i >= SETTLE) out.push(t1 - t0);
    }
    return out;
  } finally {
    await new Promise<void>((r) => port.close(() => r()));
  }
}

/** Swipes dropped at the start of each block: the port was just opened and the status exchange is still in flight. */
const SETTLE = 5;
/** Swipes per block (SETTLE of them not measured); blocks alternate (bare, driver, bare, ...) so both see the same machine load. */
const BLOCK = 30;

export async function run({ short }: BenchOptions): Promise<BenchResult[]> {
  // A p99 needs a few hundred samples to mean anything: 250 a side in short mode, 500 in full.
  const blocks = short ? 10 : 20;
  const dir = mkdtempSync(join(tmpdir(), 'pos-reader-bench-'));
  const link = join(dir, 'tty');
  const transport = new SocatTransport({ link });
  const emu = new ReaderEmulator({ transport, profile: 'framed' });
  await emu.start();
  try {
    // warm-up block of each (also checks both paths deliver the right card/frame), not measured
    await bareLatencies(link, transport, BLOCK);
    await driverLatencies(link, emu, BLOCK);
    const bare: number[] = [];
    const driver: DriverSample[] = [];
    for (let b = 0; b < blocks; b++) {
      bare.push(...(await bareLatencies(link, transport, BLOCK)));
      driver.push(...(await driverLatencies(link, emu, BLOCK)));
    }
    const total = driver.map((d) => d.total);
    const [d50, d99, b50, b99] = [percentile(total, 50), percentile(total, 99), percentile(bare, 50), percentile(bare, 99)];
    // Where the driver's time goes: the line (handed to the PTY → the frame's first byte in the driver's 'data'
    // handler, the same way the bare listener's bytes come) and the driver itself (first byte → card resolved:
    // the rest of the frame's bytes, decode, LRC, track parse). The slowest 1% of swipes, split the same way.
    const slowest = [...driver].sort((a, z) => z.total - a.total).slice(0, Math.max(1, Math.ceil(driver.length / 100)));
    const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
    return [
      compared('reader.swipe_to_card.p50', d50, 'ms', 'bare serialport data listener p50', b50),
      compared('reader.swipe_to_card.p99', d99, 'ms', 'bare serialport data listener p99', b99, 'driver adds < 1 ms at p99', (v) => v - b99 < 1),
      absolute('reader.driver_overhead.p99', d99 - b99, 'ms', '< 1 ms', (v) => v < 1),
      absolute('reader: the line (handed to the PTY → first byte in at the driver), p99', percentile(driver.map((d) => d.line), 99), 'ms'),
      absolute('reader: the driver (first byte in → card resolved), p50', percentile(driver.map((d) => d.driver), 50), 'ms'),
      absolute('reader: the driver (first byte in → card resolved), p99', percentile(driver.map((d) => d.driver), 99), 'ms'),
      absolute(`reader: the slowest 1% of swipes (${slowest.length}), mean time on the line`, mean(slowest.map((d) => d.line)), 'ms'),
      absolute(`reader: the slowest 1% of swipes (${slowest.length}), mean time in the driver`, mean(slowest.map((d) => d.driver)), 'ms'),
      absolute('reader: samples a side', total.length, 'swipes'),
    ];
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
