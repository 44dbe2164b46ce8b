import type { Logger } from 'pino';
import { maskPan, PosError, type CardRef } from '../../protocol/index.js';
import { CARD_INVALID_WHY, ReaderError, type CardRead, type CardSource } from '../cardSources/index.js';
import { CheckoutError } from './checkoutError.js';
import type { CardView } from './results.js';
import type { StageTimes } from './stageTimes.js';

/** Why no card came: the POS sees this as the operation's status. */
export interface NoCard {
  status: 'timeout' | 'declined' | 'unavailable';
  reason: string;
}

/** A card operation's card: the card and how the POS sees it, or why there is none. */
export type CardOutcome = { ok: true; card: CardRef; view: CardView } | ({ ok: false } & NoCard);

export interface CardOutcomeOptions {
  /** How long to wait for the card, ms. */
  timeoutMs: number;
  /** The POS went away: the read is cancelled (CHECKOUT_ERR_ABORTED). Default: none. */
  signal?: AbortSignal | undefined;
  /** Hears the `arm` and `card` stages (the POS API's Server-Timing header). Default: none. */
  stages?: StageTimes | undefined;
  /** Where a failed read is logged. */
  logger: Logger;
}

/**
 * Reads a card from `source` and turns the read, or the source's error (see `CardSource`), into the checkout's
 * card outcome: `unavailable` at once for a source that is disconnected, `timeout` for no card, `declined` for a
 * card refused at the source, `unavailable` for any other failure. A cancelled read (the POS went away) throws
 * CHECKOUT_ERR_ABORTED.
 */
export async function cardOutcome(source: CardSource, { timeoutMs, signal, stages, logger }: CardOutcomeOptions): Promise<CardOutcome> {
  // Don't keep a cashier waiting on a reader that is unplugged: say so at once.
  if (source.state === 'disconnected') return { ok: false, status: 'unavailable', reason: 'reader-disconnected' };
  let read: CardRead;
  try {
    const timed = stages ? { onArmed: () => stages.mark('arm'), onCardFrame: (at: number) => stages.startAt(at) } : {};
    read = await source.readCard({ timeoutMs, ...(signal ? { signal } : {}), ...timed });
    stages?.mark('card');
  } catch (err) {
    const code = err instanceof PosError ? err.code : 'unknown';
    switch (code) {
      case 'READER_ERR_TIMEOUT':
        return { ok: false, status: 'timeout', reason: 'no-card' };
      case 'READER_ERR_ABORTED':
        throw new CheckoutError('CHECKOUT_ERR_ABORTED', 'the POS went away; the read was cancelled', { cause: err });
      case 'READER_ERR_CARD_INVALID':
        return { ok: false, status: 'declined', reason: err instanceof ReaderError && err.reason !== undefined ? `card-invalid:${err.reason}` : 'card-invalid' };
      default:
        logger.warn({ err }, 'card read failed');
        return { ok: false, status: 'unavailable', reason: 'reader-unavailable' };
    }
  }
  return { ok: true, card: { pan: read.pan, expiry: read.expiry }, view: { pan: maskPan(read.pan), kind: read.kind } };
}

/** The reasons a card refused at its source is declined for (`card-invalid`, or with why: `card-invalid:luhn`, ...). */
export const CARD_INVALID_REASONS: ReadonlySet<string> = new Set(['card-invalid', ...CARD_INVALID_WHY.map((why) => `card-invalid:${why}`)]);
