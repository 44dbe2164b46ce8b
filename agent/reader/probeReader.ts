import type { ReaderProfile } from '../../protocol/reader/readerProfile.js';
import { SerialPort } from 'serialport';
import { ACK, parseStatusCode, type ReaderStatus } from '../../protocol/reader/constants.js';
import { encodeFrame } from '../../protocol/reader/encodeFrame.js';
import { FrameDecoder } from '../../protocol/reader/frameDecoder.js';
import { ReaderError } from './readerError.js';
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
 * (an I frame) and closes again. Rejects with `READER_ERR_OPEN` (no such
 * device, busy, no permission) or `READER_ERR_NO_ANSWER` (nothing sensible
 * came back within `timeoutMs`: wrong baud rate, wrong profile, not a reader).
 */
export async function probeReader(opts: ProbeReaderOptions): Promise<ProbeResult> {
  const profile = opts.profile ?? 'framed';
  const port = new SerialPort({ path: opts.path, baudRate: opts.baudRate ?? 9600, autoOpen: false, ...(opts.binding ? { binding: opts.binding } : {}) });
  port.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    throw new ReaderError('READER_ERR_OPEN', `cannot open reader port ${opts.path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    if (profile === 'magtek') return { path: opts.path, profile, status: 'unknown' };
    const status = await askStatus(port, opts.timeoutMs ?? 1000);
    return { path: opts.path, profile, status };
  } finally {
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

function askStatus(port: SerialPort, timeoutMs: number): Promise<ReaderStatus> {
  const decoder = new FrameDecoder();
  return new Promise<ReaderStatus>((resolve, reject) => {
    const timer = setTimeout(() => {
      port.off('data', onData);
      reject(new ReaderError('READER_ERR_NO_ANSWER', `the reader did not answer a status request within ${timeoutMs} ms (check reader.profile and reader.baudRate)`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      for (const ev of decoder.push(chunk)) {
        if (ev.kind !== 'frame' || ev.type !== 'I') continue;
        const status = parseStatusCode(ev.payload);
        if (status === undefined) continue;
        port.write(Buffer.of(ACK));
        clearTimeout(timer);
        port.off('data', onData);
        // let the ACK reach the line before the caller closes the port
        port.drain(() => resolve(status));
        return;
      }
    };
    port.on('data', onData);
    port.write(encodeFrame('I'));
  });
}
