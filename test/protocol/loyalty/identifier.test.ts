import { describe, expect, it } from 'vitest';
import { classifyIdentifier, IdentifierError } from '../../../protocol/loyalty/identifier.js';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';

const HAPPY = DEFAULT_FIXTURES.cards[0]!.pan; // 6280000000000016

describe('classifyIdentifier', () => {
  it.each([
    ['card', HAPPY, '3012', 'card'],
    ['email', 'harriet@example.com', undefined, 'email'],
    ['email, sub-domain', 'a.b+c@mail.example.co.uk', undefined, 'email'],
    ['mobile, national', '08030000066', undefined, 'mobile'],
    ['mobile, E.164', '+2348030000066', undefined, 'mobile'],
    ['mobile, 15 digits', '123456789012345', undefined, 'mobile'],
    ['referral', 'REF-AB12CD34', undefined, 'referral'],
    ['card-like digits without expiry are a mobile number', '628000000000001', '', 'mobile'],
  ])('%s', (_n, pan, expiry, kind) => {
    expect(classifyIdentifier(pan, expiry)).toBe(kind);
  });

  it.each([
    ['empty', '', undefined, 'IDENT_ERR_EMPTY'],
    ['card with letters', '62800000000000AB', '3012', 'IDENT_ERR_CARD_FORMAT'],
    ['card too short', '62800000001', '3012', 'IDENT_ERR_CARD_FORMAT'],
    ['card failing Luhn', '6280000000000017', '3012', 'IDENT_ERR_CARD_LUHN'],
    ['expiry month 13', HAPPY, '3013', 'IDENT_ERR_EXPIRY_FORMAT'],
    ['expiry month 00', HAPPY, '3000', 'IDENT_ERR_EXPIRY_FORMAT'],
    ['expiry not digits', HAPPY, '30-1', 'IDENT_ERR_EXPIRY_FORMAT'],
    ['email without dot', 'a@localhost', undefined, 'IDENT_ERR_UNRECOGNISED'],
    ['email with space', 'a b@x.com', undefined, 'IDENT_ERR_UNRECOGNISED'],
    ['two @', 'a@b@x.com', undefined, 'IDENT_ERR_UNRECOGNISED'],
    ['referral too short', 'REF-AB12', undefined, 'IDENT_ERR_UNRECOGNISED'],
    ['referral with symbol', 'REF-AB12CD3!', undefined, 'IDENT_ERR_UNRECOGNISED'],
    ['mobile too short', '080300000', undefined, 'IDENT_ERR_UNRECOGNISED'],
    ['mobile too long', '1234567890123456', undefined, 'IDENT_ERR_UNRECOGNISED'],
    ['garbage', 'hello', undefined, 'IDENT_ERR_UNRECOGNISED'],
  ])('rejects %s', (_n, pan, expiry, code) => {
    let caught: unknown;
    try {
      classifyIdentifier(pan, expiry);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IdentifierError);
    expect((caught as IdentifierError).code).toBe(code);
    expect((caught as IdentifierError).hostCode).toBe('1013');
    expect((caught as Error).message).not.toContain(pan === '' ? '\u0000' : pan);
  });
});
