import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidResidentId,
  isValidUscc,
  maskResidentId,
  residentIdCheckChar,
  usccCheckChar,
} from '#shared/domain/identifiers.ts';
import { arbResidentId, arbUscc, makeValidResidentId } from '#test/fixtures/identifiers.ts';

describe('unified social credit code (GB 32100-2015)', () => {
  it.each([
    ['91350100M000100Y43', 'the commonly cited example'],
    ['91371500MA3C8K2L1R', 'an example lead investor'],
    ['52371500MJD1234566', 'a social organisation'],
  ])('accepts %s (%s)', (code) => {
    expect(isValidUscc(code)).toBe(true);
  });

  it.each([
    ['91350100M000100Y44', 'wrong check character'],
    ['91350100M000100Y4', '17 characters'],
    ['91350100M000100Y433', '19 characters'],
    ['91350100m000100y43', 'lower case'],
    ['91350100M0001O0Y43', 'letter O is not in the alphabet'],
    ['91350100I000100Y43', 'letter I is not in the alphabet'],
    ['', 'empty'],
  ])('refuses %j (%s)', (code) => {
    expect(isValidUscc(code)).toBe(false);
  });

  it('maps a sum that is a multiple of 31 to check character 0', () => {
    expect(usccCheckChar('00000000000000000')).toBe('0');
  });

  it('accepts every generated code and refuses it with any other check character', () => {
    fc.assert(
      fc.property(arbUscc, fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'.split('')), (code, other) => {
        expect(isValidUscc(code)).toBe(true);
        const altered = code.slice(0, 17) + other;
        expect(isValidUscc(altered)).toBe(other === code.charAt(17));
      }),
    );
  });
});

describe('resident ID (GB 11643)', () => {
  it.each([
    ['11010519491231002X', 'the standard example with check X'],
    ['371502197803152611', 'an example natural person'],
    [makeValidResidentId('440301', '20000229', '001'), 'born on a leap day'],
  ])('accepts %s (%s)', (id) => {
    expect(isValidResidentId(id)).toBe(true);
  });

  it.each([
    ['110105194912310021', 'wrong check digit'],
    ['11010519491231002x', 'lower-case x (the schema upper-cases first)'],
    [`${'440301'}19990229001${residentIdCheckChar('44030119990229001')}`, '29 February in a common year'],
    [`${'440301'}19801301001${residentIdCheckChar('44030119801301001')}`, 'month 13'],
    [`${'040301'}19800101001${residentIdCheckChar('04030119800101001')}`, 'region starting with 0'],
    ['11010519491231002', '17 characters'],
    ['1101051949123100XX', 'X inside the body'],
  ])('refuses %s (%s)', (id) => {
    expect(isValidResidentId(id)).toBe(false);
  });

  it('accepts every generated ID and refuses it with any other check character', () => {
    fc.assert(
      fc.property(arbResidentId, fc.constantFrom(...'0123456789X'.split('')), (id, other) => {
        expect(isValidResidentId(id)).toBe(true);
        expect(isValidResidentId(id.slice(0, 17) + other)).toBe(other === id.charAt(17));
      }),
    );
  });
});

describe('maskResidentId', () => {
  it('keeps the region and the last two characters and hides the birth date', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105**********2X');
  });

  it('masks a malformed value completely', () => {
    expect(maskResidentId('1101051949123')).toBe('*************');
    expect(maskResidentId('1'.repeat(30))).toBe('*'.repeat(18));
  });

  it('never shows the birth date of any ID', () => {
    fc.assert(
      fc.property(arbResidentId, (id) => {
        const masked = maskResidentId(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(6, 16)).toBe('*'.repeat(10));
      }),
    );
  });
});
