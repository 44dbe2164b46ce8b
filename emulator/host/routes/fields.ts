import type { FastifyRequest } from 'fastify';
import type { RefusalKind } from '../../../protocol/loyalty/index.js';
import { LedgerError } from '../ledger/index.js';

/** A request body or query as a plain record; anything else is a bad request (E37). */
export function asRecord(value: unknown, what = 'body'): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw LedgerError.of('bad-request', `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

export interface FieldRule {
  /** Regular expression the value must match. */
  re: RegExp;
  /** Words for the error message, e.g. "digits (minor units)". */
  expected: string;
  /** The refusal for a bad value. Default `bad-request` (E37). */
  refusal?: RefusalKind;
}

/** Shared rules. Ids are printable, space-free and at most 64 characters. */
export const RULES = {
  id: { re: /^[\x21-\x7e]{1,64}$/, expected: '1-64 printable characters without spaces' },
  digits: { re: /^[0-9]{1,15}$/, expected: 'a string of 1-15 digits' },
  timeStamp: { re: /^[0-9]{14}$/, expected: 'YYYYMMDDhhmmss' },
  date: { re: /^[0-9]{8}$/, expected: 'YYYYMMDD' },
  identifier: { re: /^[\x21-\x7e]{1,254}$/, expected: 'a card PAN, email, mobile number or referral id', refusal: 'invalid-identifier' },
} satisfies Record<string, FieldRule>;

/** Reads an optional string field; a present value must be a string matching the rule. */
export function optional(src: Record<string, unknown>, key: string, rule: FieldRule): string | undefined {
  const v = src[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !rule.re.test(v)) throw LedgerError.of(rule.refusal ?? 'bad-request', `"${key}" must be ${rule.expected}`);
  return v;
}

/** Reads a required string field. */
export function required(src: Record<string, unknown>, key: string, rule: FieldRule): string {
  const v = optional(src, key, rule);
  if (v === undefined) throw LedgerError.of(rule.refusal ?? 'bad-request', `"${key}" is required (${rule.expected})`);
  return v;
}

/** A header value (first one if repeated). */
export function headerOf(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** The seed's card headers (merchantId, terminalId, PAN, expiryDate) as a record. */
export function cardHeaders(req: FastifyRequest): Record<string, unknown> {
  return {
    merchantId: headerOf(req, 'merchantId'),
    terminalId: headerOf(req, 'terminalId'),
    PAN: headerOf(req, 'PAN'),
    expiryDate: headerOf(req, 'expiryDate'),
  };
}
