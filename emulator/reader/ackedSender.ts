import { StopAndWait, type SendEnd, type StopAndWaitAction } from '../../protocol/reader/index.js';
import type { LineWriter } from './lineWriter.js';

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

interface Job {
  fault: FirstAttemptFault;
  isCard: boolean;
  resolve: (o: SendOutcome) => void;
  reject: (err: unknown) => void;
  /** The last write of this frame: its outcome is reported once that is on the line. */
  written: Promise<void>;
}

/**
 * The reader's shell around the {@link StopAndWait} session: a real timer and
 * the {@link LineWriter}. Frames go out one at a time; each waits for ACK and
 * is resent up to 3 times on NAK or after `ackTimeoutMs` of silence.
 */
export class AckedSender {
  private readonly session: StopAndWait<Job>;
  private timer: NodeJS.Timeout | undefined;
  private readonly open = new Set<Promise<SendOutcome>>();

  constructor(
    private readonly writer: LineWriter,
    ackTimeoutMs: number,
  ) {
    this.session = new StopAndWait({ ackTimeoutMs });
  }

  /** Queues a frame behind any frame still waiting for its ACK. */
  send(frame: Buffer, fault: FirstAttemptFault = {}, isCard = false): Promise<SendOutcome> {
    const outcome = new Promise<SendOutcome>((resolve, reject) => {
      const job: Job = { fault, isCard, resolve, reject, written: Promise.resolve() };
      this.run(this.session.handle({ kind: 'send', frame, tag: job }));
    });
    this.open.add(outcome);
    const forget = () => this.open.delete(outcome);
    outcome.then(forget, forget);
    return outcome;
  }

  /** Resolves when nothing is waiting for an ACK. */
  async whenIdle(): Promise<void> {
    await Promise.allSettled([...this.open]);
  }

  onAck(): void {
    this.run(this.session.handle({ kind: 'ack' }));
  }

  onNak(): void {
    this.run(this.session.handle({ kind: 'nak' }));
  }

  /** The device went away: frames in flight or queued end as `unplugged`. */
  cancel(): void {
    this.run(this.session.handle({ kind: 'reset' }));
  }

  private run(actions: StopAndWaitAction<Job>[]): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'write': {
          const bytes = a.attempt === 1 ? faulty(a.bytes, a.tag.fault) : a.bytes;
          a.tag.written = this.writer.write(bytes, a.tag.isCard);
          break;
        }
        case 'startTimer':
          this.stopTimer();
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.run(this.session.handle({ kind: 'timeout' }));
          }, a.ms);
          break;
        case 'stopTimer':
          this.stopTimer();
          break;
        case 'delivered':
          report(a, 'acked');
          break;
        case 'failed':
          report(a, 'failed');
          break;
        case 'cancelled':
          report(a, 'unplugged');
          break;
      }
    }
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function report(end: SendEnd<Job>, outcome: SendOutcome['outcome']): void {
  const result: SendOutcome = { outcome, attempts: end.attempts, naks: end.naks };
  void end.tag.written.then(() => end.tag.resolve(result), end.tag.reject);
}

/** The first attempt's bytes under `fault`. */
function faulty(frame: Uint8Array, fault: FirstAttemptFault): Uint8Array {
  if (fault.badLrc) {
    const bytes = Uint8Array.from(frame);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    return bytes;
  }
  if (fault.truncate) return frame.subarray(0, Math.floor(frame.length / 2));
  return frame;
}
