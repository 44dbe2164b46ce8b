import { z } from 'zod';
import type { TerminalOffersRequest, TerminalRedeemRequest } from './terminalContract.js';

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
