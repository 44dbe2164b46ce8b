import type { z } from 'zod';
import { OffersError, type OffersErrorItem } from './offersError.js';

/** Renders a zod issue path as `offer.value` or `description[2]`. */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? 'body' : out;
}

/**
 * Validates a request body against a schema at the boundary. On failure it
 * throws an {@link OffersError} with code 1013 and one item per problem,
 * each naming the field and what was expected. zod's messages do not echo
 * input values, and OffersError masks anything PAN-like regardless.
 */
export function parseBody<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const items: OffersErrorItem[] = result.error.issues.map((issue) => ({
    code: '1013',
    message: `${what}: ${pathText(issue.path)}: ${issue.message}`,
  }));
  const [first, ...more] = items;
  throw new OffersError('1013', first?.message ?? `${what}: invalid body`, { more });
}
