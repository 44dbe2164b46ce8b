import { z } from 'zod';
import type { BalanceResult, BurnResult, OfferRedemption, ReverseResult, TerminalOffer } from './hostClient.js';

/** The seed's string amounts (or plain integers) → integer. */
const amount = z.union([z.string().regex(/^-?[0-9]{1,15}$/), z.number().int()]).transform((v) => Number(v));
/** Ids the host may send as strings or numbers → string. */
const idString = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

const account = z.object({
  accountId: idString,
  accountName: z.string().nullish().transform((v) => v ?? ''),
  accountType: idString,
  availableBalance: amount,
});

/** `GET rewards` and `POST rewards/earn` answer. */
export const balanceResponse = z.object({ rewardTrxId: idString, accounts: z.array(account) }) satisfies z.ZodType<BalanceResult, unknown>;

/** `POST rewards/redeem` answer. */
export const burnResponse = z.object({
  rewardTrxId: idString,
  accounts: z.array(z.object({ accountId: idString, accountType: idString, debit: amount, balance: amount })),
}) satisfies z.ZodType<BurnResult, unknown>;

/** `POST rewards/redeem/{id}/reversal` answer. */
export const reverseResponse = z.object({ reversed: z.boolean() }).transform((v): ReverseResult => ({ reversed: v.reversed }));

const offerType = z.enum(['discount', 'cashback']);

/** `POST /terminal/offers` answer, snake_case → {@link TerminalOffer}. */
export const offersResponse = z
  .object({
    offers: z.array(
      z.object({
        card_offer_id: idString,
        offer_id: idString,
        display_text: z.string(),
        type: offerType,
        value: z.number(),
        value_type: z.enum(['percent', 'amount']),
        benefit: amount,
      }),
    ),
  })
  .transform((v): TerminalOffer[] =>
    v.offers.map((o) => ({
      cardOfferId: o.card_offer_id,
      offerId: o.offer_id,
      displayText: o.display_text,
      type: o.type,
      value: o.value,
      valueType: o.value_type,
      benefit: o.benefit,
    })),
  );

/** `POST /terminal/offers/redeem` answer. */
export const offerRedemptionResponse = z
  .object({ redemption_id: idString, type: offerType, benefit: amount })
  .transform((v): OfferRedemption => ({ redemptionId: v.redemption_id, type: v.type, benefit: v.benefit }));

/** `POST /passport/oauth/token` answer (only what the client uses). */
export const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
