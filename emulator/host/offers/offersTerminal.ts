import { createHmac } from 'node:crypto';
import { panFingerprint } from '../../../protocol/index.js';
import type { RefusalKind } from '../../../protocol/loyalty/index.js';
import {
  offerAvailability,
  parseBody,
  terminalOffersSchema,
  terminalRedeemSchema,
  terminalRedemptionReversalSchema,
  utcDay,
  type CardOfferRedeemedData,
  type CardOfferRedemptionReversedData,
  type TerminalOffer,
  type TerminalOffersResponse,
  type TerminalRedeemResponse,
  type TerminalRedemptionReversalResponse,
} from '../../../protocol/offers/index.js';
import { checkCard } from './cardCheck.js';
import { offersRefusal } from './offersRefusal.js';
import type { OffersStore, StoredOffer } from './offersStore.js';
import { formatId, parseId } from './publicId.js';

/** Why an offer is not available here and now → the refusal kind the terminal is answered with. */
const REASON_KIND: Record<'not-started' | 'ended' | 'below-min-spend' | 'limit-reached', RefusalKind> = {
  'not-started': 'offer-unavailable',
  ended: 'offer-unavailable',
  'below-min-spend': 'below-minimum-spend',
  'limit-reached': 'offer-limit-reached',
};

export interface OffersTerminalOptions {
  hostKey: Uint8Array;
  now: () => Date;
  /** Pay with Points merchant id → terminal merchantId (DESIGN.md Fixtures: 58725 → IBP000000000162). */
  merchantAliases: Record<string, string>;
  /** Called after a new redemption is committed (not on replays). */
  onRedeemed?: (data: CardOfferRedeemedData, at: Date) => void;
  /** Called after a new reversal of a redemption is committed (not on replays). */
  onReversed?: (data: CardOfferRedemptionReversedData, at: Date) => void;
}

/**
 * The terminal side of Pay with Points: which of this card's offers apply
 * here and now, and redeeming one. The PAN arrives in the body, is checked,
 * turned into its keyed fingerprint, and goes no further.
 */
export class OffersTerminal {
  constructor(private readonly store: OffersStore, private readonly o: OffersTerminalOptions) {}

  /** True when an offer of merchant `offerMerchant` is offered at terminal merchant `terminalMerchant`. */
  visibleAt(offer: StoredOffer, terminalMerchant: string): boolean {
    return offer.merchant_id === terminalMerchant || this.o.merchantAliases[offer.merchant_id] === terminalMerchant;
  }

  lookup(body: unknown): TerminalOffersResponse {
    const req = parseBody(terminalOffersSchema, body, 'POST /terminal/offers');
    const now = this.o.now();
    const { pan } = checkCard(req.pan, req.expiryDate, now, 'offer-card-expired');
    const today = utcDay(now);
    const offers: TerminalOffer[] = [];
    for (const link of this.store.linksForFingerprint(panFingerprint(this.o.hostKey, pan))) {
      if (!this.visibleAt(link.offer, req.merchantId)) continue;
      const a = offerAvailability(link.offer, { today, amount: req.amount, redemptions: link.redemptions });
      if (!a.ok) continue;
      offers.push({
        card_offer_id: formatId('cof', link.id),
        offer_id: formatId('ofr', link.offer.id),
        display_text: link.offer.name,
        type: link.offer.type,
        value: link.offer.value,
        value_type: link.offer.value_type,
        benefit: a.benefit,
        ...(link.offer.min_spend === undefined ? {} : { min_spend: link.offer.min_spend }),
      });
    }
    return { offers };
  }

