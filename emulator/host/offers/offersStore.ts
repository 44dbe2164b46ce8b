import type { Database, Statement } from 'better-sqlite3';
import type { CreateOfferRequest, CreatePersonRequest, OfferSpec } from '../../../protocol/offers/index.js';
import { ensureOffersSchema } from './offersSchema.js';

/** An offer as stored, with its row id and merchant. */
export interface StoredOffer extends OfferSpec {
  id: number;
  merchant_id: string;
}

/** A card offer (link) with what the terminal endpoints need to decide on it. */
export interface StoredCardOffer {
  id: number;
  fingerprint: string;
  last4: string;
  offer: StoredOffer;
  /** Redemptions recorded so far for this link, less the reversed ones. */
  redemptions: number;
}

/** A recorded redemption. */
export interface StoredRedemption {
  id: number;
  card_offer_id: number;
  request_mac: string;
  amount: number;
  benefit: number;
  type: OfferSpec['type'];
}

/** A redemption with where it was made, as a reversal checks it. */
export interface RedemptionRecord extends StoredRedemption {
  merchant_id: string;
  terminal_id: string;
  transaction_id: string;
}

/** A recorded reversal of a redemption. */
export interface StoredRedemptionReversal {
  redemption_id: number;
  transaction_id: string;
}

/** A new redemption to record. */
export interface NewRedemption {
  card_offer_id: number;
  merchant_id: string;
  terminal_id: string;
  transaction_id: string;
  request_mac: string;
  amount: number;
  benefit: number;
  type: OfferSpec['type'];
}

interface OfferRow {
  id: number;
  merchant_id: string;
  name: string;
  description: string;
  type: OfferSpec['type'];
  value: number;
  value_type: OfferSpec['value_type'];
  min_spend: number | null;
  start_date: string | null;
  end_date: string | null;
  activation_limit: number | null;
}

type LinkRow = OfferRow & { link_id: number; fingerprint: string; last4: string; redemptions: number };

function toOffer(r: OfferRow): StoredOffer {
  const o: StoredOffer = {
    id: r.id,
    merchant_id: r.merchant_id,
    name: r.name,
    description: JSON.parse(r.description) as string[],
    type: r.type,
    value: r.value,
    value_type: r.value_type,
  };
  if (r.min_spend !== null) o.min_spend = r.min_spend;
  if (r.start_date !== null) o.start_date = r.start_date;
  if (r.end_date !== null) o.end_date = r.end_date;
  if (r.activation_limit !== null) o.activation_limit = r.activation_limit;
  return o;
}

function toLink(r: LinkRow): StoredCardOffer {
  return { id: r.link_id, fingerprint: r.fingerprint, last4: r.last4, redemptions: r.redemptions, offer: toOffer(r) };
}

const LINK_SELECT = `SELECT o.*, co.id AS link_id, c.fingerprint, c.last4,
  (SELECT COUNT(*) FROM offers_redemptions r WHERE r.card_offer_id = co.id
    AND NOT EXISTS (SELECT 1 FROM offers_redemption_reversals v WHERE v.redemption_id = r.id)) AS redemptions
  FROM offers_card_offers co JOIN offers_cards c ON c.id = co.card_id JOIN offers_offers o ON o.id = co.offer_id`;

/**
 * The Pay with Points store on the host's better-sqlite3 database. Every
 * statement is prepared once. Inserts that hit a uniqueness rule return
 * `'duplicate'` instead of throwing.
 */
