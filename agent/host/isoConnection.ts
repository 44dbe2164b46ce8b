import { connect, type Socket } from 'node:net';
import type { Logger } from 'pino';
import {
  Iso8583Error,
  LengthPrefixedFramer,
  decode,
  encode,
  frame,
  responseMti,
  type Iso8583Message,
} from '../../protocol/iso8583/index.js';
import { HostError } from './hostClient.js';

export interface IsoConnectionOptions {
  host: string;
  port: number;
  /** TCP connect timeout, ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Time allowed for the answer once a request is written, ms. Default 10000. */
  timeoutMs?: number;
  /** Largest frame accepted from the host, bytes. Default 8192. */
  maxFrame?: number;
  /** Default: no logging. */
  logger?: Logger;
}

interface Pending {
  op: string;
  expectMti: string;
  timer: NodeJS.Timeout;
  resolve: (m: Iso8583Message) => void;
  reject: (e: HostError) => void;
}

const STAN_SPACE = 999_999;

/**
 * One persistent TCP connection to the ISO 8583 host, shared by concurrent
 * requests and matched by STAN (DE11). Connects lazily and reconnects on the
 * next request after the connection breaks. Failure outcomes follow
 * {@link HostError}: a failed or timed-out connect is `not-sent`; once the
 * frame is written, a timeout, a broken connection or a garbled answer is
 * `unknown`.
 */
export class IsoConnection {
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private readonly pending = new Map<string, Pending>();
  private lastStan = 0;
  private closed = false;

  constructor(private readonly opts: IsoConnectionOptions) {}

  /** Requests waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** The next STAN, 000001–999999, skipping any still in flight. */
  nextStan(): string {
    for (let i = 0; i < STAN_SPACE; i++) {
      this.lastStan = (this.lastStan % STAN_SPACE) + 1;
      const stan = String(this.lastStan).padStart(6, '0');
      if (!this.pending.has(stan)) return stan;
    }
    throw new HostError('HOST_ERR_PROTOCOL', 'no free STAN: 999999 requests in flight', { outcome: 'not-sent' });
  }

  /** Sends `msg` (whose DE11 is its STAN) and resolves with the answer carrying the same STAN. */
  async exchange(op: string, msg: Iso8583Message): Promise<Iso8583Message> {
    let bytes: Buffer;
    try {
      bytes = frame(encode(msg), this.opts.maxFrame);
    } catch (err) {
      // Nothing can be sent, and sending again will not help.
      throw new HostError('HOST_ERR_PROTOCOL', `${op}: the request cannot be encoded (${(err as Iso8583Error).code ?? 'error'})`, { outcome: 'rejected', cause: err });
    }
    const stan = msg.fields[11];
    if (typeof stan !== 'string' || this.pending.has(stan)) throw new HostError('HOST_ERR_PROTOCOL', `${op}: the request needs a STAN not in flight`, { outcome: 'not-sent' });
    const socket = await this.connected(op);
    return new Promise<Iso8583Message>((resolve, reject) => {
      const timeoutMs = this.opts.timeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        this.pending.delete(stan);
        reject(new HostError('HOST_ERR_TIMEOUT', `${op}: request sent, no answer in ${timeoutMs} ms; the outcome is unknown`, { outcome: 'unknown' }));
      }, timeoutMs);
      this.pending.set(stan, { op, expectMti: responseMti(msg.mti), timer, resolve, reject });
      socket.write(bytes);
    });
  }

  /** Closes the connection; requests in flight fail with outcome `unknown`. */
  async close(): Promise<void> {
    this.closed = true;
    const s = this.socket;
    this.socket = undefined;
    this.failAll('the client was closed');
    if (s && !s.destroyed) {
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.destroy();
      });
    }
  }

  private connected(op: string): Promise<Socket> {
    if (this.closed) return Promise.reject(new HostError('HOST_ERR_CONNECT', `${op}: the client is closed; the request was not sent`, { outcome: 'not-sent' }));
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= this.open(op).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private open(op: string): Promise<Socket> {
    const { host, port } = this.opts;
    const connectTimeoutMs = this.opts.connectTimeoutMs ?? 3000;
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), connectTimeoutMs);
      const onError = (err: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new HostError('HOST_ERR_CONNECT', `${op}: could not reach the ISO host at ${host}:${port} (${err.code ?? 'error'}); the request was not sent`, { outcome: 'not-sent', cause: err }));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setNoDelay(true);
        this.attach(socket);
        this.opts.logger?.info({ host, port }, 'iso host connected');
        resolve(socket);
      });
    });
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    const framer = new LengthPrefixedFramer(this.opts.maxFrame === undefined ? {} : { maxLength: this.opts.maxFrame });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const f of framer.push(chunk)) this.deliver(decode(f));
      } catch (err) {
        const code = err instanceof Iso8583Error ? err.code : 'error';
        this.opts.logger?.warn({ code }, 'iso host sent a malformed answer; dropping the connection');
        this.failAll(`the host sent a malformed answer (${code})`, 'HOST_ERR_PROTOCOL');
        socket.destroy();
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.opts.logger?.warn({ code: err.code }, 'iso host connection error'));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      this.failAll('the connection broke before the answer');
    });
  }

  private deliver(msg: Iso8583Message): void {
    const stan = msg.fields[11];
    const p = typeof stan === 'string' ? this.pending.get(stan) : undefined;
    if (!p || typeof stan !== 'string') {
      this.opts.logger?.warn({ mti: msg.mti, stan }, 'iso answer matches no request in flight; ignored');
      return;
    }
    this.pending.delete(stan);
    clearTimeout(p.timer);
    if (msg.mti !== p.expectMti) {
      p.reject(new HostError('HOST_ERR_PROTOCOL', `${p.op}: the host answered with MTI ${msg.mti}, expected ${p.expectMti}; the outcome is unknown`, { outcome: 'unknown' }));
      return;
    }
    p.resolve(msg);
  }

  private failAll(why: string, code: 'HOST_ERR_TIMEOUT' | 'HOST_ERR_PROTOCOL' = 'HOST_ERR_TIMEOUT'): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      p.reject(new HostError(code, `${p.op}: request sent, ${why}; the outcome is unknown`, { outcome: 'unknown' }));
    }
  }
}
