import { panFingerprint } from '../../../protocol/index.js';
import type { Fixtures } from '../fixtures.js';
import type { OffersStore } from './offersStore.js';

/**
 * Seeds the fixtures' offers and card links, idempotently (a file database
 * reopened with the same fixtures gains nothing new):
 * - each `fixtures.offers[i]` becomes an offer keyed `fixture:offer:i`;
 * - each card with `linkedOffers` gets a person (`<name>@fixtures.invalid`),
 *   a card (fingerprint and last 4 only) and a link to each of those offers.
 * Cards without linked offers are not registered, so tools can enroll them
 * through `POST /cards` as a real programme would.
 */
export function seedOfferFixtures(store: OffersStore, fixtures: Fixtures, hostKey: Uint8Array, at: Date): void {
  store.atomically(() => {
    const offerIds = fixtures.offers.map((o, i) => {
      const { merchant_id, ...offer } = o;
      return store.insertOffer({ merchant_id, offer }, at, `fixture:offer:${i}`);
    });
    for (const card of fixtures.cards) {
      if (card.linkedOffers.length === 0) continue;
      const email = `${card.name}@fixtures.invalid`;
      const [last, first] = card.holder.split('/');
      const inserted = store.insertPerson({ first_name: first || card.name, last_name: last || card.name, email }, at);
      const personId = inserted === 'duplicate' ? store.personIdByEmail(email) : inserted;
      if (personId === undefined) throw new Error(`offers fixtures: person for card "${card.name}" vanished`);
      const fingerprint = panFingerprint(hostKey, card.pan);
      const cardRow = store.insertCard(personId, fingerprint, card.pan.slice(-4), at);
      const cardId = cardRow === 'duplicate' ? store.cardIdByFingerprint(fingerprint) : cardRow;
      if (cardId === undefined) throw new Error(`offers fixtures: card "${card.name}" vanished`);
      for (const index of card.linkedOffers) {
        const offerId = offerIds[index];
        if (offerId === undefined) {
          throw new Error(`offers fixtures: card "${card.name}" links offer ${index}, but there are ${offerIds.length} offers`);
        }
        store.insertLink(cardId, offerId, at);
      }
    }
  });
}
