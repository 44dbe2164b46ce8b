import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountBalance, BalanceResponse, EarnResponse, RedeemedAccount, RedeemResponse, ReversalResponse } from '../../../protocol/loyalty/index.js';
import type { CardBehaviour } from '../fixtures.js';
import { finish, markCommitThenDrop } from '../faults.js';
import { LedgerError, type BurnLine, type Ledger, type LedgerAccount, type Mandate } from '../ledger/index.js';
import { asRecord, cardHeaders, optional, required, RULES } from './fields.js';

export interface RewardRouteDeps {
  ledger: Ledger;
  auth: preHandlerAsyncHookHandler;
  /** The host's cancellable sleep. */
  delay: (ms: number) => Promise<void>;
  /** Seconds the `slow` card waits. */
  slowDelayS: number;
}

const balanceView = (a: LedgerAccount): AccountBalance => ({
  accountId: a.accountId, accountName: a.accountName, accountType: a.accountType, availableBalance: String(a.balance),
});
const lineView = (l: BurnLine): RedeemedAccount => ({
  accountId: l.accountId, accountType: l.accountType, debit: String(l.debit), balance: String(l.balance),
});

const PREFIX = '/api/v1/loyalty';

/** Path parameters are strings; what a transactionId may be is checked by the seed's rule, after authentication. */
const ReversalParams = z.object({ transactionId: z.string() });

