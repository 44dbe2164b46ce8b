import { MAX_RESENDS } from './constants.js';

/** Options of {@link StopAndWait}. */
export interface StopAndWaitOptions {
  /** Silence after a write before the frame is resent, ms. Default 300. */
  ackTimeoutMs?: number;
  /** Resends after the first attempt, on NAK or silence. Default {@link MAX_RESENDS} (3). */
  maxResends?: number;
}

/**
 * What happens to a session:
 * - `send`: queue a frame; `tag` is the caller's handle for it, given back in every action about it
 * - `ack` / `nak`: the peer's answer to the frame in flight (ignored when none is)
 * - `timeout`: the timer of the last `startTimer` fired
 * - `reset`: the line went away; everything in flight or queued is cancelled
 */
export type StopAndWaitEvent<T> =
  | { kind: 'send'; frame: Uint8Array; tag: T }
  | { kind: 'ack' }
  | { kind: 'nak' }
  | { kind: 'timeout' }
  | { kind: 'reset' };

/** How a frame's send ended. `attempts` counts writes, the first included; `naks` the NAKs it got. */
export interface SendEnd<T> {
  tag: T;
  attempts: number;
  naks: number;
}

/**
 * What the shell must do, in order:
 * - `write`: put `bytes` on the line (`attempt` 1 is the first try)
 * - `startTimer`: (re)start the one ACK timer for `ms`, replacing any running one
 * - `stopTimer`: cancel it
 * - `delivered`: the frame was ACKed
 * - `failed`: no ACK after the first attempt and `maxResends` resends
 * - `cancelled`: a `reset` ended the frame before an ACK
 */
export type StopAndWaitAction<T> =
  | { kind: 'write'; tag: T; bytes: Uint8Array; attempt: number }
  | { kind: 'startTimer'; ms: number }
  | { kind: 'stopTimer' }
  | ({ kind: 'delivered' } & SendEnd<T>)
  | ({ kind: 'failed' } & SendEnd<T>)
  | ({ kind: 'cancelled' } & SendEnd<T>);

interface Outstanding<T> {
  frame: Uint8Array;
  tag: T;
  attempts: number;
  naks: number;
}

/**
 * The ACK/NAK stop-and-wait session of the framed profile, on either end of
 * the line: frames go out one at a time, each waits for ACK and is resent
 * on NAK or after `ackTimeoutMs` of silence, at most `maxResends` times.
 * One frame is in flight at a time, so an ACK is never ambiguous.
 *
 * Pure: it owns no timer and does no I/O. Each event returns the actions
 * the caller's shell carries out (a real timer, a port write, a promise).
 */
export class StopAndWait<T> {
  private readonly ackTimeoutMs: number;
  private readonly maxResends: number;
  private readonly queue: Outstanding<T>[] = [];
  private current: Outstanding<T> | undefined;

  constructor(opts: StopAndWaitOptions = {}) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 300;
    this.maxResends = opts.maxResends ?? MAX_RESENDS;
  }

  /** True while a frame waits for its ACK. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Frames queued behind the one in flight. */
  get queued(): number {
    return this.queue.length;
  }

  handle(event: StopAndWaitEvent<T>): StopAndWaitAction<T>[] {
    const out: StopAndWaitAction<T>[] = [];
    switch (event.kind) {
      case 'send':
        this.queue.push({ frame: event.frame, tag: event.tag, attempts: 0, naks: 0 });
        if (!this.current) this.next(out);
        break;
      case 'ack':
        if (this.current) this.end(this.current, 'delivered', out);
        break;
      case 'nak':
        if (this.current) {
          this.current.naks++;
          this.retry(this.current, out);
        }
        break;
      case 'timeout':
        if (this.current) this.retry(this.current, out);
        break;
      case 'reset':
        this.reset(out);
        break;
    }
    return out;
  }

  private next(out: StopAndWaitAction<T>[]): void {
    this.current = this.queue.shift();
    if (this.current) this.transmit(this.current, out);
  }

  private transmit(job: Outstanding<T>, out: StopAndWaitAction<T>[]): void {
    job.attempts++;
    out.push({ kind: 'write', tag: job.tag, bytes: job.frame, attempt: job.attempts });
    out.push({ kind: 'startTimer', ms: this.ackTimeoutMs });
  }

  private retry(job: Outstanding<T>, out: StopAndWaitAction<T>[]): void {
    if (job.attempts > this.maxResends) this.end(job, 'failed', out);
    else this.transmit(job, out);
  }

  private end(job: Outstanding<T>, kind: 'delivered' | 'failed', out: StopAndWaitAction<T>[]): void {
    this.current = undefined;
    out.push({ kind: 'stopTimer' });
    out.push({ kind, tag: job.tag, attempts: job.attempts, naks: job.naks });
    this.next(out);
  }

  private reset(out: StopAndWaitAction<T>[]): void {
    const jobs = this.current ? [this.current, ...this.queue] : [...this.queue];
    if (this.current) out.push({ kind: 'stopTimer' });
    this.current = undefined;
    this.queue.length = 0;
    for (const j of jobs) out.push({ kind: 'cancelled', tag: j.tag, attempts: j.attempts, naks: j.naks });
  }
}
