import type { ReaderTransport } from './readerTransport.js';

/**
 * Serialises everything the reader sends (frames and single ACK/NAK bytes)
 * so nothing interleaves inside a frame, and optionally paces bytes at the
 * line rate: 10 bits a byte for 8N1, so 9600 baud ≈ 1.04 ms a byte.
 */
export class LineWriter {
  private chain: Promise<void> = Promise.resolve();
  private readonly byteMs: number;
  /** performance.now() just before the last byte of the last card write was handed to the transport. */
  lastCardAt = 0;

  /** @param baudRate pace at this rate; 0 sends each write at once. */
  constructor(
    private readonly transport: ReaderTransport,
    baudRate: number,
  ) {
    this.byteMs = baudRate > 0 ? 10_000 / baudRate : 0;
  }

  write(bytes: Uint8Array, isCard = false): Promise<void> {
    const run = this.chain.then(() => this.send(bytes, isCard));
    this.chain = run.catch(() => {});
    return run;
  }

  private async send(bytes: Uint8Array, isCard: boolean): Promise<void> {
    if (this.byteMs === 0) {
      if (isCard) this.lastCardAt = performance.now();
      await this.transport.write(bytes);
    } else {
      const start = performance.now();
      for (let i = 0; i < bytes.length; i++) {
        const due = start + i * this.byteMs;
        const wait = due - performance.now();
        if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
        if (isCard && i === bytes.length - 1) this.lastCardAt = performance.now();
        await this.transport.write(bytes.subarray(i, i + 1));
      }
    }
  }
}
