import { reasonText } from '../stack/index.js';

/** One figure of a console view: what happened, in words, and how often. */
export interface FigureRow {
  words: string;
  count: number;
}

/** One part of a POS answer that the POS heard as a no. */
export interface HeardNo {
  /** What was refused, in words: `Redemption`, `Earning`, `Offer`, `Checkout`, `Balance`, `Void`, `Return`. */
  what: string;
  status: 'declined' | 'unavailable' | 'timeout';
  /** The answer's stable reason code (`insufficient-points`, `host-unreachable`...), or '' when it gave none. */
  reason: string;
}

/** The console's POS calls whose answers can be a no, and what each is called. */
const WHAT: Readonly<Record<string, string>> = { redeem: 'Redemption', earn: 'Earning', checkout: 'Checkout', balance: 'Balance', void: 'Void', return: 'Return' };
const STATUS_WORDS: Readonly<Record<HeardNo['status'], string>> = { declined: 'declined', unavailable: 'not available', timeout: 'not done in time' };

const isNo = (s: unknown): s is HeardNo['status'] => s === 'declined' || s === 'unavailable' || s === 'timeout';

/**
 * The parts of one answer the console relayed to the POS that the POS heard
 * as a no (status declined, unavailable or timeout): the answer itself, or,
 * for a checkout, each of its steps (offer, redemption, earning). An error
 * answer (4xx, 5xx: reader busy, bad request) is no answer, so no refusal.
 */
export function heardNo(op: string, httpStatus: number, body: Readonly<Record<string, unknown>>): HeardNo[] {
  const what = WHAT[op];
  if (what === undefined || httpStatus >= 400) return [];
  const out: HeardNo[] = [];
  const add = (name: string, part: unknown): void => {
    if (typeof part !== 'object' || part === null) return;
    const { status, reason } = part as { status?: unknown; reason?: unknown };
    if (isNo(status)) out.push({ what: name, status, reason: typeof reason === 'string' ? reason : '' });
  };
  if (op === 'checkout' && typeof body.amountDue === 'number') {
    add('Offer', body.offer);
    add('Redemption', body.redemption);
    add('Earning', body.earning);
  } else {
    add(what, body);
  }
  return out;
}

/** A refusal in the cashier's words: "Redemption declined: not enough points on the card". */
export function heardNoWords(n: HeardNo): string {
  return `${n.what} ${STATUS_WORDS[n.status]}: ${reasonText(n.reason)}`;
}

/** The console's count of what the POS heard as a no, over every answer it relayed since it started. */
export class HeardNoTally {
  readonly #rows = new Map<string, FigureRow>();

  /** Counts the refusals in one relayed answer. */
  add(op: string, httpStatus: number, body: Readonly<Record<string, unknown>>): void {
    for (const n of heardNo(op, httpStatus, body)) {
      const key = `${n.what} ${n.status}:${n.reason}`;
      const row = this.#rows.get(key);
      if (row) row.count++;
      else this.#rows.set(key, { words: heardNoWords(n), count: 1 });
    }
  }

  /** The refusals by what and why, most first. */
  view(): FigureRow[] {
    return [...this.#rows.values()].map((r) => ({ ...r })).sort((a, b) => b.count - a.count || a.words.localeCompare(b.words));
  }
}
