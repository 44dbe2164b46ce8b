import { DE39, type ResponseCode } from '../../../protocol/iso8583/index.js';
import { de39Of } from '../../../protocol/loyalty/index.js';
import { LedgerError, type Ledger } from '../ledger/index.js';

/**
 * What the ISO 8583 front-end needs from the host ledger. The REST routes'
 * {@link Ledger} satisfies it as is, so both transports hit the same
 * balances, idempotency records and reversals.
 */
export type IsoLedger = Pick<Ledger, 'resolve' | 'balanceOfMember' | 'rewardTrxOwner' | 'behaviourOf' | 'burn' | 'earn' | 'reverse' | 'noteReceived' | 'reverseEarn' | 'refund' | 'fingerprint'>;

/**
 * The DE39 for a failure: a ledger refusal answers the DE39 of its kind
 * (protocol/loyalty's refusal table, read in reverse), a kind the ISO link
 * never says (`not-authorized`, `other`) and anything else 96 (system error).
 */
export function de39For(err: unknown): ResponseCode {
  if (err instanceof LedgerError) return de39Of(err.kind) ?? DE39.systemError;
  return DE39.systemError;
}
