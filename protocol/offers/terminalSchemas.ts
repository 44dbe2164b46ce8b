import { z } from 'zod';
import type {
  TerminalOffersRequest, TerminalOffersResponse, TerminalRedeemRequest, TerminalRedeemResponse, TerminalRedemptionReversalRequest,
  TerminalRedemptionReversalResponse,
} from './terminalContract.js';

const id = (max: number) => z.string('must be a string').min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const pan = z.string('must be a string of 12-19 digits').regex(/^[0-9]{12,19}$/, 'must be 12-19 digits');
const expiry = z.string('must be YYMM').regex(/^[0-9]{2}(0[1-9]|1[0-2])$/, 'must be YYMM with month 01-12');
const amount = z.number('must be an integer in minor units').int('must be an integer in minor units').positive('must be at least 1');

export const terminalOffersSchema: z.ZodType<TerminalOffersRequest> = z.object({
  merchantId: id(64),
  terminalId: id(64),
  pan,
  expiryDate: expiry,
  amount,
});

export const terminalRedeemSchema: z.ZodType<TerminalRedeemRequest> = z.object({
  card_offer_id: id(64),
  merchantId: id(64),
  terminalId: id(64),
  transactionId: id(64),
  amount,
  pan,
  expiryDate: expiry,
});

export const terminalRedemptionReversalSchema: z.ZodType<TerminalRedemptionReversalRequest> = z.object({
  transactionId: id(64),
  merchantId: id(64).optional(),
  terminalId: id(64).optional(),
});

/*
 * Validators of the terminal endpoints' success bodies, for the terminal side
 * of the boundary, typed against terminalContract.ts. Lenient as hosts are:
 * ids may come as numbers (→ strings), `benefit` as a digit string (→ number).
 */
const idText = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));
const minorUnitsOf = z.union([z.string().regex(/^-?[0-9]{1,15}$/), z.number().int()]).transform((v) => Number(v));
const offerType = z.enum(['discount', 'cashback']);

/** `POST /terminal/offers` answer. */
export const terminalOffersResponseSchema = z.object({
  offers: z.array(
    z.object({
      card_offer_id: idText,
      offer_id: idText,
      display_text: z.string(),
      type: offerType,
      value: z.number(),
      value_type: z.enum(['percent', 'amount']),
      benefit: minorUnitsOf,
      min_spend: minorUnitsOf.optional(),
    }),
  ),
}) satisfies z.ZodType<TerminalOffersResponse, unknown>;

/** `POST /terminal/offers/redeem` answer. */
export const terminalRedeemResponseSchema = z.object({
  redemption_id: idText,
  type: offerType,
  benefit: minorUnitsOf,
}) satisfies z.ZodType<TerminalRedeemResponse, unknown>;

/** `POST /terminal/offers/redemptions/{id}/reversal` answer. */
export const terminalRedemptionReversalResponseSchema = z.object({
  redemption_id: idText,
  transactionId: z.string().min(1),
  reversed: z.literal(true),
  type: offerType,
  benefit: minorUnitsOf,
}) satisfies z.ZodType<TerminalRedemptionReversalResponse, unknown>;
