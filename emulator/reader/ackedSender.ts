import { StopAndWaitRunner, type SendEnd } from '../../protocol/reader/index.js';
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
 * The reader's shell around the stop-and-wait session ({@link StopAndWaitRunner}):
 * a real timer and the {@link LineWriter}. Frames go out one at a time; each waits for ACK and
 * is resent up to 3 times on NAK or after `ackTimeoutMs` of silence.
 */
export class AckedSender {
  private readonly runner: StopAndWaitRunner<Job>;
  private readonly open = new Set<Promise<SendOutcome>>();

  constructor(writer: LineWriter, ackTimeoutMs: number) {
    this.runner = new StopAndWaitRunner<Job>({ ackTimeoutMs }, {
      write: (bytes, attempt, job) => {
        job.written = writer.write(attempt === 1 ? faulty(bytes, job.fault) : bytes, job.isCard);
      },
      end: (how, end) => report(end, how === 'delivered' ? 'acked' : how === 'failed' ? 'failed' : 'unplugged'),
      startTimer: (ms, fire) => {
        const t = setTimeout(fire, ms);
        return () => clearTimeout(t);
      },
    });
  }

  /** Queues a frame behind any frame still waiting for its ACK. */
  send(frame: Buffer, fault: FirstAttemptFault = {}, isCard = false): Promise<SendOutcome> {
    const outcome = new Promise<SendOutcome>((resolve, reject) => {
      this.runner.send(frame, { fault, isCard, resolve, reject, written: Promise.resolve() });
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
    this.runner.ack();
  }

  onNak(): void {
    this.runner.nak();
  }

  /** The device went away: frames in flight or queued end as `unplugged`. */
  cancel(): void {
    this.runner.reset();
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
