import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth/principal.ts';
import { maySeeSector } from '#shared/use-cases/get-lead.ts';

const as = (...roles: Principal['roles']): Principal => ({ userId: 'someone', roles });

describe('who may read a lead of a sector (GET /leads/{id})', () => {
  it.each([
    ['finance', as('finance'), true],
    // The head signs approvals from the lead page: it reads every sector's leads as finance does.
    ['the finance head', as('finance-head'), true],
    ['an auditor', as('auditor'), true],
    ['the sector team', as('sector:food'), true],
    ['another sector team', as('sector:optoelectronics'), false],
    ['an admin', as('admin'), false],
  ])('%s: %s', (_, principal, expected) => {
    expect(maySeeSector(principal, 'food')).toBe(expected);
  });
});
