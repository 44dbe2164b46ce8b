import { z } from 'zod';
import type {
  CreateCardRequest,
  CreateOfferRequest,
  CreatePersonRequest,
  LinkCardOfferRequest,
  OfferSpec,
} from './offerContract.js';

/** A non-empty trimmed-length-checked text field. */
const text = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const minorUnits = z.number().int('must be an integer (minor units)').nonnegative('must be 0 or more');
const isoDay = z.iso.date('must be a date YYYY-MM-DD');

/** Offer details: see {@link OfferSpec}. */
export const offerSpecSchema: z.ZodType<OfferSpec> = z
  .object({
    name: text(120),
    description: z.array(text(500)).max(20, 'must have at most 20 lines'),
    type: z.enum(['discount', 'cashback'], 'must be "discount" or "cashback"'),
    value: z.number().int('must be an integer').positive('must be at least 1'),
    value_type: z.enum(['percent', 'amount'], 'must be "percent" or "amount"'),
    min_spend: minorUnits.optional(),
    start_date: isoDay.optional(),
    end_date: isoDay.optional(),
    activation_limit: z.number().int('must be an integer').positive('must be at least 1').optional(),
  })
  .check((ctx) => {
    const o = ctx.value;
    if (o.value_type === 'percent' && o.value > 100) {
      ctx.issues.push({ code: 'custom', input: o.value, path: ['value'], message: 'a percent must be 1-100' });
    }
    if (o.start_date !== undefined && o.end_date !== undefined && o.end_date < o.start_date) {
      ctx.issues.push({ code: 'custom', input: o.end_date, path: ['end_date'], message: 'must not be before start_date' });
    }
  });

/** Merchant ids are text; a JSON number is accepted and kept as its decimal text. */
const merchantId = z.union([
  text(64),
  z.number().int().nonnegative().transform((n) => String(n)),
], 'must be a merchant id (text or integer)');

export const createOfferSchema: z.ZodType<CreateOfferRequest> = z.object({
  merchant_id: merchantId,
  offer: offerSpecSchema,
});

export const createPersonSchema: z.ZodType<CreatePersonRequest> = z.object({
  first_name: text(100),
  last_name: text(100),
  email: z.email('must be an email address').max(254, 'must be at most 254 characters'),
});

export const createCardSchema: z.ZodType<CreateCardRequest> = z.object({
  person_id: text(64),
  // Digits only here; Luhn and expiry are checked by the handler so the
  // answer can say which rule failed. The message never echoes the value.
  pan: z.string('must be a string of 12-19 digits').regex(/^[0-9]{12,19}$/, 'must be 12-19 digits'),
  exp_month: z.number('must be an integer 1-12').int('must be an integer 1-12').min(1, 'must be 1-12').max(12, 'must be 1-12'),
  exp_year: z
    .number('must be a year, e.g. 2031')
    .int('must be a year, e.g. 2031')
    .refine((y) => (y >= 0 && y <= 99) || (y >= 2000 && y <= 2099), 'must be a year 2000-2099 (or 00-99)'),
});

export const linkCardOfferSchema: z.ZodType<LinkCardOfferRequest> = z.object({
  offer_id: text(64),
});
