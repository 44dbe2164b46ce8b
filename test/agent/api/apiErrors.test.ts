/**
 * What the POS API answers a bad request, in the host's error shape: the
 * route schemas' refusals (400 E37 naming the field), the body parser's
 * (E32, empty, too large, another Content-Type), unknown routes (404, card
 * numbers masked) and the checkout's typed errors. A refused request never
 * reaches the checkout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CheckoutError } from '../../../agent/checkout/checkoutService.js';
import { QueueError } from '../../../agent/queue/index.js';
import { api, errorOf, recordingCheckout } from './apiTestKit.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function started(checkout = recordingCheckout()) {
  const a = await api(checkout);
  close = () => a.app.close();
  return { ...a, checkout };
}

describe('POS API errors', () => {
  it.each([
    ['no body at all', 'POST', '/v1/redemptions', undefined, 400, errorOf('E37', 'reference: Invalid input: expected string, received undefined')],
    ['a JSON null body', 'POST', '/v1/redemptions', 'null', 400, errorOf('E37', 'reference: Invalid input: expected string, received undefined')],
    ['an array body', 'POST', '/v1/earnings', '[]', 400, errorOf('E37', 'body: Invalid input: expected object, received array')],
    ['a missing field', 'POST', '/v1/redemptions', '{"reference":"x"}', 400, errorOf('E37', 'points: points must be a number')],
    ['a fractional amount', 'POST', '/v1/checkout', '{"reference":"x","amount":10.5}', 400, errorOf('E37', 'amount: amount must be a whole number')],
    ['unknown fields, one a PAN', 'POST', '/v1/earnings', '{"reference":"x","amount":5,"pan":"6280000000000016","b":1}', 400, errorOf('E37', 'unknown field(s): pan, b')],
    [
      'a card number as reference',
      'POST',
      '/v1/redemptions',
      '{"reference":"6280000000000016","points":1}',
      400,
      errorOf('E37', 'reference: reference must not hold a card number (13-19 digits passing Luhn, separators ignored); use the sale number'),
    ],
    ['a flush with a field', 'POST', '/v1/queue/flush', '{"x":1}', 400, errorOf('E37', 'unknown field(s): x')],
    ['a tiny timeout in the query', 'GET', '/v1/balance?timeoutMs=5', undefined, 400, errorOf('E37', 'timeoutMs: timeoutMs must be >= 100')],
    ['an unknown query field', 'GET', '/v1/balance?x=1', undefined, 400, errorOf('E37', 'unknown field(s): x')],
    ['a bad queue state', 'GET', '/v1/queue?state=bogus', undefined, 400, errorOf('E37', 'state: Invalid option: expected one of "pending"|"sending"|"done"|"dead"|"abandoned"')],
    ['a reference with a space in the path', 'GET', '/v1/operations/a%20b', undefined, 400, errorOf('E37', 'reference: reference must be printable ASCII without spaces')],
    ['a return without its amount', 'POST', '/v1/returns', '{"reference":"r","originalReference":"s"}', 400, errorOf('E37', 'amount: amount must be a number')],
    ['a void without the sale it undoes', 'POST', '/v1/voids', '{"reference":"v"}', 400, errorOf('E37', 'originalReference: Invalid input: expected string, received undefined')],
    [
      'a card number as the sale reference',
      'POST',
      '/v1/voids',
      '{"reference":"v","originalReference":"6280000000000016"}',
      400,
      errorOf('E37', 'originalReference: reference must not hold a card number (13-19 digits passing Luhn, separators ignored); use the sale number'),
    ],
    ['a void with an amount', 'POST', '/v1/voids', '{"reference":"v","originalReference":"s","amount":5}', 400, errorOf('E37', 'unknown field(s): amount')],
    ['malformed JSON', 'POST', '/v1/redemptions', '{"reference": "x", "points": ', 400, errorOf('E32', 'JSON data is badly formatted')],
    ['a prototype-poisoning key', 'POST', '/v1/redemptions', '{"__proto__":{"a":1}}', 400, errorOf('E32', 'JSON data is badly formatted')],
    ['an empty JSON body', 'POST', '/v1/redemptions', '', 400, errorOf('E37', 'the request body is empty; send a JSON object')],
    ['a body over 16 KiB', 'POST', '/v1/earnings', `{"reference":"${'x'.repeat(17_000)}"}`, 413, errorOf('E37', 'the request body is too large')],
    ['an unknown route, a PAN in its path', 'GET', '/v1/cards/6280000000000016', undefined, 404, errorOf('not-found', 'no route GET /v1/cards/628000******0016')],
    ['a known path with another method', 'DELETE', '/v1/health', undefined, 404, errorOf('not-found', 'no route DELETE /v1/health')],
  ])('answers %s', async (_what, method, path, body, status, expected) => {
    const a = await started();
    expect(await a.call(method, path, body)).toEqual({ status, body: expected });
    expect(a.checkout.calls).toEqual([]);
  });

  it.each(['62800000000000160000', 'x628000000000001601234567890', '6280-0000-0000-0016', 'sale.6280000000000016'])(
    'refuses a reference holding a card number inside it (%s), and the same as a sale reference',
    async (reference) => {
      const a = await started();
      const refused = (field: string) => ({
        status: 400,
        body: errorOf('E37', `${field}: reference must not hold a card number (13-19 digits passing Luhn, separators ignored); use the sale number`),
      });
      expect(await a.call('POST', '/v1/earnings', JSON.stringify({ reference, amount: 5 }))).toEqual(refused('reference'));
      expect(await a.call('POST', '/v1/voids', JSON.stringify({ reference: 'v', originalReference: reference }))).toEqual(refused('originalReference'));
      expect(a.checkout.calls).toEqual([]);
    },
  );

  it('serves no HEAD twin of a GET route, which the document does not name', async () => {
    const a = await started();
    for (const path of ['/v1/health', '/v1/queue', '/openapi.json']) {
      const res = await fetch(`${a.url}${path}`, { method: 'HEAD' });
      expect([path, res.status]).toEqual([path, 404]);
    }
  });

  it('answers another Content-Type with 415 E14', async () => {
    const a = await started();
    const res = await fetch(`${a.url}/v1/earnings`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 415, body: errorOf('E14', 'send the body as application/json') });
  });

  it('hands the checkout the parsed request: query strings as numbers', async () => {
    const a = await started();
    expect(await a.call('GET', '/v1/balance?timeoutMs=250')).toEqual({ status: 200, body: { status: 'timeout', accounts: [], reason: 'no-card' } });
    expect(await a.call('POST', '/v1/checkout', '{"reference":"s-1","amount":900,"redeemPoints":0,"acceptOffer":true}')).toMatchObject({ status: 200 });
    expect(await a.call('GET', '/v1/queue?state=dead&limit=5&offset=10')).toEqual({ status: 200, body: { q: { state: 'dead', limit: 5, offset: 10 } } });
    expect(await a.call('POST', '/v1/returns', '{"reference":"r-1","originalReference":"s-1","amount":300,"timeoutMs":5000}')).toMatchObject({ status: 200 });
    expect(await a.call('POST', '/v1/voids', '{"reference":"v-1","originalReference":"s-1"}')).toMatchObject({ status: 200 });
    expect(a.checkout.calls).toEqual([
      ['balance', { timeoutMs: 250 }],
      ['checkout', { reference: 's-1', amount: 900, redeemPoints: 0, acceptOffer: true }],
      ['return', { kind: 'return', reference: 'r-1', originalReference: 's-1', amount: 300, timeoutMs: 5000 }],
      ['void', { kind: 'void', reference: 'v-1', originalReference: 's-1' }],
    ]);
  });

  it.each([
    ['CHECKOUT_ERR_BUSY', new CheckoutError('CHECKOUT_ERR_BUSY', 'busy'), 409, errorOf('reader-busy', 'busy')],
    ['CHECKOUT_ERR_REFERENCE_CONFLICT', new CheckoutError('CHECKOUT_ERR_REFERENCE_CONFLICT', 'other body'), 409, errorOf('reference-conflict', 'other body')],
    ['CHECKOUT_ERR_IN_PROGRESS', new CheckoutError('CHECKOUT_ERR_IN_PROGRESS', 'running'), 409, errorOf('operation-in-progress', 'running')],
    ['QUEUE_ERR_FULL', new QueueError('QUEUE_ERR_FULL', 'disk full'), 503, errorOf('QUEUE_ERR_FULL', 'disk full')],
    ['any other error', new Error('boom'), 500, errorOf('E21', 'internal error; see the agent log')],
  ])('maps %s from the checkout', async (_code, err, status, expected) => {
    const checkout = recordingCheckout();
    const a = await started({ ...checkout, earn: () => Promise.reject(err) });
    expect(await a.call('POST', '/v1/earnings', '{"reference":"e-1","amount":100}')).toEqual({ status, body: expected });
  });
});
