import type { IdentifierKind } from '../../protocol/loyalty/index.js';
import type { Pan, Yymm } from '../../protocol/index.js';

/** A card as a source read it. Track data itself is never kept. */
export interface CardRead {
  pan: Pan;
  expiry: Yymm;
  /** Always `card` for a swipe; kept so the POS API can echo it. */
  kind: IdentifierKind;
}

export interface ReadCardOptions {
  /** How long to wait for a card, ms. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once the source is ready for the card: the arm command written to a serial reader, or at once for a source that takes no commands. */
  onArmed?: () => void;
  /** Called, just before the read resolves with a card, with when the card's first byte came in (`performance.now()`). */
  onCardFrame?: (startedAt: number) => void;
}

/** Whether the source can give a card now; `disconnected` answers a card operation at once (`reader-disconnected`). */
export type CardSourceState = 'connected' | 'disconnected';

/**
 * Where a card comes from: all the checkout flows need of it (agent/checkout, `CheckoutDeps.reader`).
 * The serial reader driver (`serial/`) is one implementation; another source (the POS app, another transport) is
 * a folder beside it that implements this, wired in agent/composeAgent.ts.
 *
 * `readCard` resolves with the card, and leaves the source idle again whatever the outcome (a serial reader is
 * disarmed). It rejects with a `ReaderError` (./readerError.ts), which the checkout turns into its answer:
 * - `READER_ERR_TIMEOUT`: no card within `timeoutMs` → `timeout`, `no-card`;
 * - `READER_ERR_ABORTED`: `signal` fired (the POS went away) → the operation is cancelled;
 * - `READER_ERR_CARD_INVALID`, with its `reason` (`luhn`, `expiry`, `format`) → `declined`, `card-invalid:<reason>`;
 * - anything else (`READER_ERR_DISCONNECTED`, ...) → `unavailable`, `reader-unavailable`.
 */
export interface CardSource {
  readCard(opts: ReadCardOptions): Promise<CardRead>;
  readonly state: CardSourceState;
}