  /**
   * Redeems a card offer. Idempotent by (merchantId, terminalId,
   * transactionId): the same body gets the first answer again, a different
   * body gets 409 / 2020. The check and the insert are one transaction.
   */
  redeem(body: unknown): TerminalRedeemResponse {
    const req = parseBody(terminalRedeemSchema, body, 'POST /terminal/offers/redeem');
    const now = this.o.now();
    const { pan } = checkCard(req.pan, req.expiryDate, now, 'offer-card-expired');
    const fingerprint = panFingerprint(this.o.hostKey, pan);
    const mac = createHmac('sha256', this.o.hostKey)
      .update(JSON.stringify([req.card_offer_id, req.amount, fingerprint, req.expiryDate]))
      .digest('hex');
    let event: CardOfferRedeemedData | undefined;
    const result = this.store.atomically((): TerminalRedeemResponse => {
      const prior = this.store.redemption(req.merchantId, req.terminalId, req.transactionId);
      if (prior !== undefined) {
        if (prior.request_mac !== mac) throw offersRefusal('duplicate', 'transactionId was already used with a different request');
        // A repeat of a redemption since reversed must not hear "applied" again: the offer may be used anew.
        if (this.store.reversalOfRedemption(prior.id) !== undefined) throw offersRefusal('already-reversed');
        return { redemption_id: formatId('red', prior.id), type: prior.type, benefit: prior.benefit };
      }
      const linkId = parseId('cof', req.card_offer_id);
      const link = linkId === undefined ? undefined : this.store.link(linkId);
      if (link === undefined || link.fingerprint !== fingerprint) {
        throw offersRefusal('offer-not-found', 'card_offer_id not found for this card');
      }
      if (!this.visibleAt(link.offer, req.merchantId)) throw offersRefusal('offer-unavailable', 'offer is not available at this merchant');
      const a = offerAvailability(link.offer, { today: utcDay(now), amount: req.amount, redemptions: link.redemptions });
      if (!a.ok) throw offersRefusal(REASON_KIND[a.reason]);
      const id = this.store.insertRedemption(
        {
          card_offer_id: link.id, merchant_id: req.merchantId, terminal_id: req.terminalId, transaction_id: req.transactionId,
          request_mac: mac, amount: req.amount, benefit: a.benefit, type: link.offer.type,
        },
        now,
      );
      event = {
        card_offer_id: formatId('cof', link.id), offer_id: formatId('ofr', link.offer.id), redemption_id: formatId('red', id),
        merchant_id: link.offer.merchant_id, terminal_id: req.terminalId, amount: req.amount, benefit: a.benefit,
        type: link.offer.type, last4: link.last4,
      };
      return { redemption_id: formatId('red', id), type: link.offer.type, benefit: a.benefit };
    });
    if (event !== undefined) this.o.onRedeemed?.(event, now);
    return result;
  }

  /**
   * Reverses a redemption (returns and voids, a project extension): the card
   * offer counts one redemption fewer, so a single-use offer (activation_limit
   * 1) is redeemable again. Idempotent by the body's transactionId: a repeat
   * gets the first answer, the same transactionId for another redemption 409 /
   * 2020. Refuses P14 (no such redemption), P58 (merchantId / terminalId given
   * and not the redemption's), P12 (already reversed by another
   * transactionId). No PAN: the redemption names the card.
   */
  reverseRedemption(redemptionIdParam: string, body: unknown): TerminalRedemptionReversalResponse {
    const req = parseBody(terminalRedemptionReversalSchema, body, 'POST /terminal/offers/redemptions/{redemption_id}/reversal');
    const now = this.o.now();
    let event: CardOfferRedemptionReversedData | undefined;
    const result = this.store.atomically((): TerminalRedemptionReversalResponse => {
      const id = parseId('red', redemptionIdParam);
      const red = id === undefined ? undefined : this.store.redemptionById(id);
      if (red === undefined) throw offersRefusal('offer-not-found', 'redemption_id not found');
      if ((req.merchantId !== undefined && req.merchantId !== red.merchant_id) || (req.terminalId !== undefined && req.terminalId !== red.terminal_id)) {
        throw offersRefusal('wrong-terminal');
      }
      const answer: TerminalRedemptionReversalResponse = {
        redemption_id: formatId('red', red.id), transactionId: req.transactionId, reversed: true, type: red.type, benefit: red.benefit,
      };
      const byTx = this.store.reversalByTransaction(req.transactionId);
      if (byTx !== undefined) {
        if (byTx.redemption_id !== red.id) throw offersRefusal('duplicate', 'transactionId was already used for another reversal');
        return answer;
      }
      if (this.store.reversalOfRedemption(red.id) !== undefined) throw offersRefusal('already-reversed');
      this.store.insertReversal(red.id, req.transactionId, now);
      const link = this.store.link(red.card_offer_id);
      if (link !== undefined) {
        event = {
          card_offer_id: formatId('cof', link.id), offer_id: formatId('ofr', link.offer.id), redemption_id: formatId('red', red.id),
          merchant_id: link.offer.merchant_id, terminal_id: red.terminal_id, amount: red.amount, benefit: red.benefit,
          type: red.type, last4: link.last4, reversal_transaction_id: req.transactionId,
        };
      }
      return answer;
    });
    if (event !== undefined) this.o.onReversed?.(event, now);
    return result;
  }
}
