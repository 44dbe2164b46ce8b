import { DE39, type ResponseCode } from '../../../protocol/iso8583/index.js';
import { LedgerError, type Ledger } from '../ledger/index.js';

/**
 * What the ISO 8583 front-end needs from the host ledger. The REST routes'
 * {@link Ledger} satisfies it as is, so both transports hit the same
 * balances, idempotency records and reversals.
 */
export type IsoLedger = Pick<Ledger, 'resolve' | 'balanceOfMember' | 'rewardTrxOwner' | 'behaviourOf' | 'burn' | 'earn' | 'reverse' | 'noteReceived' | 'reverseEarn' | 'refund' | 'fingerprint'>;

/** Ledger catalog code → DE39. */
const BY_LEDGER_CODE: Readonly<Record<string, ResponseCode>> = {
  L14: DE39.unknownCard,
  '1013': DE39.unknownCard,
  L54: DE39.expiredCard,
  L51: DE39.insufficientPoints,
  '2020': DE39.duplicate,
  L25: DE39.originalNotFound,
  L94: DE39.duplicate,
  L30: DE39.formatError,
  L96: DE39.systemError,
  L13: DE39.invalidAmount,
  L58: DE39.wrongTerminal,
};

/** The DE39 for a failure: a ledger refusal by its code, anything else 96 (system error). */
export function de39For(err: unknown): ResponseCode {
  if (err instanceof LedgerError) return BY_LEDGER_CODE[err.code] ?? DE39.systemError;
  return DE39.systemError;
}
