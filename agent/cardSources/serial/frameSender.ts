import { StopAndWaitRunner } from '../../../protocol/reader/index.js';

/** How a send ended: acknowledged, given up after the resends, or cut by a disconnect. */
export type SendResult = 'ack' | 'failed' | 'reset';

type Resolve = (r: SendResult) => void;

/**
 * The driver's shell around the stop-and-wait session ({@link StopAndWaitRunner}):
 * a real timer and the port. Frames go out one at a time; each waits for its ACK and is resent
 * up to 3 times on NAK or silence (`ackTimeoutMs`).
 */
export class FrameSender {
  private readonly runner: StopAndWaitRunner<Resolve>;

  /**
   * @param write puts bytes on the line
   * @param ackTimeoutMs silence after which a frame is resent; default 300 ms
   */
  constructor(write: (bytes: Uint8Array) => void, ackTimeoutMs = 300) {
    this.runner = new StopAndWaitRunner<Resolve>({ ackTimeoutMs }, {
      write: (bytes) => write(bytes),
      end: (how, end) => end.tag(how === 'delivered' ? 'ack' : how === 'failed' ? 'failed' : 'reset'),
      startTimer: (ms, fire) => {
        const t = setTimeout(fire, ms);
        return () => clearTimeout(t);
      },
    });
  }

  get busy(): boolean {
    return this.runner.busy;
  }

  send(frame: Uint8Array): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => this.runner.send(frame, resolve));
  }

  onAck(): void {
    this.runner.ack();
  }

  onNak(): void {
    this.runner.nak();
  }

  /** Fails everything in flight (the line went away). */
  reset(): void {
    this.runner.reset();
  }
}
