import type Database from 'better-sqlite3';
import type { CardRefusal } from '../../protocol/loyalty/index.js';
import type { CardCipher } from './cardCipher.js';

/** What this terminal last learnt of a card while the host answered (DESIGN.md, "Offline stand-in"). */
export interface CardStanding {
  /** The card's available points by its last online balance or burn answer, and when (epoch ms); null: none known. */
  balance: { points: number; at: number } | null;
  /** The host's last refusal of the card itself while online, and when; null once it answered for the card again. */
  refusal: { reason: CardRefusal; at: number } | null;
}

const NOTHING: CardStanding = Object.freeze({ balance: null, refusal: null });

/**
 * The card memory of the offline stand-in: one row per card, keyed by the
 * keyed card fingerprint (never the PAN), its content sealed with the queue
 * key (AES-256-GCM, the fingerprint as additional data, so a row moved to
 * another card does not open). Written inside the transactions the queue
 * opens: a burn's answer lands in the same commit as the burn's settle.
 * Pruned with retention; survives a restart; forgotten by a rekey.
 */
export class CardMemory {
  readonly #cipher: CardCipher;
  readonly #s;

  constructor(db: Database.Database, cipher: CardCipher) {
    this.#cipher = cipher;
    this.#s = {
      get: db.prepare<[string], { blob: Buffer }>(`SELECT blob FROM card_memory WHERE card_fp = ?`),
      put: db.prepare<[string, Buffer, number]>(
        `INSERT INTO card_memory (card_fp, blob, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (card_fp) DO UPDATE SET blob = excluded.blob, updated_at = excluded.updated_at`,
      ),
      prune: db.prepare<[number]>(`DELETE FROM card_memory WHERE updated_at < ?`),
    };
  }

  /** What is known of the card with fingerprint `fp` (nothing, for a card never seen online here, or one that does not open). */
  get(fp: string): CardStanding {
    const row = this.#s.get.get(fp);
    if (!row) return NOTHING;
    try {
      return JSON.parse(this.#cipher.openData(row.blob, label(fp), 'card memory')) as CardStanding;
    } catch {
      return NOTHING; // sealed under another key, or damaged: as if never seen (the careful side)
    }
  }

  /**
   * The host answered for the card at `at` with its available points: the balance to stand in on, and no
   * refusal. An answer older than what is known already is ignored (outcomes may be committed out of order).
   */
  balance(fp: string, points: number, at: number): void {
    if (this.#knownAfter(fp, at)) return;
    this.#put(fp, { balance: { points, at }, refusal: null }, at);
  }

  /**
   * An answer that may be a replay of an earlier one (a resend's): its balance may be older than the one known,
   * so it only lowers a known balance, and never stands for one where none is known.
   */
  lowerBalance(fp: string, points: number, at: number): void {
    const known = this.get(fp);
    if (known.balance === null || known.balance.points <= points) return;
    this.#put(fp, { balance: { points, at: Math.max(at, known.balance.at) }, refusal: known.refusal }, Math.max(at, known.balance.at));
  }

  /** A burn of `points` the host applied, with no balance in its answer: the known balance, if any, less them. */
  spent(fp: string, points: number, at: number): void {
    const known = this.get(fp);
    if (known.balance === null) return;
    this.lowerBalance(fp, Math.max(0, known.balance.points - points), at);
  }

  /** The host refused the card itself (unknown, expired) at `at`: declined offline for the same reason from now on. */
  refused(fp: string, reason: CardRefusal, at: number): void {
    if (this.#knownAfter(fp, at)) return;
    this.#put(fp, { balance: null, refusal: { reason, at } }, at);
  }

  /** Forgets cards not heard of since `cutoff` (retention). Returns how many. */
  prune(cutoff: number): number {
    return this.#s.prune.run(cutoff).changes;
  }

  #knownAfter(fp: string, at: number): boolean {
    const known = this.get(fp);
    return (known.balance?.at ?? -Infinity) > at || (known.refusal?.at ?? -Infinity) > at;
  }

  #put(fp: string, standing: CardStanding, now: number): void {
    this.#s.put.run(fp, this.#cipher.sealData(JSON.stringify(standing), label(fp)), now);
  }
}

function label(fp: string): string {
  return `pos-agent-card-memory:${fp}`;
}
