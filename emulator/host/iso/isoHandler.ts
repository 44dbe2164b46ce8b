import {
  DE39,
  isRewardAccountType,
  responseTo,
  type AdditionalAmount,
  type Iso8583Message,
  type LoyaltyRequest,
  type ResponseCode,
} from '../../../protocol/iso8583/index.js';
import type { CardBehaviour } from '../fixtures.js';
import { LedgerError } from '../ledger/index.js';
import { de39For, type IsoLedger } from './isoLedger.js';

/** What to do with a request: answer it, or (commit-then-drop) close the connection without answering. */
export type IsoOutcome = { kind: 'answer'; response: Iso8583Message } | { kind: 'drop' };

export interface IsoHandlerDeps {
  ledger: IsoLedger;
  /** Cancellable sleep used by the `slow` card. */
  delay: (ms: number) => Promise<void>;
  /** Seconds the `slow` card waits before answering. */
  slowDelayS: number;
}

const POINTS = '999';
const AVAILABLE = '02';

/**
 * Ledger balances → DE54 entries (account type position = accountId) and,
 * in DE63, each entry's reward account type. DE63 is left out when a type
 * does not fit it (a fixtures file allows any 1-16 non-space characters): the
 * answer must not fail after the ledger has committed.
 */
function balances(accounts: readonly { accountId: string; accountType: string; balance: number }[]): { balances: AdditionalAmount[]; accountTypes?: string[] } {
  const entries = accounts.map((a) => ({ accountType: a.accountId.padStart(2, '0'), amountType: AVAILABLE, currency: POINTS, amount: a.balance }));
  const types = accounts.map((a) => a.accountType);
  return types.every(isRewardAccountType) ? { balances: entries, accountTypes: types } : { balances: entries };
}

/**
 * Runs one loyalty request against the ledger, with the fixture card
 * behaviours the REST routes have: `host-error` answers 96 without touching
 * the ledger; `slow` commits, then answers after slowDelayS; `commit-then-drop`
 * commits a burn or earn, then drops the connection (first time only: a
 * repeat gets the stored answer).
 *
 * Returns and voids (README "Returns and voids"): a refund (0200, DE3 20aa00)
 * is keyed by its DE48; an earn reversal (0420 of a 0220) by the earn's RRN
 * and the points it keeps (`<rrn>~<DE95 amount>`, `~0` when full). Both check
 * that merchant, terminal and card (DE2's fingerprint) are the original's
 * (else DE39 58); over what the original has left is DE39 13. Their answers
 * carry in DE54 the balances of the accounts moved.
 */
export async function handleIsoRequest(deps: IsoHandlerDeps, msg: Iso8583Message, req: LoyaltyRequest): Promise<IsoOutcome> {
  const answer = (responseCode: ResponseCode, extra: { rewardTrxId?: string; balances?: AdditionalAmount[]; accountTypes?: string[]; earnedPoints?: number } = {}): IsoOutcome => ({
    kind: 'answer',
    response: responseTo(msg, { responseCode, ...extra }),
  });
  if (req.kind === 'echo') return answer(DE39.approved);
  const { ledger } = deps;
  let behaviour: CardBehaviour = 'normal';
  const after = async (fresh: boolean, out: IsoOutcome): Promise<IsoOutcome> => {
    if (behaviour === 'slow') await deps.delay(deps.slowDelayS * 1000);
    if (behaviour === 'commit-then-drop' && fresh) return { kind: 'drop' };
    return out;
  };
  try {
    const terminal = { merchantId: req.merchantId, terminalId: req.terminalId };
    const card = { pan: req.pan, expiry: req.expiry };
    switch (req.kind) {
      case 'balance': {
        const member = ledger.resolve(card);
        behaviour = member.behaviour;
        if (behaviour === 'host-error') throw LedgerError.of('system-error');
        const out = ledger.balanceOfMember(member, terminal);
        return await after(false, answer(DE39.approved, { rewardTrxId: out.rewardTrxId, ...balances(out.accounts) }));
      }
      case 'burn': {
        ledger.noteReceived('burn', req.rrn);
        const owner = ledger.rewardTrxOwner(req.rewardTrxId);
        behaviour = owner === undefined ? 'normal' : ledger.behaviourOf(owner);
        if (behaviour === 'host-error') throw LedgerError.of('system-error');
        const out = ledger.burn({
          rewardTrxId: req.rewardTrxId,
          transactionId: req.rrn,
          mandates: [{ accountId: req.accountId, accountType: '', debit: req.points }],
          check: { ...terminal, pan: req.pan },
        });
        return await after(!out.replay, answer(DE39.approved, { rewardTrxId: out.rewardTrxId, ...balances(out.accounts) }));
      }
      case 'earn': {
        ledger.noteReceived('earn', req.rrn);
        const member = ledger.resolve(card);
        behaviour = member.behaviour;
        if (behaviour === 'host-error') throw LedgerError.of('system-error');
        const out = ledger.earn({ card, terminal, transactionId: req.rrn, amount: req.amount });
        return await after(!out.replay, answer(DE39.approved, { rewardTrxId: out.rewardTrxId, ...balances(out.accounts), earnedPoints: out.points }));
      }
      case 'reversal': {
        if (req.originalMti !== '0200') return answer(DE39.formatError);
        ledger.noteReceived('reversal', req.rrn);
        const out = ledger.reverse({ originalTransactionId: req.rrn });
        return answer(DE39.approved, balances(out.accounts));
      }
      case 'refund': {
        ledger.noteReceived('refund', req.transactionId);
        const out = ledger.refund({
          originalTransactionId: req.rrn, transactionId: req.transactionId, points: req.points, check: { ...terminal, fp: ledger.fingerprint(req.pan) },
        });
        return answer(DE39.approved, balances(out.accounts));
      }
      case 'earn-reversal': {
        // Its own id from DE48, the same id space as REST's body transactionId. Without DE48: the earn and what
        // it keeps (DE95; none = 0), so a repeat (0421) is still the same reversal.
        const leave = req.remaining ?? 0;
        const transactionId = req.transactionId ?? `${req.rrn}~${leave}`;
        ledger.noteReceived('earn-reversal', transactionId);
        const out = ledger.reverseEarn({
          originalTransactionId: req.rrn, transactionId, amount: { leave }, check: { ...terminal, fp: ledger.fingerprint(req.pan) },
        });
        return answer(DE39.approved, balances(out.accounts));
      }
    }
  } catch (err) {
    return answer(de39For(err));
  }
}
