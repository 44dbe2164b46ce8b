import { SerialPort } from 'serialport';
import type { ReaderStatus } from '../../../protocol/reader/index.js';
import type { ReaderProfile } from '../../../protocol/reader/index.js';
import { profileStrategy } from './profileStrategies.js';
import type { ProfileStrategy } from './profileStrategy.js';
import { deniedAccess, describeDeviceAccess } from './deviceAccess.js';
import { ReaderError } from '../readerError.js';
import type { ReaderLine } from './readerLine.js';
import { zeroLineCounters } from './serialReaderCounters.js';
import type { SerialBinding } from './serialTypes.js';

export interface ProbeReaderOptions {
  path: string;
  /** Default `framed`. A MagTek reader has no status request: the probe only opens the port. */
  profile?: ReaderProfile;
  /** Default 9600. */
  baudRate?: number;
  /** serialport binding (MockBinding in tests). Default the real binding. */
  binding?: SerialBinding;
  /** How long to wait for the status answer. Default 1000 ms. */
  timeoutMs?: number;
}

export interface ProbeResult {
  path: string;
  profile: ReaderProfile;
  /** What the reader answered to I; `unknown` for MagTek (it cannot be asked). */
  status: ReaderStatus | 'unknown';
}

/**
 * For `pos-agent config check`: opens the port, asks the reader's status
 * (an I frame) and closes again. Rejects with `READER_ERR_PERMISSION` (the
 * device is there but this user may not read and write it), `READER_ERR_OPEN`
 * (no such device, busy, not a serial port) or `READER_ERR_NO_ANSWER` (nothing sensible
 * came back within `timeoutMs`: wrong baud rate, wrong profile, not a reader).
 */
export async function probeReader(opts: ProbeReaderOptions): Promise<ProbeResult> {
  const profile = opts.profile ?? 'framed';
  const strategy = profileStrategy(profile);
  const port = new SerialPort({ path: opts.path, baudRate: opts.baudRate ?? 9600, autoOpen: false, ...(opts.binding ? { binding: opts.binding } : {}) });
  port.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    if (deniedAccess(opts.path, err)) {
      const access = describeDeviceAccess(opts.path);
      const who = access === undefined ? '' : ` for user ${access.user} (${access.device}: owner ${access.owner}, group ${access.group}, mode ${access.mode})`;
      throw new ReaderError('READER_ERR_PERMISSION', `cannot open reader port ${opts.path}: permission denied${who}`, { cause: err });
    }
    throw new ReaderError('READER_ERR_OPEN', `cannot open reader port ${opts.path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    if (!strategy.commands) return { path: opts.path, profile, status: 'unknown' };
    const status = await askStatus(port, strategy, strategy.commands.status, opts.timeoutMs ?? 1000);
    return { path: opts.path, profile, status };
  } finally {
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

function askStatus(port: SerialPort, strategy: ProfileStrategy, request: Uint8Array, timeoutMs: number): Promise<ReaderStatus> {
  return new Promise<ReaderStatus>((resolve, reject) => {
    let done = false;
    let answer: Uint8Array | undefined;
    const timer = setTimeout(() => {
      done = true;
      port.off('data', onData);
      reject(new ReaderError('READER_ERR_NO_ANSWER', `the reader did not answer a status request within ${timeoutMs} ms (check reader.profile and reader.baudRate)`));
    }, timeoutMs);
    // Only the status answer is acknowledged: the decoder's reply to it is held until the status is known.
    const line: ReaderLine = {
      ...quietLine(),
      write: (bytes) => {
        answer = bytes;
      },
      status: (status) => {
        if (done) return;
        done = true;
        if (answer) port.write(Buffer.from(answer));
        clearTimeout(timer);
        port.off('data', onData);
        // let the ACK reach the line before the caller closes the port
        port.drain(() => resolve(status));
      },
    };
    const decoder = strategy.decoder(line);
    const onData = (chunk: Buffer) => decoder.push(chunk);
    port.on('data', onData);
    port.write(Buffer.from(request));
  });
}

/** A line that counts into a throwaway and does nothing else. */
function quietLine(): ReaderLine {
  const ignore = () => {};
  return {
    counters: zeroLineCounters(),
    log: undefined,
    write: ignore,
    heard: ignore,
    ack: ignore,
    nak: ignore,
    card: ignore,
    status: ignore,
    readError: ignore,
  };
}