/** Response schema of balance and earn (JSON Schema): lets fastify serialise with its compiled stringifier. */
const BALANCE_SCHEMA = {
  response: {
    200: {
      type: 'object',
      properties: {
        rewardTrxId: { type: 'string' },
        accounts: {
          type: 'array',
          items: {
            type: 'object',
            properties: { accountId: { type: 'string' }, accountName: { type: 'string' }, accountType: { type: 'string' }, availableBalance: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

/** Earn's response schema: the balance body and the extension's `earnedPoints` (README "Returns and voids"). */
const EARN_SCHEMA = {
  response: {
    200: {
      ...BALANCE_SCHEMA.response[200],
      properties: { ...BALANCE_SCHEMA.response[200].properties, earnedPoints: { type: 'string' } },
    },
  },
} as const;

/**
 * Balance, earn, burn and reversal (seed: Getting Rewards Balance, Earn
 * Rewards, Burn Rewards). Card behaviours from the fixtures: `host-error`
 * answers 500 L96 before touching the ledger; `slow` commits, then answers
 * after slowDelayS; `commit-then-drop` commits a burn or earn, then drops the
 * connection (first time only: a retry with the same transactionId gets the
 * stored answer).
 *
 * Headers, queries and bodies are read by the seed's field rules
 * (`fields.ts`) in the handler, after authentication and in the seed's
 * order, so each bad request gets the seed's code (1013, E37...).
 */
export const rewardRoutes: FastifyPluginCallbackZod<RewardRouteDeps> = (app, deps, done) => {
  const { ledger } = deps;
  const opts = { preHandler: deps.auth };

  const before = (b: CardBehaviour): void => {
    if (b === 'host-error') throw LedgerError.of('system-error');
  };
  const after = async (req: FastifyRequest, b: CardBehaviour, fresh: boolean): Promise<void> => {
    if (b === 'slow') await deps.delay(deps.slowDelayS * 1000);
    if (b === 'commit-then-drop' && fresh) markCommitThenDrop(req);
  };

  app.get(`${PREFIX}/rewards`, { ...opts, schema: BALANCE_SCHEMA }, async (req, reply): Promise<FastifyReply> => {
    const h = cardHeaders(req);
    const q = asRecord(req.query, 'query');
    optional(q, 'timeStamp', RULES.timeStamp);
    optional(q, 'transactionId', RULES.id);
    const terminal = { merchantId: required(h, 'merchantId', RULES.id), terminalId: required(h, 'terminalId', RULES.id) };
    const pan = required(h, 'PAN', RULES.identifier);
    const expiry = optional(h, 'expiryDate', { re: /^.{1,8}$/, expected: 'YYMM' });
    const member = ledger.resolve(expiry === undefined ? { pan } : { pan, expiry });
    before(member.behaviour);
    const out = ledger.balanceOfMember(member, terminal);
    if (member.behaviour !== 'normal') await after(req, member.behaviour, false);
    const body: BalanceResponse = { rewardTrxId: out.rewardTrxId, accounts: out.accounts.map(balanceView) };
    return finish(req, reply, 200, body);
  });

  app.post(`${PREFIX}/rewards/earn`, { ...opts, schema: EARN_SCHEMA }, async (req, reply): Promise<FastifyReply> => {
    const b = asRecord(req.body);
    const h = cardHeaders(req);
    const pick = (key: string): Record<string, unknown> => (b[key] !== undefined ? b : h);
    const terminal = { merchantId: required(pick('merchantId'), 'merchantId', RULES.id), terminalId: required(pick('terminalId'), 'terminalId', RULES.id) };
    const pan = b.pan !== undefined ? required(b, 'pan', RULES.identifier) : required(pick('PAN'), 'PAN', RULES.identifier);
    const expiry = optional(pick('expiryDate'), 'expiryDate', { re: /^.{1,8}$/, expected: 'YYMM' });
    optional(b, 'timeStamp', RULES.timeStamp);
    const transactionId = required(b, 'transactionId', RULES.id);
    const amount = Number(required(b, 'amount', RULES.digits));
    ledger.noteReceived('earn', transactionId);
    const member = ledger.resolve(expiry === undefined ? { pan } : { pan, expiry });
    before(member.behaviour);
    const out = ledger.earn({ card: expiry === undefined ? { pan } : { pan, expiry }, terminal, transactionId, amount });
    await after(req, member.behaviour, !out.replay);
    const body: EarnResponse = { rewardTrxId: out.rewardTrxId, accounts: out.accounts.map(balanceView), earnedPoints: String(out.points) };
    return finish(req, reply, 200, body);
  });

  app.post(`${PREFIX}/rewards/redeem`, opts, async (req, reply): Promise<FastifyReply> => {
    const b = asRecord(req.body);
    const h = cardHeaders(req);
    const rewardTrxId = b.rewardTrxId !== undefined ? required(b, 'rewardTrxId', RULES.id) : required(b, 'rewardTxnId', RULES.id);
    // Without a transactionId (the seed's sample has none) the burn has no idempotency protection.
    const transactionId = optional(b, 'transactionId', RULES.id) ?? `auto-${req.id}-${Date.now()}`;
    const mandates = parseMandates(b.redemptionMandates);
    ledger.noteReceived('burn', transactionId);
    const check: { merchantId?: string; terminalId?: string; pan?: string } = {};
    const merchantId = optional(b.merchantId !== undefined ? b : h, 'merchantId', RULES.id);
    const terminalId = optional(b.terminalId !== undefined ? b : h, 'terminalId', RULES.id);
    const pan = optional(b.pan !== undefined ? b : h, b.pan !== undefined ? 'pan' : 'PAN', RULES.identifier);
    if (merchantId !== undefined) check.merchantId = merchantId;
    if (terminalId !== undefined) check.terminalId = terminalId;
    if (pan !== undefined) check.pan = pan;
    const owner = ledger.rewardTrxOwner(rewardTrxId);
    const behaviour = owner === undefined ? 'normal' : ledger.behaviourOf(owner);
    before(behaviour);
    const out = ledger.burn({ rewardTrxId, transactionId, mandates, check });
    await after(req, behaviour, !out.replay);
    const body: RedeemResponse = { rewardTrxId: out.rewardTrxId, accounts: out.accounts.map(lineView) };
    return finish(req, reply, 200, body);
  });

  app.post(`${PREFIX}/rewards/redeem/:transactionId/reversal`, { ...opts, schema: { params: ReversalParams } }, async (req, reply) => {
    const original = required({ transactionId: req.params.transactionId }, 'transactionId', RULES.id);
    optional(asRecord(req.body), 'transactionId', RULES.id);
    ledger.noteReceived('reversal', original);
    const out = ledger.reverse({ originalTransactionId: original });
    const body: ReversalResponse = { originalTransactionId: out.originalTransactionId, reversed: out.reversed, accounts: out.accounts.map(lineView) };
    return finish(req, reply, 200, body);
  });
  done();
};

/** 1–20 mandates, each {accountId, accountType, debit: digits > 0}. */
function parseMandates(value: unknown): Mandate[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 20) {
    throw LedgerError.of('bad-request', '"redemptionMandates" must be an array of 1-20 mandates');
  }
  return value.map((m: unknown, i) => {
    const r = asRecord(m, `redemptionMandates[${i}]`);
    const debit = Number(required(r, 'debit', RULES.digits));
    if (debit <= 0) throw LedgerError.of('bad-request', `"redemptionMandates[${i}].debit" must be more than 0`);
    return { accountId: required(r, 'accountId', RULES.id), accountType: optional(r, 'accountType', RULES.id) ?? '1', debit };
  });
}
