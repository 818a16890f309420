import { describe, expect, it } from 'vitest';
import { parseDevRole } from '#infra/local/dev-identity.ts';
import { routeAccess } from '#infra/resources.ts';
import { mayCall, principalFromClaims } from '#shared/auth/principal.ts';
import { parseGroupRoles } from '#shared/auth/role-claims.ts';
import { missingApprovals, nextSignOff, requiredApprovals } from '#shared/domain/payout-rules.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import {
  approvalSettingsOf,
  DEFAULT_PAYOUT_SETTINGS,
  PayoutSettingsSchema,
  SINGLE_APPROVER,
} from '#shared/policy/payout-settings.ts';
import { PolicySchema } from '#shared/policy/policy-schema.ts';
import type { ApprovalRequirement, SignOffRecord } from '#shared/schemas/sign-off.ts';

/** Issue 17, part 3: approvals by amount (reward plus fund share), every approver a different person. */

const TIERS = approvalSettingsOf(DEFAULT_PAYOUT_SETTINGS);
const WAN = 1_000_000; // 1万元 in fen

describe('approval tiers (defaults: 50万, 300万, 一事一议)', () => {
  it('are the defaults of kfq-2019, which sets no payout section', () => {
    expect(DEFAULT_POLICY.payout).toBeUndefined();
    expect(TIERS).toEqual({
      financeHeadAboveFen: 50 * WAN,
      collectiveAboveFen: 300 * WAN,
      collectiveForCaseByCase: true,
    });
  });

  const table: readonly [string, number, boolean, readonly ApprovalRequirement[]][] = [
    ['0 (nothing moves)', 0, false, ['finance']],
    ['49万9999.99', 50 * WAN - 1, false, ['finance']],
    ['exactly 50万', 50 * WAN, false, ['finance']],
    ['50万 and one fen', 50 * WAN + 1, false, ['finance', 'financeHead']],
    ['240万 (2% of 1.2亿)', 240 * WAN, false, ['finance', 'financeHead']],
    ['exactly 300万', 300 * WAN, false, ['finance', 'financeHead']],
    ['300万 and one fen', 300 * WAN + 1, false, ['finance', 'financeHead', 'collectiveDecision']],
    ['1240万 (reward and fund share)', 1240 * WAN, false, ['finance', 'financeHead', 'collectiveDecision']],
    ['一事一议 of 30万', 30 * WAN, true, ['finance', 'collectiveDecision']],
    ['一事一议 of 0', 0, true, ['finance', 'collectiveDecision']],
    ['一事一议 of 200万', 200 * WAN, true, ['finance', 'financeHead', 'collectiveDecision']],
  ];
  for (const [name, amountFen, caseByCase, required] of table) {
    it(name, () => expect(requiredApprovals(TIERS, amountFen, caseByCase)).toEqual(required));
  }

  it('one finance approver when a policy’s own payout section sets no tiers (published before them)', () => {
    const { approvals: _none, ...before } = DEFAULT_PAYOUT_SETTINGS;
    const settings = PayoutSettingsSchema.parse(before);
    expect(approvalSettingsOf(settings)).toEqual(SINGLE_APPROVER);
    expect(requiredApprovals(SINGLE_APPROVER, 5000 * WAN, true)).toEqual(['finance']);
  });

  it('are validated as part of the policy (400 names the field)', () => {
    const result = PolicySchema.safeParse({
      ...DEFAULT_POLICY,
      payout: { ...DEFAULT_PAYOUT_SETTINGS, approvals: { ...TIERS, financeHeadAboveFen: -1 } },
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'payout.approvals.financeHeadAboveFen',
    ]);
  });
});

