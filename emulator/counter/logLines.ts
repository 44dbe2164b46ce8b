import { Writable } from 'node:stream';

/** A log destination that keeps the last `max` lines in memory (the counter's agent logs, for tests to read). */
export class LogLines extends Writable {
  readonly lines: string[] = [];
  readonly #max: number;
  #partial = '';

  constructor(max = 20_000) {
    super({ decodeStrings: false });
    this.#max = max;
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const parts = (this.#partial + chunk.toString()).split('\n');
    this.#partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.#max) this.lines.splice(0, this.lines.length - this.#max);
    done();
  }
}
