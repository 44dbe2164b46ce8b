import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { luhnValid } from '../../protocol/reader/index.js';
import { PosError } from '../../protocol/index.js';
import type { Fixtures } from './fixtures.js';

/** Fixtures that cannot be read (`FIXTURES_ERR_READ`) or are not valid (`FIXTURES_ERR_INVALID`, naming every bad key). */
export class FixturesError extends PosError<'FIXTURES_ERR_READ' | 'FIXTURES_ERR_INVALID'> {}

const Account = z.strictObject({
  accountId: z.string().regex(/^\S{1,64}$/),
  accountName: z.string().max(100),
  accountType: z.string().regex(/^\S{1,16}$/),
  balance: z.number().int().min(0),
});

const Offer = z.strictObject({
  merchant_id: z.string().min(1),
  name: z.string().min(1),
  description: z.array(z.string()),
  type: z.enum(['discount', 'cashback']),
  value: z.number().positive(),
  value_type: z.enum(['percent', 'amount']),
  min_spend: z.number().int().min(0).optional(),
});

const Card = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be 1-32 lower-case letters, digits or dashes'),
  pan: z.string().regex(/^[0-9]{12,19}$/, 'must be 12-19 digits').refine(luhnValid, 'must pass the Luhn check'),
  expiry: z.string().regex(/^[0-9]{2}(0[1-9]|1[0-2])$/, 'must be YYMM'),
  holder: z.string().max(26),
  enrolled: z.boolean(),
  accounts: z.array(Account),
  behaviour: z.enum(['normal', 'slow', 'host-error', 'commit-then-drop']),
  linkedOffers: z.array(z.number().int().min(0)),
});

/** The Fixtures shape as a zod schema (strict: unknown keys are errors). */
export const FixturesSchema = z
  .strictObject({
    earnRate: z.number().min(0).max(1000),
    slowDelayS: z.number().min(0).max(600),
    merchantAliases: z.record(z.string(), z.string()),
    offers: z.array(Offer),
    cards: z.array(Card).min(1),
  })
  .superRefine((f, ctx) => {
    const names = new Set<string>();
    f.cards.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['cards', i, 'name'], message: `duplicate card name "${c.name}"` });
      names.add(c.name);
      c.linkedOffers.forEach((o, j) => {
        if (o >= f.offers.length) ctx.addIssue({ code: 'custom', path: ['cards', i, 'linkedOffers', j], message: `no offer at index ${o}` });
      });
    });
  });

/** Validates a fixtures object; the error names every bad key, e.g. `cards[2].pan: must pass the Luhn check`. */
export function parseFixtures(input: unknown): Fixtures {
  const r = FixturesSchema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const key = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    // Zod messages for PAN refinements never echo the value.
    return `"${key || '(root)'}": ${i.message}`;
  });
  throw new FixturesError('FIXTURES_ERR_INVALID', `invalid fixtures: ${lines.join('; ')}`);
}

/** Reads and validates a fixtures JSON file (`--fixtures FILE`). */
export function loadFixturesFile(file: string): Fixtures {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FixturesError('FIXTURES_ERR_READ', `cannot read fixtures file ${file}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FixturesError('FIXTURES_ERR_INVALID', `fixtures file ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseFixtures(json);
}
