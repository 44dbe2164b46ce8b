import type { FastifySchemaValidationError } from 'fastify';
import { z } from 'zod';
import { findPanLike } from '../../protocol/index.js';

/** The POS's idempotency key: printable, at most 64 characters, and never card-number shaped (it is stored and shown in the clear). */
const reference = z
  .string()
  .min(1, 'reference must be a non-empty string')
  .max(64, 'reference must be at most 64 characters')
  .regex(/^[\x21-\x7e]+$/, 'reference must be printable ASCII without spaces')
  // A card number anywhere in it (findPanLike, the detector the log masker uses) would be stored and answered in the clear.
  .refine((r) => findPanLike(r).length === 0, 'reference must not hold a card number (13-19 digits passing Luhn, separators ignored); use the sale number');
const positiveInt = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).positive(`${what} must be > 0`).max(1_000_000_000, `${what} must be at most 1000000000`);
const TIMEOUT_INT = 'timeoutMs must be a whole number';
const TIMEOUT_MIN = 'timeoutMs must be >= 100';
const TIMEOUT_MAX = 'timeoutMs must be <= 600000';
const timeoutMs = z.number().int(TIMEOUT_INT).min(100, TIMEOUT_MIN).max(600_000, TIMEOUT_MAX);

/** A request with no body (or `null`) is read as `{}`, so the answer names the first missing field. */
const jsonObject = <T extends z.ZodType>(schema: T) => z.preprocess((body: unknown) => body ?? {}, schema);

/** POST /v1/redemptions */
export const RedemptionBody = jsonObject(z.strictObject({ reference, points: positiveInt('points'), timeoutMs: timeoutMs.optional() }));
/** POST /v1/earnings */
export const EarningBody = jsonObject(z.strictObject({ reference, amount: positiveInt('amount'), timeoutMs: timeoutMs.optional() }));
/** POST /v1/checkout */
export const CheckoutBody = jsonObject(z.strictObject({
  reference,
  amount: positiveInt('amount'),
  redeemPoints: z.number().int('redeemPoints must be a whole number').min(0, 'redeemPoints must be >= 0').optional(),
  acceptOffer: z.boolean().optional(),
  timeoutMs: timeoutMs.optional(),
}));
/** POST /v1/voids */
export const VoidBody = jsonObject(z.strictObject({ reference, originalReference: reference, timeoutMs: timeoutMs.optional() }));
/** POST /v1/returns */
export const ReturnBody = jsonObject(z.strictObject({ reference, originalReference: reference, amount: positiveInt('amount'), timeoutMs: timeoutMs.optional() }));
/** GET /v1/operations/{reference} */
export const OperationParams = z.strictObject({ reference });
/** GET /v1/balance?timeoutMs= */
export const BalanceQuery = z.strictObject({
  // The checks on the coerced number itself (not a pipe), so that the OpenAPI document shows the parameter's limits.
  timeoutMs: z.coerce.number().int(TIMEOUT_INT).min(100, TIMEOUT_MIN).max(600_000, TIMEOUT_MAX).optional(),
});
/** GET /v1/queue?state=&limit=&offset= */
export const QueueQuery = z.strictObject({
  state: z.enum(['pending', 'sending', 'done', 'dead', 'abandoned']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

/**
 * The first problem a route schema found, as "field: message". `issues` are
 * zod's, as fastify-type-provider-zod hands them to fastify (`keyword` is
 * the zod issue code, `instancePath` its path as `/a/b`, `params` the rest).
 */
export function firstIssue(issues: readonly FastifySchemaValidationError[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid request';
  if (issue.keyword === 'unrecognized_keys') {
    const keys = Array.isArray(issue.params.keys) ? issue.params.keys : [];
    return `unknown field(s): ${keys.join(', ')}`;
  }
  const path = issue.instancePath.slice(1);
  const where = path.length > 0 ? path.replaceAll('/', '.') : 'body';
  return `${where}: ${issue.message ?? 'invalid'}`;
}
/**
 * POST /v1/queue/flush: no body, an empty JSON object, or `null` (fastify hands a route no body as `null`, so the
 * two are one; the OpenAPI document says so); any field, or an array, is refused like anywhere else.
 */
export const FlushBody = z.strictObject({}).nullable().optional();
