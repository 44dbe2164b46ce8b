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

/**
 * An earn reversal or a refund (returns and voids, a project extension). `accounts` lists the lines moved:
 * `debit` is the points taken back (earn reversal) or given back (refund) on that account, `balance` the
 * balance after.
 */
export interface AdjustmentOutcome {
  originalTransactionId: string;
  transactionId: string;
  /** Points moved in all. */
  points: number;
  /** What the original has left after this: points still credited (earn) or still refundable (burn). */
  remaining: number;
  accounts: BurnLine[];
  fp: string;
  replay: boolean;
}

/** The kinds of operation the ledger records. */
export type LedgerKind = 'burn' | 'earn' | 'reversal' | 'earn-reversal' | 'refund';

export type { Mandate } from '../../../protocol/loyalty/index.js';

/** How long a rewardTrxId stays valid, seconds. */
export const REWARD_TRX_TTL_S = 300;

/** What the host did with the requests of one (kind, transactionId): the test's view of "received" against "applied". */
export interface JournalEntry {
  kind: LedgerKind;
  /** For a reversal, the original burn's transactionId; for an earn reversal or a refund, its own. */
  transactionId: string;
  /** Earn reversals and refunds only: the original's transactionId (absent when the original was not found). */
  originalTransactionId?: string;
  /** Requests received, applied or not (repeats included). */
  received: number;
  /** True when the ledger applied it (once, whatever the repeats). */
  applied: boolean;
  /** Burns only: a reversal has undone it. */
  reversed: boolean;
  /** Burns only: refused because its reversal arrived first (L94). Reversals: remembered for a burn not seen yet. */
  lateOriginal: boolean;
}
