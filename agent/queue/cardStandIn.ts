import type Database from 'better-sqlite3';
import type { CardRef, Clock } from '../../protocol/index.js';
import type { CardRefusal } from '../../protocol/loyalty/index.js';
import type { CardCipher } from './cardCipher.js';
import type { CardMemory } from './cardMemory.js';
import type { Admission } from './operationIntake.js';
import { offlineRefusal, type OfflineLimits, type OfflineRefusal } from './offlineLimits.js';
import type { PosRef, QueuedOperation } from './queueTypes.js';
import type { QueueView } from './queueView.js';
import { balanceStandInRefusal, cardStandInRefusal } from './standIn.js';

export type OfflineBurnResult = { ok: true; op: QueuedOperation } | { ok: false; reason: OfflineRefusal };

/** The parts of the queue the stand-in reads and writes through. */
export interface StandInParts {
  db: Database.Database;
  cipher: CardCipher;
  memory: CardMemory;
  view: QueueView;
  now: Clock;
  /** The queue's offline limits as they stand (a technician's config reload changes them). */
  limits: () => OfflineLimits;
  /** The queue's write: refused once closed, storage failures typed. */
  write: <T>(fn: () => T) => T;
  /** Accepts an operation in the write in progress (and wakes the forwarder after the commit). */
  accept: (a: Admission) => QueuedOperation;
}

/**
 * What this terminal knows of a card, asked by card (the fingerprint is
 * worked out here, never by a caller): its work still to land on the host,
 * its last known balance and refusal (CardMemory), and the offline burn
 * decided on them (DESIGN.md, "Offline stand-in").
 */
export class CardStandIn {
  readonly #p: StandInParts;

  constructor(parts: StandInParts) {
    this.#p = parts;
  }

  /** This card's earnings, refunds and reversals due or in flight (a burn may let them land first, never waits on them). */
  dueCredits(card: CardRef): number[] {
    return this.#p.view.dueCredits(this.#fp(card), this.#p.now());
  }

  /** Points the host will still take from this card (rule 9: offline burns, earn reversals): a new burn decides on the balance less these. */
  pendingDebits(card: CardRef): number {
    return this.#p.view.pendingDebits(this.#fp(card));
  }

  /** True when `card` is the card of queue record `id` (same keyed fingerprint). */
  sameCard(card: CardRef, id: number): boolean {
    return this.#p.view.cardFingerprintOf(id) === this.#fp(card);
  }

  /**
   * Why the offline stand-in declines this card whatever the operation (an
   * offline earning, as an offline burn): its expiry has passed by the
   * terminal's clock, or the host refused it online. Null: nothing known against it.
   */
  cardRefusal(card: CardRef): CardRefusal | null {
    return cardStandInRefusal(card.expiry, this.#p.memory.get(this.#fp(card)), this.#p.now())?.decline ?? null;
  }

  /** The host answered a balance enquiry for the card: its available points, for the offline stand-in. Durable on return. */
  rememberBalance(card: CardRef, points: number): void {
    this.#p.write(() => this.#p.memory.balance(this.#fp(card), points, this.#p.now()));
  }

  /** The host refused the card itself online (unknown, expired): declined offline for the same reason. Durable on return. */
  rememberRefusal(card: CardRef, reason: CardRefusal): void {
    this.#p.write(() => this.#p.memory.refused(this.#fp(card), reason, this.#p.now()));
  }

  /**
   * Checks the offline stand-in (what the terminal knows of the card, and
   * its pending debits) and the offline limits, and, if the burn fits,
   * queues it: all in one immediate transaction, so concurrent callers cannot overshoot.
   */
  tryEnqueueOfflineBurn(input: { card: CardRef; payload: { points: number }; transactionId?: string; ref?: PosRef }): OfflineBurnResult {
    const { db, view, memory } = this.#p;
    return this.#p.write(() =>
      db
        .transaction((): OfflineBurnResult => {
          const now = this.#p.now();
          const fp = this.#fp(input.card);
          const standing = memory.get(fp);
          const limits = this.#p.limits();
          const reason =
            cardStandInRefusal(input.card.expiry, standing, now) ??
            offlineRefusal(limits, view.offlineExposure(), input.payload.points, now) ??
            balanceStandInRefusal(limits, standing, view.pendingDebits(fp) + view.unresolvedBurns(fp), input.payload.points, now);
          if (reason !== null) return { ok: false, reason };
          const op = this.#p.accept({ ...input, kind: 'burn', payload: { points: input.payload.points }, state: 'pending', offline: true, points: input.payload.points });
          return { ok: true, op };
        })
        .immediate(),
    );
  }

  #fp(card: CardRef): string {
    return this.#p.cipher.fingerprint(card.pan);
  }
}
