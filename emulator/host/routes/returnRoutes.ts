import type { FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EarnReversalResponse, RedeemedAccount, RefundResponse } from '../../../protocol/loyalty/index.js';
import { finish } from '../faults.js';
import { LedgerError, type AdjustmentOutcome, type BurnLine, type Ledger, type TerminalRef } from '../ledger/index.js';
import { asRecord, cardHeaders, optional, required, RULES } from './fields.js';

export interface ReturnRouteDeps {
  ledger: Pick<Ledger, 'noteReceived' | 'reverseEarn' | 'refund'>;
  auth: preHandlerAsyncHookHandler;
}

const PREFIX = '/api/v1/loyalty';
const Params = z.object({ transactionId: z.string() });

const lineView = (l: BurnLine): RedeemedAccount => ({
  accountId: l.accountId, accountType: l.accountType, debit: String(l.debit), balance: String(l.balance),
});

const view = (o: AdjustmentOutcome): EarnReversalResponse & RefundResponse => ({
  originalTransactionId: o.originalTransactionId,
  transactionId: o.transactionId,
  points: String(o.points),
  remaining: String(o.remaining),
  accounts: o.accounts.map(lineView),
});

/** Points: a digit string over 0 (E37 otherwise). */
function pointsOf(value: string): number {
  const n = Number(value);
  if (n <= 0) throw LedgerError.of('bad-request', '"points" must be more than 0');
  return n;
}

/** The merchant and terminal sent (body first, then the seed's headers); each is checked against the original's. */
function terminalCheck(b: Record<string, unknown>, h: Record<string, unknown>): Partial<TerminalRef> {
  const merchantId = optional(b.merchantId !== undefined ? b : h, 'merchantId', RULES.id);
  const terminalId = optional(b.terminalId !== undefined ? b : h, 'terminalId', RULES.id);
  return { ...(merchantId === undefined ? {} : { merchantId }), ...(terminalId === undefined ? {} : { terminalId }) };
}

/**
 * Returns and voids, a project extension of the host API (the seeds have no
 * refund endpoint; README "Returns and voids: the host extension"):
 * - `POST rewards/earn/{transactionId}/reversal {transactionId, points?}`: takes back earned points, all that
 *   is left (no `points`) or part;
 * - `POST rewards/redeem/{transactionId}/refund {transactionId, points}`: gives back part of a burn.
 * The body's `transactionId` is the operation's own idempotency key. The bodies carry no PAN: the original
 * names the card. `merchantId`/`terminalId` (body or headers), when sent, must be the original's (L58).
 * Journal kinds: `earn-reversal`, `refund`, counted under their own transactionId.
 */
export const returnRoutes: FastifyPluginCallbackZod<ReturnRouteDeps> = (app, deps, done) => {
  const { ledger } = deps;
  const opts = { preHandler: deps.auth, schema: { params: Params } };

  app.post(`${PREFIX}/rewards/earn/:transactionId/reversal`, opts, async (req, reply): Promise<FastifyReply> => {
    const original = required({ transactionId: req.params.transactionId }, 'transactionId', RULES.id);
    const b = asRecord(req.body);
    const transactionId = required(b, 'transactionId', RULES.id);
    const points = optional(b, 'points', RULES.digits);
    const check = terminalCheck(b, cardHeaders(req));
    ledger.noteReceived('earn-reversal', transactionId);
    const out = ledger.reverseEarn({
      originalTransactionId: original, transactionId, check, amount: points === undefined ? {} : { points: pointsOf(points) },
    });
    const body: EarnReversalResponse = view(out);
    return finish(req, reply, 200, body);
  });

  app.post(`${PREFIX}/rewards/redeem/:transactionId/refund`, opts, async (req, reply): Promise<FastifyReply> => {
    const original = required({ transactionId: req.params.transactionId }, 'transactionId', RULES.id);
    const b = asRecord(req.body);
    const transactionId = required(b, 'transactionId', RULES.id);
    const points = pointsOf(required(b, 'points', RULES.digits));
    const check = terminalCheck(b, cardHeaders(req));
    ledger.noteReceived('refund', transactionId);
    const out = ledger.refund({ originalTransactionId: original, transactionId, points, check });
    const body: RefundResponse = view(out);
    return finish(req, reply, 200, body);
  });
  done();
};
