/** Domain shapes of the host ledger, shared by the REST and ISO 8583 front-ends. Points are integers. */

/** An identifier as presented: a card PAN with its YYMM expiry, or an email / mobile / referral id without one. */
export interface Identity {
  pan: string;
  expiry?: string;
}

export interface TerminalRef {
  merchantId: string;
  terminalId: string;
}

export interface LedgerAccount {
  accountId: string;
  accountName: string;
  accountType: string;
  balance: number;
}

export interface BalanceOutcome {
  /** Bound to the card, merchant and terminal; valid {@link REWARD_TRX_TTL_S} seconds. */
  rewardTrxId: string;
  accounts: LedgerAccount[];
  /** The member's fingerprint (lets a front-end look up the card's behaviour). */
  fp: string;
}

export interface BurnLine {
  accountId: string;
  accountType: string;
  debit: number;
  balance: number;
}

export interface BurnOutcome {
  rewardTrxId: string;
  accounts: BurnLine[];
  fp: string;
  /** True when this is the stored answer to an earlier identical request. */
  replay: boolean;
}

export interface EarnOutcome {
  rewardTrxId: string;
  accounts: LedgerAccount[];
  points: number;
  fp: string;
  replay: boolean;
}

export interface ReverseOutcome {
  originalTransactionId: string;
  reversed: boolean;
  /** The lines restored (debit = points given back, balance = balance after). */
  accounts: BurnLine[];
  fp: string;
  replay: boolean;
}

export type { Mandate } from '../../protocol/loyalty/index.js';

/** How long a rewardTrxId stays valid, seconds. */
export const REWARD_TRX_TTL_S = 300;

/** What the host did with the requests of one (kind, transactionId): the test's view of "received" against "applied". */
export interface JournalEntry {
  kind: 'burn' | 'earn' | 'reversal';
  /** For a reversal, the original burn's transactionId. */
  transactionId: string;
  /** Requests received, applied or not (repeats included). */
  received: number;
  /** True when the ledger applied it (once, whatever the repeats). */
  applied: boolean;
  /** Burns only: a reversal has undone it. */
  reversed: boolean;
  /** Burns only: refused because its reversal arrived first (L94). Reversals: remembered for a burn not seen yet. */
  lateOriginal: boolean;
}
