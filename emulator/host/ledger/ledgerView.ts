import type { LedgerHistory } from './ledgerHistory.js';
import type { LedgerKind } from './ledgerTypes.js';

/** One card (or other member) on the host's balance sheet; its identifier masked (first 6 / last 4). */
export interface LedgerViewCard {
  /** The fixture name (`happy`) or the name it was enrolled under. */
  name: string;
  /** Masked identifier, e.g. `628000******0016`. */
  pan: string;
  /** Identifier kind: `card`, `email`, `mobile` or `referral`. */
  kind: string;
  accounts: { accountId: string; accountName: string; accountType: string; balance: number }[];
}

/** One applied debit or credit. */
export interface LedgerViewEntry {
  transactionId: string;
  kind: LedgerKind;
  /** Earn reversals and refunds: the original's transactionId. */
  originalTransactionId?: string;
  /** Signed points: a burn is negative. */
  points: number;
  accountId: string;
  balanceAfter: number;
  /** The card, masked. */
  card: string;
  /** The card's name (as in {@link LedgerViewCard.name}). */
  name: string;
  merchantId: string | null;
  terminalId: string | null;
  /** ISO 8601. */
  time: string;
}

/** The host's ledger as `GET /_emulator/ledger` shows it: balances, then every applied entry in order. */
export interface LedgerView {
  cards: LedgerViewCard[];
  entries: LedgerViewEntry[];
}

/** The ledger view of `GET /_emulator/ledger` (no PAN in the clear: cards are masked). */
export function ledgerView(history: LedgerHistory): LedgerView {
  return {
    cards: history.balanceSheet().map((m) => ({ name: m.name, pan: m.masked, kind: m.kind, accounts: m.accounts })),
    entries: history.entries().map((e) => ({
      transactionId: e.transactionId,
      kind: e.kind,
      ...(e.originalTransactionId === null ? {} : { originalTransactionId: e.originalTransactionId }),
      points: e.points,
      accountId: e.accountId,
      balanceAfter: e.balanceAfter,
      card: e.masked,
      name: e.name,
      merchantId: e.merchantId,
      terminalId: e.terminalId,
      time: new Date(e.at).toISOString(),
    })),
  };
}
