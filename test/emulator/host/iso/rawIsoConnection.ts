/** Test helper: a bare TCP connection that sends framed ISO messages and collects framed answers. */
import { connect, type Socket } from 'node:net';
import { LengthPrefixedFramer, decode, encode, frame, type Iso8583Message } from '../../../../protocol/iso8583/index.js';

export class RawIsoConnection {
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    const framer = new LengthPrefixedFramer();
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...framer.push(chunk));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawIsoConnection> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new RawIsoConnection(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  send(msg: Iso8583Message): void {
    this.socket.write(frame(encode(msg)));
  }

  /** The next answer, or null if the host closed the connection first. */
  async receive(): Promise<Iso8583Message | null> {
    for (;;) {
      const f = this.frames.shift();
      if (f) return decode(f);
      if (this.closed) return null;
      await this.next();
    }
  }

  async request(msg: Iso8583Message): Promise<Iso8583Message | null> {
    this.send(msg);
    return this.receive();
  }

  /** Resolves when the host has closed the connection. */
  async closedByPeer(): Promise<void> {
    while (!this.closed) await this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}
