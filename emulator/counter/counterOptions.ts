import type { AccountFixture, CardBehaviour, HostTransport, OfferFixture } from '../host/index.js';

/** A card of the consumer's own, added to the built-in fixture cards (or replacing the one of the same name). */
export interface CounterCard {
  /** The name to swipe it by: 1-32 lower-case letters, digits or dashes. */
  name: string;
  /** A Luhn-valid test PAN of 12-19 digits. Never a real card. */
  pan: string;
  /** YYMM. Default `3012` (far in the future). */
  expiry?: string;
  /** Cardholder name on track 1, `LAST/FIRST`. Default `TEST/CARD`. */
  holder?: string;
  /** Points in account 12 (type 1), the built-in cards' account. Default 0. Ignored when `accounts` is given. */
  points?: number;
  /** The card's accounts in full. Default one account `12` holding `points`. */
  accounts?: AccountFixture[];
  /** False: the host does not know the card. Default true. */
  enrolled?: boolean;
  /** How the host misbehaves for this card. Default `normal`. */
  behaviour?: CardBehaviour;
  /** Names of offers (built-in or from {@link CounterOptions.offers}) the card is linked to. Default none. */
  offers?: string[];
}

/** A Pay with Points offer of the consumer's own. `merchant_id` defaults to the demo merchant's (`58725`). */
export type CounterOffer = Omit<OfferFixture, 'merchant_id'> & { merchant_id?: string };

/** Offline burn limits (the agent's `offline:` config section); every limit has the agent's default when left out. */
export interface CounterOfflineLimits {
  /** Burns while the host is unreachable. Default true here (the section is given to turn them on). */
  enabled?: boolean;
  /** Largest offline burn, points. */
  maxPointsPerTxn?: number;
  /** Sum of offline burns not yet confirmed, points. */
  maxTotalPoints?: number;
  /** Number of offline burns not yet confirmed. */
  maxCount?: number;
  /** Oldest offline burn allowed before new ones are refused, seconds. */
  maxAgeS?: number;
  /** How long a card's last balance seen online is stood in on, seconds. */
  balanceMaxAgeS?: number;
  /** Offline burns on a card with no known balance here: `refuse` (the agent's default) or `allow`. */
  unknownCards?: 'allow' | 'refuse';
}

/** Options of {@link startCounter}. */
export interface CounterOptions {
  /**
   * The card reader's line: `mock` runs it on `@serialport/binding-mock`, in process, with no socat;
   * `pty` runs it on a pseudo-terminal pair made by socat, which the agent opens as a real serial port.
   * Default `mock`.
   */
  reader?: 'mock' | 'pty';
  /** How the agent reaches the host: the Loyalty REST API or the ISO 8583 link. Default `rest`. */
  transport?: HostTransport;
  /** Offline burns within these limits. Default: off (a redemption while the host is away is `unavailable`). */
  offline?: CounterOfflineLimits;
  /** Cards of your own, added to the built-in ones; one with a built-in name replaces it. Default none. */
  cards?: CounterCard[];
  /** Starting balances of built-in (or your own) cards by name, e.g. `{ happy: 100 }`. Default: the fixtures'. */
  balances?: Record<string, number>;
  /** Offers of your own, added to the built-in one. Link cards to them by name with {@link CounterCard.offers}. Default none. */
  offers?: CounterOffer[];
  /** Serve the host over HTTPS with a certificate made at start-up; the agent trusts it through `host.caFile`. Default false. */
  tls?: boolean;
  /** The agent's `host.timeoutMs`. Default 3000. */
  hostTimeoutMs?: number;
  /** Default `IBP000000000162` (the demo terminal's merchant). */
  merchantId?: string;
  /** Default `20690111`. */
  terminalId?: string;
  /**
   * The bearer token of the agent's POS API (`api.tokenFile`), written to a file of mode 0600 in the counter's
   * folder. Default: a fresh random one, as on a real terminal; `false` runs the API without one. Your POS calls
   * send {@link Counter.posHeaders} (`Authorization: Bearer <token>`).
   */
  apiToken?: string | false;
  /** The agent's log level; its lines are kept in memory ({@link Counter.logs}). Default `info`. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder in which the counter makes its temporary folder (removed by `stop`). Default: the OS temp folder. */
  tmpDir?: string;
  /** The socat binary for `reader: 'pty'`. Default `socat` from the PATH. */
  socatPath?: string;
}
