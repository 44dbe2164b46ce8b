import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { parseWebhookSecret, signWebhook, verifyWebhook, WebhookSignatureError } from '../../../protocol/offers/index.js';

/*
 * Vector 1, computed independently with openssl (the key is the base64-DECODED secret):
 *   KEY_B64=cG9zLWFnZW50LW9mZmVycy10ZXN0LWtleS0zMmJ5dGU=   # "pos-agent-offers-test-key-32byte"
 *   HEX=$(printf '%s' "$KEY_B64" | base64 -d | xxd -p -c 256)
 *   printf '%s' 'msg_2fT0x.1700000000.{"a":1}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$HEX -binary | base64
 *   → h7UR3Cij9aqlg81BQYyf2hobpyXy0q2Prd3NpS0xC6A=
 * Vector 2 is the Standard Webhooks / Svix published example (re-checked with the same openssl command):
 *   secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, id msg_p5jXN8AQM9LWM0D4loKWxJek, ts 1614265330,
 *   body {"test": 2432232314} → g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
 */
const SECRET = 'whsec_cG9zLWFnZW50LW9mZmVycy10ZXN0LWtleS0zMmJ5dGU=';
const vectors = [
  { secret: SECRET, id: 'msg_2fT0x', ts: 1700000000, body: '{"a":1}', sig: 'v1,h7UR3Cij9aqlg81BQYyf2hobpyXy0q2Prd3NpS0xC6A=' },
  {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    ts: 1614265330,
    body: '{"test": 2432232314}',
    sig: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
];

describe('signWebhook', () => {
  it.each(vectors)('matches the independent vector for $id', ({ secret, id, ts, body, sig }) => {
    expect(signWebhook(secret, id, ts, body)).toEqual({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': sig });
  });

  it('is accepted by the standardwebhooks library verifier', () => {
    const nowS = Math.floor(Date.now() / 1000);
    const headers = signWebhook(SECRET, 'msg_lib', nowS, '{"type":"x"}');
    expect(new Webhook(SECRET).verify('{"type":"x"}', { ...headers })).toEqual({ type: 'x' });
  });
});

describe('verifyWebhook', () => {
  const v = vectors[0]!;
  const headers = { 'webhook-id': v.id, 'webhook-timestamp': String(v.ts), 'webhook-signature': v.sig };

  it('accepts the vector within tolerance and returns the id', () => {
    expect(verifyWebhook(SECRET, headers, v.body, v.ts + 299)).toBe('msg_2fT0x');
  });

  it('accepts when one of several space-separated signatures matches, headers in any case', () => {
    const h = { 'Webhook-Id': v.id, 'WEBHOOK-TIMESTAMP': String(v.ts), 'webhook-signature': `v1,AAAA ${v.sig}` };
    expect(verifyWebhook(SECRET, h, v.body, v.ts)).toBe('msg_2fT0x');
  });

  const failures: Array<{ name: string; h: Record<string, string>; body: string; now: number; code: string }> = [
    { name: 'tampered body', h: headers, body: '{"a":2}', now: v.ts, code: 'WEBHOOK_ERR_SIGNATURE' },
    { name: 'other id', h: { ...headers, 'webhook-id': 'msg_other' }, body: v.body, now: v.ts, code: 'WEBHOOK_ERR_SIGNATURE' },
    { name: 'too old', h: headers, body: v.body, now: v.ts + 301, code: 'WEBHOOK_ERR_TIMESTAMP' },
    { name: 'too new', h: headers, body: v.body, now: v.ts - 301, code: 'WEBHOOK_ERR_TIMESTAMP' },
    { name: 'non-numeric timestamp', h: { ...headers, 'webhook-timestamp': '17e8' }, body: v.body, now: v.ts, code: 'WEBHOOK_ERR_TIMESTAMP' },
    { name: 'missing signature', h: { 'webhook-id': v.id, 'webhook-timestamp': String(v.ts) }, body: v.body, now: v.ts, code: 'WEBHOOK_ERR_HEADERS' },
  ];
  it.each(failures)('rejects: $name', ({ h, body, now, code }) => {
    let err: unknown;
    try {
      verifyWebhook(SECRET, h, body, now);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WebhookSignatureError);
    expect((err as WebhookSignatureError).code).toBe(code);
  });
});

describe('parseWebhookSecret', () => {
  it.each([
    { name: 'no prefix', secret: 'cG9zLWFnZW50LW9mZmVycy10ZXN0LWtleS0zMmJ5dGU=' },
    { name: 'not base64', secret: 'whsec_not*base64!' },
    { name: 'too short (8 bytes)', secret: 'whsec_MTIzNDU2Nzg=' },
  ])('rejects $name without echoing it', ({ secret }) => {
    expect(() => parseWebhookSecret(secret)).toThrow(WebhookSignatureError);
    try {
      parseWebhookSecret(secret);
    } catch (e) {
      expect((e as Error).message).not.toContain(secret.slice(6));
    }
  });
});
