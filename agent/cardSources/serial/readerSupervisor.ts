import { stat, statSync, type Stats } from 'node:fs';
import type { Logger } from 'pino';
import { SerialPort } from 'serialport';
import { backoffDelay } from '../../../protocol/index.js';
import type { SerialBinding } from './serialTypes.js';

export interface ReaderSupervisorOptions {
  path: string;
  baudRate: number;
  /** serialport binding; default the real one (bindings-cpp). */
  binding?: SerialBinding;
  /** First reopen delay. Default 100 ms. */
  backoffMinMs?: number;
  /** Longest reopen delay. Default 5000 ms. */
  backoffMaxMs?: number;
  /**
   * How often to check that the device path still names the device that was
   * opened (a pulled USB reader's node, or socat's link, disappears). A PTY
   * hang-up is not always reported by a pending read, so this backs up the
   * `close` event; a path that cannot be stat'ed at open (MockBinding, COM3)
   * is not watched. Default 1000 ms; 0 disables.
   */
  watchMs?: number;
  log?: Logger;
}

export interface SupervisorHooks {
  onData(chunk: Buffer): void;
  onConnected(): void;
  onDisconnected(reason: string): void;
}

/**
 * Keeps the serial port open. An unexpected close (serialport's `close` with a
 * disconnected error, or any close it did not ask for), a failed open, or
 * {@link drop} (missed keep-alives) schedules a reopen, 100 ms growing to 5 s.
 * Its own {@link close} is not taken for an unplug.
 */
export class ReaderSupervisor {
  private port: SerialPort | undefined;
  private closed = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private everConnected = false;
  private watchTimer: NodeJS.Timeout | undefined;
  /** Successful reopens after the first connection. */
  reconnects = 0;

  constructor(
    private readonly opts: ReaderSupervisorOptions,
    private readonly hooks: SupervisorHooks,
  ) {}

  get connected(): boolean {
    return this.port !== undefined;
  }

  /** Makes the first attempt; on failure the supervisor keeps trying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  write(bytes: Uint8Array): void {
    const port = this.port;
    if (port) port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), () => {});
  }

  /** Drops the connection (e.g. 3 missed keep-alives) and reopens with backoff. */
  drop(reason: string): void {
    const port = this.port;
    if (!port) return;
    this.lost(port, reason);
    if (port.isOpen) port.close(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.timer = undefined;
    this.watchTimer = undefined;
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    if (this.closed) return;
    const options = { path: this.opts.path, baudRate: this.opts.baudRate, autoOpen: false, ...(this.opts.binding ? { binding: this.opts.binding } : {}) };
    const port = new SerialPort(options);
    port.on('error', (err) => this.opts.log?.warn({ err }, 'reader port error'));
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      this.opts.log?.warn({ err: { message: (err as Error).message }, attempt: this.attempt }, 'reader open failed');
      this.schedule();
      return;
    }
    if (this.closed) {
      port.close(() => {});
      return;
    }
    this.port = port;
    this.attempt = 0;
    if (this.everConnected) this.reconnects++;
    this.everConnected = true;
    port.on('data', (chunk: Buffer) => {
      if (this.port === port) this.hooks.onData(chunk);
    });
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (this.port === port) this.lost(port, err?.disconnected ? 'disconnected' : 'closed');
    });
    this.watch(port);
    this.opts.log?.info({ path: this.opts.path, reconnects: this.reconnects }, 'reader connected');
    this.hooks.onConnected();
  }

  /** Drops the connection when the path disappears or names another device. */
  private watch(port: SerialPort): void {
    const every = this.opts.watchMs ?? 1000;
    if (every <= 0) return;
    let opened: Stats;
    try {
      opened = statSync(this.opts.path);
    } catch {
      return; // not a filesystem path: rely on the close event
    }
    const timer = setInterval(() => {
      stat(this.opts.path, (err, now) => {
        if (this.port !== port) return;
        if (err || now.ino !== opened.ino || now.rdev !== opened.rdev) this.drop('device path gone');
      });
    }, every);
    timer.unref();
    this.watchTimer = timer;
  }

  private lost(port: SerialPort, reason: string): void {
    if (this.port !== port) return;
    this.port = undefined;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = undefined;
    if (this.closed) return;
    this.opts.log?.warn({ reason }, 'reader lost');
    this.hooks.onDisconnected(reason);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    const delay = backoffDelay(++this.attempt, { baseMs: this.opts.backoffMinMs ?? 100, maxMs: this.opts.backoffMaxMs ?? 5000, jitter: 0 });
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