export class OffersStore {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Database) {
    ensureOffersSchema(db);
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      insertOffer: p(`INSERT INTO offers_offers (merchant_id, name, description, type, value, value_type, min_spend,
        start_date, end_date, activation_limit, fixture_key, created_at)
        VALUES (@merchant_id, @name, @description, @type, @value, @value_type, @min_spend, @start_date, @end_date,
        @activation_limit, @fixture_key, @created_at)`),
      offerByFixture: p('SELECT id FROM offers_offers WHERE fixture_key = ?'),
      offer: p('SELECT * FROM offers_offers WHERE id = ?'),
      insertPerson: p(`INSERT INTO offers_persons (first_name, last_name, email, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (email) DO NOTHING`),
      personByEmail: p('SELECT id FROM offers_persons WHERE email = ?'),
      person: p('SELECT id FROM offers_persons WHERE id = ?'),
      insertCard: p(`INSERT INTO offers_cards (person_id, fingerprint, last4, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (fingerprint) DO NOTHING`),
      cardByFingerprint: p('SELECT id FROM offers_cards WHERE fingerprint = ?'),
      card: p('SELECT id FROM offers_cards WHERE id = ?'),
      insertLink: p(`INSERT INTO offers_card_offers (card_id, offer_id, created_at) VALUES (?, ?, ?)
        ON CONFLICT (card_id, offer_id) DO NOTHING`),
      linksByFingerprint: p(`${LINK_SELECT} WHERE c.fingerprint = ? ORDER BY co.id`),
      link: p(`${LINK_SELECT} WHERE co.id = ?`),
      redemption: p(`SELECT id, card_offer_id, request_mac, amount, benefit, type FROM offers_redemptions
        WHERE merchant_id = ? AND terminal_id = ? AND transaction_id = ?`),
      insertRedemption: p(`INSERT INTO offers_redemptions (card_offer_id, merchant_id, terminal_id, transaction_id,
        request_mac, amount, benefit, type, created_at) VALUES (@card_offer_id, @merchant_id, @terminal_id,
        @transaction_id, @request_mac, @amount, @benefit, @type, @created_at)`),
      redemptionById: p(`SELECT id, card_offer_id, request_mac, amount, benefit, type, merchant_id, terminal_id, transaction_id
        FROM offers_redemptions WHERE id = ?`),
      reversalByTransaction: p('SELECT redemption_id, transaction_id FROM offers_redemption_reversals WHERE transaction_id = ?'),
      reversalOfRedemption: p('SELECT redemption_id, transaction_id FROM offers_redemption_reversals WHERE redemption_id = ?'),
      insertReversal: p('INSERT INTO offers_redemption_reversals (redemption_id, transaction_id, created_at) VALUES (?, ?, ?)'),
    };
  }

  private st(name: string): Statement {
    const s = this.s[name];
    if (s === undefined) throw new Error(`offers store: no statement ${name}`);
    return s;
  }

  /** Adds an offer; with a `fixtureKey` it is added only once (returns the existing id). */
  insertOffer(req: CreateOfferRequest, at: Date, fixtureKey?: string): number {
    if (fixtureKey !== undefined) {
      const found = this.st('offerByFixture').get(fixtureKey) as { id: number } | undefined;
      if (found) return found.id;
    }
    const o = req.offer;
    const info = this.st('insertOffer').run({
      merchant_id: req.merchant_id, name: o.name, description: JSON.stringify(o.description), type: o.type,
      value: o.value, value_type: o.value_type, min_spend: o.min_spend ?? null, start_date: o.start_date ?? null,
      end_date: o.end_date ?? null, activation_limit: o.activation_limit ?? null, fixture_key: fixtureKey ?? null,
      created_at: at.toISOString(),
    });
    return Number(info.lastInsertRowid);
  }

  offer(id: number): StoredOffer | undefined {
    const r = this.st('offer').get(id) as OfferRow | undefined;
    return r ? toOffer(r) : undefined;
  }

  insertPerson(p: CreatePersonRequest, at: Date): number | 'duplicate' {
    const info = this.st('insertPerson').run(p.first_name, p.last_name, p.email, at.toISOString());
    return info.changes === 0 ? 'duplicate' : Number(info.lastInsertRowid);
  }

  personIdByEmail(email: string): number | undefined {
    return (this.st('personByEmail').get(email) as { id: number } | undefined)?.id;
  }

  personExists(id: number): boolean {
    return this.st('person').get(id) !== undefined;
  }

  insertCard(personId: number, fingerprint: string, last4: string, at: Date): number | 'duplicate' {
    const info = this.st('insertCard').run(personId, fingerprint, last4, at.toISOString());
    return info.changes === 0 ? 'duplicate' : Number(info.lastInsertRowid);
  }

  cardIdByFingerprint(fingerprint: string): number | undefined {
    return (this.st('cardByFingerprint').get(fingerprint) as { id: number } | undefined)?.id;
  }

  cardExists(id: number): boolean {
    return this.st('card').get(id) !== undefined;
  }

  insertLink(cardId: number, offerId: number, at: Date): number | 'duplicate' {
    const info = this.st('insertLink').run(cardId, offerId, at.toISOString());
    return info.changes === 0 ? 'duplicate' : Number(info.lastInsertRowid);
  }

  /** Every card offer of the card with this fingerprint, oldest link first. */
  linksForFingerprint(fingerprint: string): StoredCardOffer[] {
    return (this.st('linksByFingerprint').all(fingerprint) as LinkRow[]).map(toLink);
  }

  link(id: number): StoredCardOffer | undefined {
    const r = this.st('link').get(id) as LinkRow | undefined;
    return r ? toLink(r) : undefined;
  }

  redemption(merchantId: string, terminalId: string, transactionId: string): StoredRedemption | undefined {
    return this.st('redemption').get(merchantId, terminalId, transactionId) as StoredRedemption | undefined;
  }

  insertRedemption(r: NewRedemption, at: Date): number {
    return Number(this.st('insertRedemption').run({ ...r, created_at: at.toISOString() }).lastInsertRowid);
  }

  redemptionById(id: number): RedemptionRecord | undefined {
    return this.st('redemptionById').get(id) as RedemptionRecord | undefined;
  }

  /** The reversal recorded under this transactionId, if any. */
  reversalByTransaction(transactionId: string): StoredRedemptionReversal | undefined {
    return this.st('reversalByTransaction').get(transactionId) as StoredRedemptionReversal | undefined;
  }

  /** The reversal of this redemption, if it was reversed. */
  reversalOfRedemption(redemptionId: number): StoredRedemptionReversal | undefined {
    return this.st('reversalOfRedemption').get(redemptionId) as StoredRedemptionReversal | undefined;
  }

  insertReversal(redemptionId: number, transactionId: string, at: Date): void {
    this.st('insertReversal').run(redemptionId, transactionId, at.toISOString());
  }

  /** Runs `fn` in one IMMEDIATE transaction (check-then-insert stays atomic). */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
