import { spawn, type ChildProcess } from 'node:child_process';
import { SerialPort } from 'serialport';
import { ReaderEmulatorError } from './readerEmulatorError.js';
import type { ReaderTransport } from './readerTransport.js';

/** Options of {@link SocatTransport}. */
export interface SocatTransportOptions {
  /** Path of the device the agent opens (a symlink made by socat). The emulator opens `${link}.emu`. */
  link: string;
  /** Baud rate set on the emulator's end. Default 9600. */
  baudRate?: number;
  /** The socat binary. Default `socat` (from PATH). */
  socatPath?: string;
  /** How long to wait for socat to create the pair. Default 5000 ms. */
  startTimeoutMs?: number;
}

/**
 * A pseudo-terminal pair made by socat:
 * `socat -d -d pty,raw,echo=0,link=PATH pty,raw,echo=0,link=PATH.emu`.
 * Unplug kills socat by pid: both links disappear and the agent's port closes
 * with a disconnected error, as when a USB reader is pulled. Plug starts a new socat.
 */
export class SocatTransport implements ReaderTransport {
  private socat: ChildProcess | undefined;
  private port: SerialPort | undefined;
  private listener: (chunk: Buffer) => void = () => {};
  private goneListener: () => void = () => {};
  private readonly baudRate: number;
  private log = '';

  constructor(private readonly opts: SocatTransportOptions) {
    this.baudRate = opts.baudRate ?? 9600;
  }

  get plugged(): boolean {
    return this.port !== undefined;
  }

  /** The socat process id while plugged (for tests that check cleanup). */
  get pid(): number | undefined {
    return this.socat?.pid;
  }

  /** The last lines socat wrote to stderr (for diagnostics). */
  get socatLog(): string {
    return this.log;
  }

  /** The emulator's end of the pair. */
  get emulatorPath(): string {
    return `${this.opts.link}.emu`;
  }

  async plug(): Promise<void> {
    if (this.socat) return;
    const link = this.opts.link;
    const child = spawn(this.opts.socatPath ?? 'socat', ['-d', '-d', `pty,raw,echo=0,link=${link}`, `pty,raw,echo=0,link=${link}.emu`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.socat = child;
    this.log = '';
    child.stderr?.on('data', (d: Buffer) => {
      this.log = (this.log + d.toString('utf8')).slice(-4000);
    });
    try {
      await waitForTransferLoop(child, this.opts.startTimeoutMs ?? 5000);
      const port = new SerialPort({ path: this.emulatorPath, baudRate: this.baudRate, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      port.on('data', (chunk: Buffer) => this.listener(chunk));
      port.on('error', () => {});
      this.port = port;
    } catch (err) {
      await this.unplug();
      throw err instanceof ReaderEmulatorError ? err : new ReaderEmulatorError('EMU_READER_ERR_SOCAT', 'could not open the emulator end of the socat pair', { cause: err });
    }
    child.once('exit', () => {
      if (this.socat !== child) return;
      // socat died on its own: the device is gone.
      this.socat = undefined;
      this.closePort();
      this.goneListener();
    });
  }

  async unplug(): Promise<void> {
    const child = this.socat;
    this.socat = undefined;
    this.closePort();
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port || !port.isOpen) return;
    await new Promise<void>((resolve) => {
      port.write(Buffer.from(bytes), () => resolve());
    });
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.listener = listener;
  }

  onGone(listener: () => void): void {
    this.goneListener = listener;
  }

  async close(): Promise<void> {
    await this.unplug();
  }

  /** Kills socat synchronously (for a process 'exit' handler). */
  killNow(): void {
    const child = this.socat;
    this.socat = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }

  private closePort(): void {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) port.close(() => {});
  }
}

/** Resolves when socat logs that both PTYs are open (their links exist by then). */
function waitForTransferLoop(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let log = '';
    const done = (err?: Error) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // keep draining stderr so socat never blocks on a full pipe
      child.stderr?.resume();
      if (err) reject(err);
      else resolve();
    };
    const onData = (d: Buffer) => {
      log += d.toString('utf8');
      if (log.includes('starting data transfer loop')) done();
      else if (log.length > 64_000) log = log.slice(-2000);
    };
    const onExit = (code: number | null) =>
      done(new ReaderEmulatorError('EMU_READER_ERR_SOCAT', `socat exited (code ${code}) before creating the pair: ${lastLine(log)}`));
    const onError = (err: Error) => done(new ReaderEmulatorError('EMU_READER_ERR_SOCAT', `could not start socat (is it installed?): ${err.message}`, { cause: err }));
    const timer = setTimeout(() => done(new ReaderEmulatorError('EMU_READER_ERR_SOCAT', `socat did not create the pair within ${timeoutMs} ms`)), timeoutMs);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function lastLine(log: string): string {
  const lines = log.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
