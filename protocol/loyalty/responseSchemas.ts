import { z } from 'zod';
import type { BalanceResponse, EarnResponse, EarnReversalResponse, RedeemResponse, RefundResponse, ReversalResponse, TokenResponse } from './contract.js';

/*
 * Validators of the Loyalty REST API's success bodies (contract.ts), for the
 * terminal side of the boundary. Each one is typed against the contract: what
 * passes is a contract value. They are lenient where hosts differ and the
 * seed is loose (its samples send ids and amounts as numbers or as strings):
 * ids become strings, amounts become integer strings, so that code past the
 * boundary reads the contract's types and can trust them.
 */

/** The seed's amounts: an integer as a string (up to 15 digits) or a JSON integer → its decimal string. */
const amountText = z.union([z.string().regex(/^-?[0-9]{1,15}$/), z.number().int()]).transform((v) => String(v));
/** Ids a host may send as strings or numbers → string. */
const idText = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

/** `GET rewards` and `POST rewards/earn` success body. A missing or null `accountName` reads as `''`. */
export const balanceResponseSchema = z.object({
  rewardTrxId: idText,
  accounts: z.array(
    z.object({
      accountId: idText,
      accountName: z.string().nullish().transform((v) => v ?? ''),
      accountType: idText,
      availableBalance: amountText,
    }),
  ),
}) satisfies z.ZodType<BalanceResponse, unknown>;

/** `POST rewards/earn` success body: the balance body, and the extension's `earnedPoints` when the host sends it. */
export const earnResponseSchema = balanceResponseSchema.extend({
  earnedPoints: z.union([z.string().regex(/^[0-9]{1,15}$/), z.number().int().min(0)]).transform((v) => String(v)).optional(),
}) satisfies z.ZodType<EarnResponse, unknown>;

/** `POST rewards/redeem` success body. */
export const redeemResponseSchema = z.object({
  rewardTrxId: idText,
  accounts: z.array(z.object({ accountId: idText, accountType: idText, debit: amountText, balance: amountText })),
}) satisfies z.ZodType<RedeemResponse, unknown>;

/** `POST rewards/redeem/{id}/reversal` success body: only `reversed` is needed; the rest is the host's report. */
export const reversalResponseSchema = z.object({ reversed: z.boolean() }) satisfies z.ZodType<Pick<ReversalResponse, 'reversed'>, unknown>;

/** An earn reversal's or a refund's moved points and what the original has left (project extension): what a client needs. */
const adjustmentShape = { points: amountText, remaining: amountText };

/** `POST rewards/earn/{id}/reversal` success body: the points taken back and what the earn keeps. */
export const earnReversalResponseSchema = z.object(adjustmentShape) satisfies z.ZodType<Pick<EarnReversalResponse, 'points' | 'remaining'>, unknown>;

/** `POST rewards/redeem/{id}/refund` success body: the points given back and what is still refundable. */
export const refundResponseSchema = z.object(adjustmentShape) satisfies z.ZodType<Pick<RefundResponse, 'points' | 'remaining'>, unknown>;

/** `POST /passport/oauth/token` success body: only what a client needs. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
}) satisfies z.ZodType<Pick<TokenResponse, 'access_token' | 'expires_in'>, unknown>;
