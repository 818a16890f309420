import { describe, expect, it } from 'vitest';
import { groupOfRole, mayCall, principalFromClaims, roleOfGroup, sectorsOf } from '#shared/auth/principal.ts';

describe('the caller, from verified claims', () => {
  it('reads Cognito groups flattened by API Gateway ("[a b]") and as an array alike', () => {
    const flattened = principalFromClaims({ sub: 'u1', 'cognito:groups': '[sector-food finance]' });
    const array = principalFromClaims({ sub: 'u1', 'cognito:groups': ['sector-food', 'finance'] });
    expect(flattened).toEqual({ userId: 'u1', roles: ['sector:food', 'finance'] });
    expect(array).toEqual(flattened);
  });

  it('ignores groups that are not roles, and has no principal without a subject', () => {
    expect(
      principalFromClaims({ sub: 'u2', 'cognito:groups': '[admins sector- Finance auditor]' })?.roles,
    ).toEqual(['auditor']);
    expect(principalFromClaims({ 'cognito:groups': '[finance]' })).toBeUndefined();
    expect(principalFromClaims(undefined)).toBeUndefined();
  });

  it('maps groups and roles both ways', () => {
    expect(roleOfGroup('sector-new_energy')).toBe('sector:new_energy');
    expect(groupOfRole('sector:new_energy')).toBe('sector-new_energy');
    expect(groupOfRole('auditor')).toBe('auditor');
  });

  it('lets a route declared for `sector` be called by any sector team, and nobody else', () => {
    const team = { userId: 'u', roles: ['sector:food' as const] };
    const auditor = { userId: 'a', roles: ['auditor' as const] };
    expect(mayCall(team, ['sector'])).toBe(true);
    expect(sectorsOf(team)).toEqual(['food']);
    expect(mayCall(auditor, ['sector', 'finance'])).toBe(false);
    expect(mayCall(auditor, ['auditor'])).toBe(true);
  });
});
