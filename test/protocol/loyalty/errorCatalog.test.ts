import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, isLoyaltyErrorCode, statusOf } from '../../../protocol/loyalty/errorCatalog.js';
import { errorBody, isErrorBody } from '../../../protocol/loyalty/errorBody.js';

describe('error catalog', () => {
  it('has every seed E-code E10..E41 and the business codes', () => {
    for (let n = 10; n <= 41; n++) expect(isLoyaltyErrorCode(`E${n}`)).toBe(true);
    for (const c of ['2020', '1013', '10002', 'L14', 'L25', 'L30', 'L51', 'L54', 'L96']) expect(isLoyaltyErrorCode(c)).toBe(true);
    expect(isLoyaltyErrorCode('E42')).toBe(false);
    expect(isLoyaltyErrorCode('toString')).toBe(false);
  });

  it('keeps the seed messages verbatim (spot checks copied from the seed)', () => {
    expect(ERROR_CATALOG.E24.message).toBe(
      'Please synchronize your time with the server and ensure your time is not outside of 30mins of the Server local time. The standard time zone used is GMT',
    );
    expect(ERROR_CATALOG.E27.message).toBe('An unknown error occured during Authentication. Please ask Interswitch Support for more help.');
    expect(ERROR_CATALOG.E32.message).toBe('JSON data is badly formatted');
    expect(ERROR_CATALOG['2020'].message).toBe('Duplicate Account Not Allowed');
    expect(ERROR_CATALOG['1013'].message).toBe('Account Creation Error [UMI Format]');
  });

  it('maps the L-codes to their HTTP statuses', () => {
    expect([statusOf('L14'), statusOf('L51'), statusOf('L54'), statusOf('L25'), statusOf('L30'), statusOf('L96')]).toEqual([404, 422, 422, 404, 422, 500]);
    for (const c of ['E22', 'E23', 'E24', 'E25', 'E26', 'E29'] as const) expect(statusOf(c)).toBe(401);
  });
});

describe('errorBody', () => {
  it('builds the seed body exactly', () => {
    expect(JSON.stringify(errorBody('2020'))).toBe(
      '{"errors":[{"code":"2020","message":"Duplicate Account Not Allowed"}],"error":{"code":"2020","message":"Duplicate Account Not Allowed"}}',
    );
    expect(errorBody('10002')).toEqual({ errors: [{ code: '10002', message: 'null' }], error: { code: '10002', message: 'null' } });
    expect(errorBody('L51', 'need 100, have 50').error.message).toBe('need 100, have 50');
  });

  it('recognises the shape', () => {
    expect(isErrorBody(errorBody('E32'))).toBe(true);
    expect(isErrorBody({ errors: [], error: null })).toBe(false);
    expect(isErrorBody('x')).toBe(false);
  });
});
