import { DEFAULT_FIXTURES, parseFixtures, type CardFixture, type Fixtures, type OfferFixture } from '../host/index.js';
import { CounterError } from './counterError.js';
import type { CounterOptions } from './counterOptions.js';

/** The demo merchant as Pay with Points knows it (mapped to `IBP000000000162`). */
const DEMO_OFFER_MERCHANT = '58725';

/**
 * The host's (and the reader's) fixtures for a counter: the built-in cards
 * and offers, plus the consumer's own cards, offers and balances, checked once
 * against the fixtures schema (Luhn, YYMM, unique names). Throws
 * {@link CounterError} `COUNTER_ERR_OPTIONS` naming what is wrong.
 */
export function counterFixtures(opts: Pick<CounterOptions, 'cards' | 'offers' | 'balances'>): Fixtures {
  const offers: OfferFixture[] = [
    ...DEFAULT_FIXTURES.offers,
    ...(opts.offers ?? []).map((o) => ({ ...o, merchant_id: o.merchant_id ?? DEMO_OFFER_MERCHANT })),
  ];
  const offerIndex = (card: string, name: string): number => {
    const i = offers.findIndex((o) => o.name === name);
    if (i < 0) throw new CounterError('COUNTER_ERR_OPTIONS', `card "${card}" links offer "${name}", but no offer has that name (known: ${offers.map((o) => `"${o.name}"`).join(', ')})`);
    return i;
  };
  const cards: CardFixture[] = DEFAULT_FIXTURES.cards.map((c) => ({ ...c, accounts: c.accounts.map((a) => ({ ...a })) }));
  for (const own of opts.cards ?? []) {
    const card: CardFixture = {
      name: own.name,
      pan: own.pan,
      expiry: own.expiry ?? '3012',
      holder: own.holder ?? 'TEST/CARD',
      enrolled: own.enrolled ?? true,
      accounts: own.accounts ?? [{ accountId: '12', accountName: 'Reward Points', accountType: '1', balance: own.points ?? 0 }],
      behaviour: own.behaviour ?? 'normal',
      linkedOffers: (own.offers ?? []).map((name) => offerIndex(own.name, name)),
    };
    const at = cards.findIndex((c) => c.name === own.name);
    if (at >= 0) cards[at] = card;
    else cards.push(card);
  }
  for (const [name, balance] of Object.entries(opts.balances ?? {})) {
    const card = cards.find((c) => c.name === name);
    const account = card?.accounts[0];
    if (!card || !account) throw new CounterError('COUNTER_ERR_OPTIONS', `balances names card "${name}", which has no account (known cards: ${cards.map((c) => c.name).join(', ')})`);
    account.balance = balance;
  }
  try {
    return parseFixtures({ ...DEFAULT_FIXTURES, offers, cards });
  } catch (err) {
    throw new CounterError('COUNTER_ERR_OPTIONS', `startCounter cards, offers or balances: ${(err as Error).message}`, { cause: err });
  }
}
