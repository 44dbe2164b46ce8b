import { z } from 'zod';

/**
 * What the POS API answers, as zod schemas. They are documentation: the
 * OpenAPI document (`GET /openapi.json`) is generated from them and the
 * request schemas, and the contract test checks real answers against it.
 * The routes serialize their answers with plain JSON (see `posRoutes.ts`),
 * so these never change what is sent. Kinds that grow with the product (the
 * queue's operation kinds) are strings with the known values described.
 */

const maskedPan = z.string().describe('The card number masked: first 6 and last 4 digits, the rest `*` (e.g. `627775******1234`); never the PAN.');

export const CardViewSchema = z.object({
  pan: maskedPan,
  kind: z.enum(['card', 'email', 'mobile', 'referral']).describe('How the customer was identified.'),
});

export const ApiErrorBodySchema = z
  .object({
    errors: z.array(z.object({ code: z.string(), message: z.string() })).min(1),
    error: z.object({ code: z.string(), message: z.string() }).describe('The first of `errors`.'),
  })
  .describe(
    'Every error, in the loyalty host\'s error shape. Codes: `E37` bad request (the message names the first bad field), `E32` malformed JSON, ' +
      '`E14` not application/json, `reader-busy`, `reference-conflict`, `operation-in-progress`, `unknown-reference`, `not-found`, ' +
      'a queue storage code (503), `E21` internal error. Messages never contain a card number.',
  );

export const RedemptionResultSchema = z.object({
  status: z.enum(['approved', 'declined', 'unavailable', 'timeout']),
  transactionId: z.string().describe('The burn\'s id; for a decline before any burn, the balance enquiry\'s id.'),
  card: CardViewSchema.optional(),
  debited: z.number().int().describe('Points debited (0 unless approved).'),
  balanceAfter: z.number().int().nullable().describe('Points left after the burn; null when not known (offline approval, no answer).'),
  queued: z.boolean().optional().describe('True for an offline approval that waits in the queue.'),
  reason: z.string().optional().describe('Why it was not approved, as a stable code (`insufficient-points`, `unknown-card`, `host-unreachable`, `no-card`, ...).'),
});

export const EarningResultSchema = z.union([
  z
    .object({
      status: z.literal('accepted'),
      transactionId: z.string(),
      queued: z.boolean().describe('False when the host has it already (credited); true when it waits in the durable queue for a host that has not answered yet (see GET /v1/queue).'),
      card: CardViewSchema.optional(),
    })
    .describe('The earning is durable: credited by the host, or queued for it.'),
  z
    .object({
      status: z.literal('declined'),
      transactionId: z.string().describe('The earning\'s id; empty when it was declined before anything was written (the offline stand-in).'),
      reason: z.string().describe('The host\'s refusal as a stable code (`unknown-card`, `expired-card`, ...): said by the host within the POS deadline, or, with the host away, known to the terminal (an expired card, a card the host refused online).'),
      card: CardViewSchema.optional(),
    })
    .describe('The host refused the earning, or would: nothing will be credited.'),
]);

/** An earning that never got a card (no swipe before the deadline, reader unplugged): not final, the reference may be used again. */
export const NoCardResultSchema = z.object({
  status: z.enum(['timeout', 'declined', 'unavailable']),
  reason: z.string(),
});

const RewardAccountSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  accountType: z.string().describe('The host\'s account type; `1` is a pool account, debited first.'),
  availableBalance: z.number(),
});

export const BalanceViewSchema = z.object({
  status: z.enum(['ok', 'declined', 'unavailable', 'timeout']),
  card: CardViewSchema.optional(),
  accounts: z.array(RewardAccountSchema),
  reason: z.string().optional(),
});

const OfferStepSchema = z.object({
  status: z.enum(['applied', 'available', 'none', 'declined', 'unavailable']),
  cardOfferId: z.string().optional(),
  displayText: z.string().optional(),
  type: z.enum(['discount', 'cashback']).optional(),
  benefit: z.number().int(),
  redemptionId: z.string().optional(),
  transactionId: z.string().optional(),
  reason: z.string().optional(),
});

export const CheckoutResultSchema = z.object({
  reference: z.string(),
  card: CardViewSchema,
  amount: z.number().int(),
  offer: OfferStepSchema,
  redemption: RedemptionResultSchema.nullable(),
  earning: z
    .union([
      EarningResultSchema,
      z.object({ status: z.literal('unavailable'), reason: z.literal('not-recorded') }).describe('The earning could not be written (a full disk) after the checkout took work that stands (a burn or offer done, queued or to be reversed): nothing of it is queued.'),
    ])
    .nullable(),
  amountDue: z.number().int().describe('What the customer still pays, minor units: amount − discount − points debited (1 point = 1 minor unit).'),
});

