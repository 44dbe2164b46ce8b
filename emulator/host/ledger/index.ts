/** The host's ledger: members, accounts and points in SQLite (balances, burns, earns, reversals, refunds, history). */
export { Ledger } from './ledger.js';
export { LedgerError } from './ledgerError.js';
export { LedgerHistory, type LedgerEntry } from './ledgerHistory.js';
export { openLedgerDb } from './ledgerSchema.js';
export { ledgerView, type LedgerView, type LedgerViewCard, type LedgerViewEntry } from './ledgerView.js';
export { AccountCatalog } from './accountCatalog.js';
export * from './ledgerTypes.js';
