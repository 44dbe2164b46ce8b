import type { Clock } from '../../protocol/index.js';
import { HostError } from '../host/index.js';
import { type SendAnswer } from '../queue/index.js';
import { answerOfError } from '../forwarder/index.js';
import { raceDeadline } from './deadline.js';

/** How one host call ended, from the checkout's point of view. */
export type HostCall<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'deadline' }
  | { kind: 'error'; err: HostError };

export interface CallDeadline {
  /** The POS deadline, epoch ms on `now`. */
  deadlineAt: number;
  now: Clock;
  /** Hears a failure that came after the deadline. */
  onLate: (err: unknown) => void;
}

/**
 * Runs one host call under the POS deadline. A late answer is logged by
 * `onLate` and otherwise ignored: by then the caller has already made the
 * outcome durable (e.g. queued a reversal).
 */
export async function callHost<T>(work: Promise<T>, { deadlineAt, now, onLate }: CallDeadline): Promise<HostCall<T>> {
  try {
    const r = await raceDeadline(work, deadlineAt - now(), onLate);
    return r.done ? { kind: 'ok', value: r.value } : { kind: 'deadline' };
  } catch (err) {
    if (err instanceof HostError) return { kind: 'error', err };
    // Anything else is a bug or an unexpected transport failure: treat it as "sent, no answer",
    // the outcome that forces the safe path (reversal for burns).
    return {
      kind: 'error',
      err: new HostError('HOST_ERR_PROTOCOL', 'unexpected failure talking to the host', { outcome: 'unknown', cause: err }),
    };
  }
}

/** A host call's end as the outcome table reads it: the POS deadline is "sent, no answer". */
export function answerOfCall(call: HostCall<unknown>): SendAnswer {
  if (call.kind === 'ok') return 'ok';
  return call.kind === 'deadline' ? 'unknown' : answerOfError(call.err);
}
