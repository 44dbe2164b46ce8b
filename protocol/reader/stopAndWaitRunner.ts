import { StopAndWait, type SendEnd, type StopAndWaitAction, type StopAndWaitOptions } from './stopAndWait.js';

/** What a {@link StopAndWaitRunner} does with the session's actions. The timer is injected: protocol/ owns none. */
export interface StopAndWaitPorts<T> {
  /** Put a frame's bytes on the line (`attempt` 1 is the first try). */
  write(bytes: Uint8Array, attempt: number, tag: T): void;
  /** A frame's send ended: ACKed (`delivered`), given up (`failed`) or cut by a reset (`cancelled`). */
  end(how: 'delivered' | 'failed' | 'cancelled', end: SendEnd<T>): void;
  /** Start a one-shot timer; returns the function that cancels it. */
  startTimer(ms: number, fire: () => void): () => void;
}

/**
 * Carries out the {@link StopAndWait} session's actions through injected
 * ports: the one timer, the writes and the ends. The agent's driver and the
 * reader emulator each give it a real timer and their line.
 */
export class StopAndWaitRunner<T> {
  readonly #session: StopAndWait<T>;
  readonly #ports: StopAndWaitPorts<T>;
  #cancelTimer: (() => void) | undefined;

  constructor(opts: StopAndWaitOptions, ports: StopAndWaitPorts<T>) {
    this.#session = new StopAndWait(opts);
    this.#ports = ports;
  }

  /** A frame is in flight or queued. */
  get busy(): boolean {
    return this.#session.busy;
  }

  send(frame: Uint8Array, tag: T): void {
    this.#run(this.#session.handle({ kind: 'send', frame, tag }));
  }

  ack(): void {
    this.#run(this.#session.handle({ kind: 'ack' }));
  }

  nak(): void {
    this.#run(this.#session.handle({ kind: 'nak' }));
  }

  /** The line went away: everything in flight or queued ends `cancelled`. */
  reset(): void {
    this.#run(this.#session.handle({ kind: 'reset' }));
  }

  #run(actions: StopAndWaitAction<T>[]): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'write':
          this.#ports.write(a.bytes, a.attempt, a.tag);
          break;
        case 'startTimer':
          this.#stopTimer();
          this.#cancelTimer = this.#ports.startTimer(a.ms, () => {
            this.#cancelTimer = undefined;
            this.#run(this.#session.handle({ kind: 'timeout' }));
          });
          break;
        case 'stopTimer':
          this.#stopTimer();
          break;
        default:
          this.#ports.end(a.kind, { tag: a.tag, attempts: a.attempts, naks: a.naks });
      }
    }
  }

  #stopTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }
}