describe('sign-offs: each its own entry, every approver distinct', () => {
  const entry = (userId: string, slot: SignOffRecord['slot'], collective = false): SignOffRecord => ({
    signOffId: `so_${userId}`,
    leadId: 'ld_tiers',
    revision: 2,
    slot,
    ...(collective
      ? {
          collectiveDecision: {
            body: '县政府常务会议',
            meetingDate: '2026-07-10',
            minutesNumber: '〔2026〕12号',
          },
        }
      : {}),
    signedBy: { userId, role: slot === 'financeHead' ? 'finance-head' : 'finance' },
    signedAt: '2026-07-10T01:00:00.000Z',
  });
  const THREE: readonly ApprovalRequirement[] = ['finance', 'financeHead', 'collectiveDecision'];
  const TWO: readonly ApprovalRequirement[] = ['finance', 'financeHead'];
  const finance = (userId: string) => ({ userId, finance: true, financeHead: false });
  const head = (userId: string) => ({ userId, finance: false, financeHead: true });

  it('one tier: the first finance approver completes it', () => {
    expect(nextSignOff(['finance'], [], finance('a'), false)).toEqual({ slot: 'finance', missingAfter: [] });
  });
  it('two tiers: finance, then the head completes it (either order)', () => {
    expect(nextSignOff(TWO, [], finance('a'), false)).toEqual({
      slot: 'finance',
      missingAfter: ['financeHead'],
    });
    expect(nextSignOff(TWO, [entry('a', 'finance')], head('h'), false)).toEqual({
      slot: 'financeHead',
      missingAfter: [],
    });
    expect(nextSignOff(TWO, [entry('h', 'financeHead')], finance('a'), false)).toEqual({
      slot: 'finance',
      missingAfter: [],
    });
  });
  it('three tiers: the collective decision comes with any sign-off, or afterwards from a signer', () => {
    expect(nextSignOff(THREE, [entry('a', 'finance')], head('h'), true)).toEqual({
      slot: 'financeHead',
      missingAfter: [],
    });
    expect(nextSignOff(THREE, [entry('a', 'finance')], head('h'), false)).toEqual({
      slot: 'financeHead',
      missingAfter: ['collectiveDecision'],
    });
    expect(
      nextSignOff(THREE, [entry('a', 'finance'), entry('h', 'financeHead')], finance('a'), true),
    ).toEqual({ slot: null, missingAfter: [] });
  });
  it('refuses the same person twice (403 approver_not_distinct)', () => {
    const step = nextSignOff(TWO, [entry('h', 'financeHead')], head('h'), false);
    expect(step).toMatchObject({
      refusal: { status: 403, code: 'approver_not_distinct', missing: ['finance'] },
    });
  });
  it('refuses a second finance approver when only the head is missing (409 sign_off_not_needed)', () => {
    const step = nextSignOff(TWO, [entry('a', 'finance')], finance('b'), false);
    expect(step).toMatchObject({
      refusal: { status: 409, code: 'sign_off_not_needed', missing: ['financeHead'] },
    });
    if ('refusal' in step) expect(step.refusal.message.zh).toContain('财政负责人签批');
  });
  it('the finance head signs the head’s tier only; one with both roles fills the head’s first', () => {
    expect(nextSignOff(['finance'], [], head('h'), false)).toMatchObject({
      refusal: { status: 409, code: 'sign_off_not_needed', missing: ['finance'] },
    });
    expect(nextSignOff(TWO, [], { userId: 'x', finance: true, financeHead: true }, false)).toEqual({
      slot: 'financeHead',
      missingAfter: ['finance'],
    });
  });
  it('counts a collective decision once, from whichever entry holds it', () => {
    expect(missingApprovals(THREE, [entry('a', 'finance', true)])).toEqual(['financeHead']);
  });
});

describe('the finance-head role', () => {
  it('is read from the token’s groups, under our names or a mapping, and has dev tokens', () => {
    const head = principalFromClaims({ sub: 'h1', 'cognito:groups': '[finance-head]' });
    expect(head?.roles).toEqual(['finance-head']);
    const mapped = parseGroupRoles({ 财政负责人: 'finance-head' });
    expect(
      principalFromClaims({ sub: 'h1', groups: ['财政负责人'] }, { claim: 'groups', groupRoles: mapped })
        ?.roles,
    ).toEqual(['finance-head']);
    expect(parseDevRole('finance-head')).toEqual({ role: 'finance-head' });
  });

  it('may sign approvals and read what it signs, and nothing that moves money otherwise', () => {
    const head = { userId: 'h1', roles: ['finance-head'] as const };
    const may = (route: string) => {
      const access = routeAccess(route);
      return access !== undefined && access !== 'public' && mayCall(head, access);
    };
    expect(['POST /leads/{id}/approve', 'GET /leads/{id}', 'GET /rewards', 'GET /me'].every(may)).toBe(true);
    expect(
      ['POST /leads/{id}/paid', 'POST /leads/{id}/case-outcome', 'POST /leads/{id}/reject'].some(may),
    ).toBe(false);
  });
});
