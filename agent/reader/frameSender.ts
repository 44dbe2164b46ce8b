import { StopAndWait, type StopAndWaitAction } from '../../protocol/reader/index.js';

/** How a send ended: acknowledged, given up after the resends, or cut by a disconnect. */
export type SendResult = 'ack' | 'failed' | 'reset';

type Resolve = (r: SendResult) => void;

/**
 * The driver's shell around the {@link StopAndWait} session: a real timer and
 * the port. Frames go out one at a time; each waits for its ACK and is resent
 * up to 3 times on NAK or silence (`ackTimeoutMs`).
 */
export class FrameSender {
  private readonly session: StopAndWait<Resolve>;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param write puts bytes on the line
   * @param ackTimeoutMs silence after which a frame is resent; default 300 ms
   */
  constructor(
    private readonly write: (bytes: Uint8Array) => void,
    ackTimeoutMs = 300,
  ) {
    this.session = new StopAndWait({ ackTimeoutMs });
  }

  get busy(): boolean {
    return this.session.busy;
  }

  send(frame: Uint8Array): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => this.run(this.session.handle({ kind: 'send', frame, tag: resolve })));
  }

  onAck(): void {
    this.run(this.session.handle({ kind: 'ack' }));
  }

  onNak(): void {
    this.run(this.session.handle({ kind: 'nak' }));
  }

  /** Fails everything in flight (the line went away). */
  reset(): void {
    this.run(this.session.handle({ kind: 'reset' }));
  }

  private run(actions: StopAndWaitAction<Resolve>[]): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'write':
          this.write(a.bytes);
          break;
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
          a.tag('ack');
          break;
        case 'failed':
          a.tag('failed');
          break;
        case 'cancelled':
          a.tag('reset');
          break;
      }
    }
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
