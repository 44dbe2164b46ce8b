import type { preHandlerAsyncHookHandler } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { TransactionRecord, TransactionsResponse } from '../../../protocol/loyalty/index.js';
import { finish } from '../faults.js';
import { LedgerError, type Ledger, type LedgerEntry, type LedgerHistory } from '../ledger/index.js';
import { asRecord, optional, RULES } from './fields.js';

const PREFIX = '/api/v1/loyalty';
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/** YYYYMMDD → epoch ms of that UTC midnight; 1013 when it is not a real date (the seed's format error, `invalid-identifier` in the refusal table). */
function dayStart(yyyymmdd: string, key: string): number {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    throw LedgerError.of('invalid-identifier', `"${key}" is not a valid date (YYYYMMDD)`);
  }
  return ms;
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** `dd-MM-yyyy HH:mm:ss` in UTC, as the seed's sample. */
const seedDate = (ms: number): string => {
  const t = new Date(ms);
  return `${pad(t.getUTCDate())}-${pad(t.getUTCMonth() + 1)}-${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
};

const NAMES = {
  burn: 'Points Redemption', earn: 'Points Earned', reversal: 'Redemption Reversal', 'earn-reversal': 'Earn Reversal', refund: 'Redemption Refund',
} as const;

const record = (e: LedgerEntry): TransactionRecord => ({
  id: e.id,
  linkId: e.id,
  date: seedDate(e.at),
  name: NAMES[e.kind],
  transactionValue: e.amount === null ? '0.00' : (e.amount / 100).toFixed(2),
  transactionRewardValue: e.points,
  transactionRewardPool: e.accountName,
  totalRewardValue: e.balanceAfter,
  merchant: e.merchantId,
  deviceId: e.terminalId ?? '-',
  extRef: e.transactionId,
  product: { productId: e.masked, productType: 'LOYALTY_ACCT', productStatus: null, pan: null, expiryDate: null },
});

/**
 * Transaction history. Filters: `pan` (+ `expiryDate` for a card) or
 * `productId` (an identifier); `startDate`/`endDate` YYYYMMDD inclusive, UTC.
 * Paging: `page` (1-based, default 1), `pageSize` (default 20, max 100);
 * `totalRecords` and `totalPages` are strings, as in the seed. The query is
 * read by the seed's field rules in the handler, after authentication (bad
 * values are E37, a date that does not exist 1013).
 */
export interface TransactionRouteDeps {
  ledger: Ledger;
  history: LedgerHistory;
  auth: preHandlerAsyncHookHandler;
}

export const transactionRoutes: FastifyPluginCallbackZod<TransactionRouteDeps> = (app, deps, done) => {
  app.get(`${PREFIX}/transactions`, { preHandler: deps.auth }, async (req, reply) => {
    const q = asRecord(req.query, 'query');
    const pan = optional(q, 'pan', RULES.identifier) ?? optional(q, 'productId', RULES.identifier) ?? optional(q, 'productid', RULES.identifier);
    const expiry = optional(q, 'expiryDate', { re: /^.{1,8}$/, expected: 'YYMM' });
    const start = optional(q, 'startDate', RULES.date);
    const end = optional(q, 'endDate', RULES.date);
    const page = Number(optional(q, 'page', RULES.digits) ?? '1');
    const pageSize = Number(optional(q, 'pageSize', RULES.digits) ?? String(DEFAULT_PAGE_SIZE));
    if (page < 1) throw LedgerError.of('bad-request', '"page" must be 1 or more');
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw LedgerError.of('bad-request', `"pageSize" must be 1-${MAX_PAGE_SIZE}`);
    const fp = pan === undefined ? undefined : deps.ledger.resolve(expiry === undefined ? { pan } : { pan, expiry }).fp;
    const from = start === undefined ? undefined : dayStart(start, 'startDate');
    const to = end === undefined ? undefined : dayStart(end, 'endDate') + 86_400_000;
    const { entries, total } = deps.history.query({
      page, pageSize,
      ...(fp === undefined ? {} : { fp }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
    const body: TransactionsResponse = {
      transactions: entries.map(record),
      totalRecords: String(total),
      totalPages: String(Math.ceil(total / pageSize)),
    };
    return finish(req, reply, 200, body);
  });
  done();
};
