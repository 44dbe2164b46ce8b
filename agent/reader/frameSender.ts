import { MAX_RESENDS } from '../../protocol/reader/constants.js';

/** How a send ended: acknowledged, given up after the resends, or cut by a disconnect. */
export type SendResult = 'ack' | 'failed' | 'reset';

interface Job {
  frame: Buffer;
  resolve: (r: SendResult) => void;
}

/**
 * Sends frames one at a time and waits for each one's ACK, resending up to 3
 * times on NAK or silence (`ackTimeoutMs`). One frame is outstanding at a
 * time, so an ACK is never ambiguous.
 */
export class FrameSender {
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param write puts bytes on the line
   * @param ackTimeoutMs silence after which a frame is resent; default 300 ms
   */
  constructor(
    private readonly write: (bytes: Buffer) => void,
    private readonly ackTimeoutMs = 300,
  ) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  send(frame: Buffer): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      this.queue.push({ frame, resolve });
      if (!this.current) this.next();
    });
  }

  onAck(): void {
    if (this.current) this.done('ack');
  }

  onNak(): void {
    if (this.current) this.retry();
  }

  /** Fails everything in flight (the line went away). */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const jobs = this.current ? [this.current, ...this.queue] : [...this.queue];
    this.current = undefined;
    this.queue.length = 0;
    for (const j of jobs) j.resolve('reset');
  }

  private next(): void {
    this.current = this.queue.shift();
    this.attempt = 0;
    if (this.current) this.transmit();
  }

  private transmit(): void {
    const job = this.current as Job;
    this.attempt++;
    this.timer = setTimeout(() => this.retry(), this.ackTimeoutMs);
    this.write(job.frame);
  }

  private retry(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.attempt > MAX_RESENDS) this.done('failed');
    else this.transmit();
  }

  private done(r: SendResult): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const job = this.current as Job;
    this.current = undefined;
    job.resolve(r);
    this.next();
  }
}
