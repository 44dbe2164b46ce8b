import { describe, expect, it } from 'vitest';
import { hostForFile } from './hostFixture.js';

const { api } = hostForFile();

// Bodies copied from the seed.
const DUPLICATE = { errors: [{ code: '2020', message: 'Duplicate Account Not Allowed' }], error: { code: '2020', message: 'Duplicate Account Not Allowed' } };
const INVALID = { errors: [{ code: '1013', message: 'Account Creation Error [UMI Format]' }], error: { code: '1013', message: 'Account Creation Error [UMI Format]' } };
const post = (path: string, body: unknown) => api({ method: 'POST', path: `/api/v1/loyalty/${path}`, body });

describe('POST /api/v1/loyalty/accounts', () => {
  it("creates the seed's sample account with 201, then refuses the duplicate with the seed's body", async () => {
    const r = await post('accounts', { accountId: '08030000066' });
    expect(r.status).toBe(201);
    const dup = await post('accounts', { accountId: '08030000066' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(DUPLICATE);
  });

  it.each([['a space', { accountId: '0803 0000066' }], ['missing', {}], ['a number', { accountId: 8030000066 }], ['empty', { accountId: '' }]])(
    "answers an id with %s with the seed's 1013 body",
    async (_n, body) => {
      const r = await post('accounts', body);
      expect(r.status).toBe(400);
      expect(r.body).toEqual(INVALID);
    },
  );
});

describe('POST /api/v1/loyalty/products', () => {
  it("creates the seed's sample product, refuses the duplicate and a spaced id", async () => {
    expect((await post('products', { productId: '08030000066', productType: 'ABC' })).status).toBe(201);
    const dup = await post('products', { productId: '08030000066', productType: 'ABC' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(DUPLICATE);
    expect((await post('products', { productId: 'P 1', productType: 'ABC' })).body).toEqual(INVALID);
    expect((await post('products', { productId: 'P2' })).body).toEqual(INVALID);
  });
});

describe('POST /api/v1/loyalty/accounts/{accountId}/products', () => {
  it('links an existing product, creates a missing one, and refuses a second link', async () => {
    expect((await post('accounts', { accountId: 'ACC-LINK-1' })).status).toBe(201);
    expect((await post('products', { productId: 'PROD-1', productType: 'ABC' })).status).toBe(201);
    expect((await post('accounts/ACC-LINK-1/products', { productId: 'PROD-1', productType: 'ABC' })).status).toBe(201);
    expect((await post('accounts/ACC-LINK-1/products', { productId: 'PROD-NEW', productType: 'ABC' })).status).toBe(201);
    // The missing product was created: creating it now is a duplicate.
    expect((await post('products', { productId: 'PROD-NEW', productType: 'ABC' })).body).toEqual(DUPLICATE);
    const again = await post('accounts/ACC-LINK-1/products', { productId: 'PROD-1', productType: 'ABC' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(DUPLICATE);
  });

  it('refuses an unknown account (404 L14) and a bad product id (1013)', async () => {
    const r = await post('accounts/NO-SUCH-ACCOUNT/products', { productId: 'P9', productType: 'ABC' });
    expect(r.status).toBe(404);
    expect((r.body as { error: { code: string } }).error.code).toBe('L14');
    expect((await post('accounts/ACC-LINK-1/products', { productId: 'P 9', productType: 'ABC' })).body).toEqual(INVALID);
  });
});
