import { MAX_RESENDS } from '../../protocol/reader/constants.js';
import type { LineWriter } from './lineWriter.js';

type AckResult = 'ack' | 'nak' | 'timeout' | 'unplugged';

/** How a frame send ended: ACKed, no ACK after the first attempt and 3 resends, or the device went away. */
export interface SendOutcome {
  outcome: 'acked' | 'failed' | 'unplugged';
  /** Frames written, first attempt included. */
  attempts: number;
  naks: number;
}

/** A fault applied to the first attempt only, so the resend gets through. */
export interface FirstAttemptFault {
  /** Corrupt the LRC. */
  badLrc?: boolean;
  /** Send only the first half, then go quiet. */
  truncate?: boolean;
}

/**
 * The reader's side of ACK/NAK: frames go out one at a time; each waits for
 * ACK and is resent up to 3 times on NAK or after `ackTimeoutMs` of silence.
 */
export class AckedSender {
  private waiter: ((r: AckResult) => void) | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly writer: LineWriter,
    private readonly ackTimeoutMs: number,
  ) {}

  /** Queues a frame behind any frame still waiting for its ACK. */
  send(frame: Buffer, fault: FirstAttemptFault = {}, isCard = false): Promise<SendOutcome> {
    const run = this.chain.then(() => this.sendNow(frame, fault, isCard));
    this.chain = run.catch(() => {});
    return run;
  }

  /** Resolves when nothing is waiting for an ACK. */
  async whenIdle(): Promise<void> {
    await this.chain;
  }

  onAck(): void {
    this.waiter?.('ack');
  }

  onNak(): void {
    this.waiter?.('nak');
  }

  /** The device went away: the frame in flight ends as `unplugged`. */
  cancel(): void {
    this.waiter?.('unplugged');
  }

  private async sendNow(frame: Buffer, fault: FirstAttemptFault, isCard: boolean): Promise<SendOutcome> {
    let naks = 0;
    for (let attempt = 1; attempt <= MAX_RESENDS + 1; attempt++) {
      let bytes = frame;
      if (attempt === 1 && fault.badLrc) {
        bytes = Buffer.from(frame);
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
      } else if (attempt === 1 && fault.truncate) {
        bytes = frame.subarray(0, Math.floor(frame.length / 2));
      }
      const acked = this.awaitAck();
      await this.writer.write(bytes, isCard);
      const r = await acked;
      if (r === 'ack') return { outcome: 'acked', attempts: attempt, naks };
      if (r === 'unplugged') return { outcome: 'unplugged', attempts: attempt, naks };
      if (r === 'nak') naks++;
    }
    return { outcome: 'failed', attempts: MAX_RESENDS + 1, naks };
  }

  private awaitAck(): Promise<AckResult> {
    return new Promise<AckResult>((resolve) => {
      const timer = setTimeout(() => finish('timeout'), this.ackTimeoutMs);
      const finish = (r: AckResult) => {
        clearTimeout(timer);
        if (this.waiter === finish) this.waiter = undefined;
        resolve(r);
      };
      this.waiter = finish;
    });
  }
}
