import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { PosError } from '../errors.js';

/**
 * Standard Webhooks signing on top of the `standardwebhooks` package:
 * `webhook-signature: v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>`,
 * where the key is the base64-decoded part of the `whsec_...` secret.
 * Pure: the caller passes the timestamp (Unix seconds); nothing reads a clock.
 */

export type WebhookSignatureErrorCode =
  | 'WEBHOOK_ERR_SECRET'
  | 'WEBHOOK_ERR_HEADERS'
  | 'WEBHOOK_ERR_TIMESTAMP'
  | 'WEBHOOK_ERR_SIGNATURE';

export class WebhookSignatureError extends PosError<WebhookSignatureErrorCode> {}

/** The three Standard Webhooks headers. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

const SECRET_RE = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** Default tolerance between the timestamp header and `now`, seconds (the spec's 5 minutes). */
export const WEBHOOK_TOLERANCE_S = 300;

/**
 * Checks a `whsec_<base64>` secret: the base64 must decode to 24–64 bytes (the
 * spec's recommended range). The message never echoes the secret.
 */
export function parseWebhookSecret(secret: string): string {
  if (!SECRET_RE.test(secret)) {
    throw new WebhookSignatureError('WEBHOOK_ERR_SECRET', 'webhook secret must be "whsec_" followed by base64');
  }
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
  if (bytes < 24 || bytes > 64) {
    throw new WebhookSignatureError('WEBHOOK_ERR_SECRET', `webhook secret must decode to 24-64 bytes (got ${bytes})`);
  }
  return secret;
}

/** Signs `body` for delivery: returns the three headers to send with it. */
export function signWebhook(secret: string, msgId: string, timestampS: number, body: string): WebhookHeaders {
  const wh = new Webhook(parseWebhookSecret(secret));
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': wh.sign(msgId, new Date(timestampS * 1000), body),
  };
}

/** Headers as a server sees them (any case, possibly missing or repeated). */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

function header(headers: IncomingHeaders, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/**
 * Verifies a delivery against the secret and `nowS` (Unix seconds): the
 * timestamp must be within `toleranceS` of now, and one of the
 * space-separated `v1,` signatures must match (constant-time compare).
 * Throws {@link WebhookSignatureError}; returns the message id on success.
 */
export function verifyWebhook(
  secret: string,
  headers: IncomingHeaders,
  body: string,
  nowS: number,
  toleranceS: number = WEBHOOK_TOLERANCE_S,
): string {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sigs = header(headers, 'webhook-signature');
  if (!id || !ts || !sigs) {
    throw new WebhookSignatureError('WEBHOOK_ERR_HEADERS', 'webhook-id, webhook-timestamp and webhook-signature are required');
  }
  if (!/^[0-9]{1,12}$/.test(ts)) {
    throw new WebhookSignatureError('WEBHOOK_ERR_TIMESTAMP', 'webhook-timestamp must be Unix seconds');
  }
  const tsS = Number(ts);
  if (Math.abs(nowS - tsS) > toleranceS) {
    throw new WebhookSignatureError('WEBHOOK_ERR_TIMESTAMP', `webhook-timestamp is more than ${toleranceS} s from now`);
  }
  const expected = Buffer.from(signWebhook(secret, id, tsS, body)['webhook-signature'], 'utf8');
  for (const candidate of sigs.split(' ')) {
    const got = Buffer.from(candidate, 'utf8');
    if (got.length === expected.length && timingSafeEqual(got, expected)) return id;
  }
  throw new WebhookSignatureError('WEBHOOK_ERR_SIGNATURE', 'no webhook-signature matches');
}
