/**
 * The emulator's test cards (DESIGN.md, Fixtures). Every PAN is Luhn-valid
 * and lives only here and in tests: never in agent/ or protocol/.
 * `pos-emulator host --fixtures FILE` replaces these with a JSON file of the
 * same shape; `GET /_emulator/fixtures` lists them.
 */

/** How the host misbehaves for a card. */
export type CardBehaviour = 'normal' | 'slow' | 'host-error' | 'commit-then-drop';

/** One points account of a fixture card, with its starting balance. */
export interface AccountFixture {
  accountId: string;
  accountName: string;
  accountType: string;
  /** Starting balance, points. */
  balance: number;
}

/** A Pay with Points offer the host starts with (as `POST /offers` would create it). */
export interface OfferFixture {
  /** Merchant id as Pay with Points knows it (e.g. BP is 58725). */
  merchant_id: string;
  name: string;
  description: string[];
  type: 'discount' | 'cashback';
  value: number;
  value_type: 'percent' | 'amount';
  min_spend?: number;
}

/** A test card: what the reader swipes (PAN, expiry, holder) and what the host knows of it (accounts, behaviour, offers). */
export interface CardFixture {
  /** The name the reader emulator swipes (`swipe-card NAME`). */
  name: string;
  pan: string;
  /** YYMM. */
  expiry: string;
  /** Cardholder name for track 1. */
  holder: string;
  /** False: the host does not know the card (`unknown`). */
  enrolled: boolean;
  accounts: AccountFixture[];
  behaviour: CardBehaviour;
  /** Indexes into `Fixtures.offers` this card is linked to. */
  linkedOffers: number[];
}

/** Everything the host (and the reader emulator) start with: cards, offers and settings. */
export interface Fixtures {
  /** Points earned per minor unit of purchase amount (points = floor(amount * earnRate)). */
  earnRate: number;
  /** Seconds the `slow` card makes the host wait. */
  slowDelayS: number;
  /** Pay with Points merchant id → terminal-side merchantId (e.g. 58725 → IBP000000000162). */
  merchantAliases: Record<string, string>;
  offers: OfferFixture[];
  cards: CardFixture[];
}

/** A far-future expiry for the cards that must not be expired. */
const VALID = '3012';

const points = (balance: number): AccountFixture[] => [
  { accountId: '12', accountName: 'Reward Points', accountType: '1', balance },
];

/** The built-in test cards (`happy`, `empty`, `expired`, `unknown`, `offer`, `slow`, `host-error`, `commit-then-drop`) and the BP offer. */
export const DEFAULT_FIXTURES: Fixtures = {
  earnRate: 0.1,
  slowDelayS: 15,
  merchantAliases: { '58725': 'IBP000000000162' },
  offers: [
    {
      merchant_id: '58725',
      name: 'BP: 10% off with Pay with Points',
      description: ['10% off your purchase', 'minimum spend 5.00'],
      type: 'discount',
      value: 10,
      value_type: 'percent',
      min_spend: 500,
    },
  ],
  cards: [
    { name: 'happy', pan: '6280000000000016', expiry: VALID, holder: 'HAPPY/HARRIET', enrolled: true, accounts: points(2450), behaviour: 'normal', linkedOffers: [] },
    { name: 'empty', pan: '6280000000000024', expiry: VALID, holder: 'EMPTY/EMMA', enrolled: true, accounts: points(0), behaviour: 'normal', linkedOffers: [] },
    { name: 'expired', pan: '6280000000000032', expiry: '2001', holder: 'EXPIRED/ED', enrolled: true, accounts: points(1000), behaviour: 'normal', linkedOffers: [] },
    { name: 'unknown', pan: '6280000000000040', expiry: VALID, holder: 'UNKNOWN/UMA', enrolled: false, accounts: [], behaviour: 'normal', linkedOffers: [] },
    { name: 'offer', pan: '6280000000000057', expiry: VALID, holder: 'OFFER/OLIVER', enrolled: true, accounts: points(800), behaviour: 'normal', linkedOffers: [0] },
    { name: 'slow', pan: '6280000000000065', expiry: VALID, holder: 'SLOW/SAM', enrolled: true, accounts: points(1000), behaviour: 'slow', linkedOffers: [] },
    { name: 'host-error', pan: '6280000000000073', expiry: VALID, holder: 'ERROR/ERIN', enrolled: true, accounts: points(1000), behaviour: 'host-error', linkedOffers: [] },
    { name: 'commit-then-drop', pan: '6280000000000081', expiry: VALID, holder: 'DROP/DANA', enrolled: true, accounts: points(1000), behaviour: 'commit-then-drop', linkedOffers: [] },
  ],
};

/** Looks a card up by its fixture name. */
export function fixtureCard(fixtures: Fixtures, name: string): CardFixture | undefined {
  return fixtures.cards.find((c) => c.name === name);
}
