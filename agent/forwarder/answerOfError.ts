import { HostError } from '../host/index.js';
import type { SendAnswer } from '../queue/index.js';

/** A host call's failure as a {@link SendAnswer}. Anything that is not a HostError counts as "sent, no usable answer". */
export function answerOfError(err: unknown): SendAnswer {
  if (!(err instanceof HostError)) return 'unknown';
  switch (err.outcome) {
    case 'rejected':
      if (err.refusal === 'duplicate') return 'duplicate';
      if (err.refusal === 'original-not-found') return 'original-not-found';
      return 'rejected';
    case 'not-sent':
    case 'unknown':
    case 'failed':
      return err.outcome;
  }
}