const UndoStepSchema = z.object({
  status: z.enum(['done', 'queued', 'refused', 'none']).describe('`done`: the host has it; `queued`: it waits in the durable queue; `refused`: the host refused it; `none`: nothing to undo.'),
  transactionId: z.string().optional(),
  points: z.number().int().nullable().describe('Points given or taken back; null while the host has not said how many the earn credited.'),
  reason: z.string().optional(),
});

export const UndoResultSchema = z.object({
  status: z.enum(['accepted', 'declined', 'unavailable', 'timeout']),
  kind: z.enum(['void', 'return']),
  reference: z.string(),
  originalReference: z.string(),
  card: CardViewSchema.optional(),
  amount: z.number().int().describe('Minor units of the sale this covers (a void: all that was left).'),
  remaining: z.number().int().nullable().describe('Minor units still returnable after it; null in an answer rebuilt after a crash.'),
  refund: UndoStepSchema.describe('Points given back on the sale\'s burn.'),
  earnReversal: UndoStepSchema.describe('Points taken back from the sale\'s earning.'),
  offer: z.object({
    status: z.enum(['reversed', 'queued', 'kept', 'already-reversed', 'refused', 'none']),
    transactionId: z.string().optional(),
    clawBack: z.number().int().describe('Minor units of the discount or cashback the POS takes back from the refund now.'),
    reason: z.string().optional(),
  }),
  queued: z.boolean().describe('True when some step waits in the durable queue.'),
  reason: z.string().optional().describe('Why it was not accepted: `sale-not-found`, `return-exceeds-sale`, `card-mismatch`, ...'),
});

const operationState = z.enum(['pending', 'sending', 'done', 'dead', 'abandoned']);

export const OperationLookupSchema = z.object({
  reference: z.string(),
  kind: z.string().describe('The POS operation: `redemption`, `earning`, `checkout`, `void`, `return`, ...'),
  state: z.enum(['running', 'final']).describe('`running`: the first call has not answered yet; `final`: `answer` is what every retry gets.'),
  answer: z.unknown().describe('The answer the POS was (or will be) given, as the route answered it.'),
  operations: z.array(
    z.object({
      transactionId: z.string(),
      kind: z.string().describe('`earn`, `burn`, `offer-redeem`, `reversal`, `refund`, `earn-reversal`, `offer-reversal`, ...'),
      state: operationState,
      offline: z.boolean(),
      reason: z.string().nullable(),
    }),
  ),
});

export const HealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']).describe('`ok` (200) when the terminal can take sales, offline included; `unavailable` (503) with `reasons`.'),
  reasons: z.array(z.string()).describe('Stable codes: `reader-disconnected`, `queue-not-writable:<code>`, `queue-not-readable:<code>`.'),
  reader: z.enum(['connected', 'disconnected']),
  host: z.enum(['online', 'offline']),
  queue: z.object({ pending: z.number().int(), dead: z.number().int(), oldestAgeS: z.number() }),
});

const QueueStatsSchema = z.object({
  pending: z.number().int(),
  sending: z.number().int(),
  done: z.number().int(),
  dead: z.number().int(),
  abandoned: z.number().int(),
  counters: z.object({
    accepted: z.number().int(),
    sent: z.number().int(),
    retried: z.number().int(),
    dead: z.number().int(),
    expired: z.number().int(),
    abandoned: z.number().int(),
    pruned: z.number().int(),
  }),
  oldestPendingAgeS: z.number(),
  offline: z.object({ count: z.number().int(), points: z.number().int() }),
  invariantHolds: z.boolean().describe('accepted = pending + sending + done + dead + abandoned + pruned.'),
});

const QueueItemSchema = z.object({
  id: z.number().int(),
  transactionId: z.string(),
  kind: z.string().describe('`earn`, `burn`, `offer-redeem`, `reversal`, `refund`, `earn-reversal`, `offer-reversal`, ...'),
  offline: z.boolean(),
  state: operationState,
  maskedPan,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  deadReason: z.string().nullable(),
  refusal: z.string().nullable().describe('A dead item\'s refusal by the host as a stable reason (`unknown-card`, `expired-card`, `insufficient-points`, ...), or null.'),
  createdAt: z.string().describe('ISO 8601.'),
  nextDueAt: z.string().describe('ISO 8601.'),
  sentAt: z.string().nullable().describe('ISO 8601; null if never put on the wire.'),
  updatedAt: z.string().describe('ISO 8601.'),
  payload: z.unknown().describe('The operation\'s own fields (amount, points, times written with separators).'),
  result: z.unknown().describe('The host\'s answer once done, or null.'),
});

export const QueueListSchema = z.object({
  stats: QueueStatsSchema,
  forwarder: z.object({
    sent: z.number().int(),
    retried: z.number().int(),
    dead: z.number().int(),
    expired: z.number().int(),
    oldestPendingAgeS: z.number(),
  }),
  items: z.array(QueueItemSchema),
});

export const FlushResultSchema = z.object({
  flushed: z.object({ sent: z.number().int(), failed: z.number().int(), dead: z.number().int() }),
  stats: QueueStatsSchema,
});
