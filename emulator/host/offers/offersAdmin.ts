import { panFingerprint } from '../../../protocol/index.js';
import {
  createCardSchema,
  createOfferSchema,
  createPersonSchema,
  linkCardOfferSchema,
  parseBody,
  type CreateCardResponse,
  type CreateOfferResponse,
  type CreatePersonResponse,
  type LinkCardOfferResponse,
} from '../../../protocol/offers/index.js';
import { checkCard } from './cardCheck.js';
import { offersRefusal } from './offersRefusal.js';
import type { OffersStore } from './offersStore.js';
import { formatId, parseId } from './publicId.js';

/**
 * The programme side of Pay with Points: offers, persons, cards and links.
 * Each method takes the raw request body, validates it, and returns the
 * answer or throws an `OffersError` (by refusal kind: {@link offersRefusal}).
 */
export class OffersAdmin {
  constructor(
    private readonly store: OffersStore,
    private readonly hostKey: Uint8Array,
    private readonly now: () => Date,
  ) {}

  createOffer(body: unknown): CreateOfferResponse {
    const req = parseBody(createOfferSchema, body, 'POST /offers');
    return { offer_id: formatId('ofr', this.store.insertOffer(req, this.now())) };
  }

  createPerson(body: unknown): CreatePersonResponse {
    const req = parseBody(createPersonSchema, body, 'POST /persons');
    const id = this.store.insertPerson(req, this.now());
    if (id === 'duplicate') throw offersRefusal('duplicate', 'a person with this email already exists');
    return { person_id: formatId('per', id) };
  }

  /** Keeps only the keyed fingerprint and the last 4 digits: the PAN and expiry are dropped here. */
  createCard(body: unknown): CreateCardResponse {
    const req = parseBody(createCardSchema, body, 'POST /cards');
    const year = req.exp_year < 100 ? req.exp_year : req.exp_year - 2000;
    const yymm = `${String(year).padStart(2, '0')}${String(req.exp_month).padStart(2, '0')}`;
    const now = this.now();
    const { pan } = checkCard(req.pan, yymm, now, 'invalid-identifier');
    const personId = parseId('per', req.person_id);
    if (personId === undefined || !this.store.personExists(personId)) {
      throw offersRefusal('offer-not-found', 'person_id not found');
    }
    const last4 = pan.slice(-4);
    const id = this.store.insertCard(personId, panFingerprint(this.hostKey, pan), last4, now);
    if (id === 'duplicate') throw offersRefusal('duplicate', 'this card is already registered');
    return { card_id: formatId('crd', id), last4 };
  }

  linkCardOffer(cardId: string, body: unknown): LinkCardOfferResponse {
    const req = parseBody(linkCardOfferSchema, body, 'POST /cards/:id/offers');
    const card = parseId('crd', cardId);
    if (card === undefined || !this.store.cardExists(card)) throw offersRefusal('offer-not-found', 'card not found');
    const offer = parseId('ofr', req.offer_id);
    if (offer === undefined || this.store.offer(offer) === undefined) throw offersRefusal('offer-not-found', 'offer_id not found');
    const id = this.store.insertLink(card, offer, this.now());
    if (id === 'duplicate') throw offersRefusal('duplicate', 'this card is already linked to this offer');
    return { card_offer_id: formatId('cof', id) };
  }
}
