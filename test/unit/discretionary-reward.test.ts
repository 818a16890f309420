import { describe, expect, it } from 'vitest';
import {
  discretionaryView,
  type ProposalFacts,
  proposalRefusal,
  requiredSignOffs,
  signOffSlot,
} from '#shared/domain/discretionary-reward.ts';
import {
  DEFAULT_PAYOUT_SETTINGS,
  discretionarySettingsOf,
  PayoutSettingsSchema,
} from '#shared/policy/payout-settings.ts';
import {
  DiscretionaryRewardBodySchema,
  type DiscretionaryRewardRecord,
} from '#shared/schemas/discretionary-reward.ts';
import { problemsFromZod } from '#shared/schemas/zod-text.ts';
import { makeValidResidentId, makeValidUscc } from '#test/fixtures/identifiers.ts';
import { ENTERPRISE_USCC } from '#test/fixtures/leads.ts';

const TEAM_USCC = makeValidUscc('91371500MA3X7T2Q1');
const PERSON_ID = makeValidResidentId('371502', '19850612', '437');
const team = { type: 'professional_team' as const, name: '聊城招商服务团队', uscc: TEAM_USCC };

function facts(overrides: Partial<ProposalFacts> = {}): ProposalFacts {
  return {
    settings: discretionarySettingsOf(DEFAULT_PAYOUT_SETTINGS),
    proposerRoles: ['finance'],
    amountFen: 30_000_000,
    recipient: team,
    hasCollectiveDecision: true,
    hasLegalBasis: true,
    leadClaimedFen: 0,
    yearClaimedFen: 0,
    referralRecipients: [],
    ...overrides,
  };
}

const capped = (capPerLeadFen: number | null, capPerYearFen: number | null) => ({
  ...discretionarySettingsOf(DEFAULT_PAYOUT_SETTINGS),
  capPerLeadFen,
  capPerYearFen,
});

describe('a proposal of a reward by decision', () => {
  it.each([
    ['allowed under the defaults', {}, undefined, undefined],
    [
      'not allowed by the policy',
      { settings: { ...discretionarySettingsOf(DEFAULT_PAYOUT_SETTINGS), allowed: false } },
      'discretionary_not_allowed',
      undefined,
    ],
    [
      'a policy section that says nothing: none allowed',
      { settings: discretionarySettingsOf({ ...DEFAULT_PAYOUT_SETTINGS, discretionary: undefined }) },
      'discretionary_not_allowed',
      undefined,
    ],
    ['a role the policy does not name', { proposerRoles: ['sector:food'] }, 'not_a_proposer', undefined],
    ['no legal basis', { hasLegalBasis: false }, 'legal_basis_missing', ['legalBasis']],
    [
      'no collective decision',
      { hasCollectiveDecision: false },
      'collective_decision_missing',
      ['collectiveDecision'],
    ],
    [
      'neither: both named',
      { hasLegalBasis: false, hasCollectiveDecision: false },
      'legal_basis_missing',
      ['legalBasis', 'collectiveDecision'],
    ],
    [
      'exactly the cap per lead',
      { settings: capped(50_000_000, null), leadClaimedFen: 20_000_000 },
      undefined,
      undefined,
    ],
    [
      'a fen above the cap per lead',
      { settings: capped(50_000_000, null), leadClaimedFen: 20_000_001 },
      'discretionary_cap_exceeded',
      ['capPerLead'],
    ],
    [
      'exactly the cap per year',
      { settings: capped(null, 100_000_000), yearClaimedFen: 70_000_000 },
      undefined,
      undefined,
    ],
    [
      'a fen above the cap per year',
      { settings: capped(null, 100_000_000), yearClaimedFen: 70_000_001 },
      'discretionary_cap_exceeded',
      ['capPerYear'],
    ],
    [
      'both caps: the lead’s first',
      { settings: capped(10_000_000, 10_000_000) },
      'discretionary_cap_exceeded',
      ['capPerLead'],
    ],
    [
      'the project’s introducer, who earns its 2% reward',
      {
        recipient: { ...team, uscc: ENTERPRISE_USCC },
        referralRecipients: [{ type: 'leading_enterprise', name: 'x', uscc: ENTERPRISE_USCC }],
      },
      'second_referral_reward',
      undefined,
    ],
    [
      'the same person by resident ID, another name',
      {
        recipient: { type: 'intermediary' as const, name: '李四', residentId: PERSON_ID },
        referralRecipients: [{ type: 'natural_person', name: '李老四', residentId: PERSON_ID }],
      },
      'second_referral_reward',
      undefined,
    ],
    [
      'another introducer earns the 2%: this recipient may be rewarded',
      { referralRecipients: [{ type: 'leading_enterprise', name: 'x', uscc: ENTERPRISE_USCC }] },
      undefined,
      undefined,
    ],
  ] as const)('%s → %s', (_, overrides, code, missing) => {
    const refusal = proposalRefusal(facts(overrides as Partial<ProposalFacts>));
    expect(refusal?.code).toBe(code);
    if (missing !== undefined) expect(refusal?.missing).toEqual(missing);
  });

  it('names the missing items in both languages', () => {
    const refusal = proposalRefusal(facts({ hasLegalBasis: false, hasCollectiveDecision: false }));
    expect(refusal?.message.zh).toContain('法律依据');
    expect(refusal?.message.zh).toContain('集体决策');
    expect(refusal?.message.en).toContain('a legal basis');
  });
});

describe('the sign-offs an amount needs', () => {
  const approvals = {
    financeHeadAboveFen: 50_000_000,
    collectiveAboveFen: 300_000_000,
    collectiveForCaseByCase: true,
  };
  it.each([
    [1, ['finance']],
    [50_000_000, ['finance']],
    [50_000_001, ['finance', 'financeHead']],
    [300_000_001, ['finance', 'financeHead']],
  ])('%i fen → %j', (amount, expected) => {
    expect(requiredSignOffs(approvals, amount)).toEqual(expected);
  });
  it('a section without tiers: one finance approver', () => {
    expect(requiredSignOffs({ ...approvals, financeHeadAboveFen: null }, 900_000_000)).toEqual(['finance']);
  });

  const record = (
    required: ('finance' | 'financeHead')[],
    signed: [string, 'finance' | 'financeHead'][] = [],
  ) =>
    ({
      proposedBy: { userId: 'fin-p', role: 'finance' },
      required,
      signOffs: signed.map(([userId, slot]) => ({
        slot,
        by: { userId, role: 'finance' },
        at: '',
        note: null,
      })),
    }) as unknown as DiscretionaryRewardRecord;

  it.each([
    ['the proposer', record(['finance']), 'fin-p', ['finance'], 'maker_checker'],
    ['another member of finance', record(['finance']), 'fin-a', ['finance'], 'finance'],
    [
      'the head where only finance is needed',
      record(['finance']),
      'head',
      ['finance-head'],
      'sign_off_not_needed',
    ],
    ['the head first', record(['finance', 'financeHead']), 'head', ['finance-head'], 'financeHead'],
    [
      'both roles: the head’s slot first',
      record(['finance', 'financeHead']),
      'both',
      ['finance', 'finance-head'],
      'financeHead',
    ],
    [
      'the same person twice',
      record(['finance', 'financeHead'], [['fin-a', 'finance']]),
      'fin-a',
      ['finance'],
      'approver_not_distinct',
    ],
    [
      'a second finance approver',
      record(['finance', 'financeHead'], [['fin-a', 'finance']]),
      'fin-b',
      ['finance'],
      'sign_off_not_needed',
    ],
  ] as const)('%s', (_, rec, userId, roles, expected) => {
    const slot = signOffSlot(rec, userId, roles);
    expect('code' in slot ? slot.code : slot.slot).toBe(expected);
  });
});

describe('what the API shows', () => {
  it('masks a person’s resident ID and never returns the key of a retry', () => {
    const view = discretionaryView(
      {
        recipient: { type: 'intermediary', name: '李四', residentId: PERSON_ID },
        idempotencyKey: 'k',
        version: 3,
        state: 'PROPOSED',
        required: ['finance'],
        signOffs: [],
      } as unknown as DiscretionaryRewardRecord,
      undefined,
    );
    expect(JSON.stringify(view)).not.toContain(PERSON_ID);
    expect(view.recipient.residentIdMasked).toBe(`${PERSON_ID.slice(0, 6)}**********${PERSON_ID.slice(16)}`);
    expect(view).not.toHaveProperty('idempotencyKey');
    expect(view.missing).toEqual(['finance']);
  });
});

describe('request bodies and settings', () => {
  const body = {
    recipient: team,
    amount: '30万',
    reason: '牵线搭桥引进项目',
    collectiveDecision: {
      body: '管委会党工委会议',
      meetingDate: '2026-11-20',
      minutesNumber: '〔2026〕12号',
    },
    legalBasis: { document: '《招商引资奖励办法》', clause: '第十条' },
  };
  it.each([
    [body, []],
    [{ ...body, amount: 0 }, ['amount']],
    [{ ...body, recipient: { ...team, type: 'natural_person' } }, ['recipient.type']],
    [{ ...body, recipient: { type: 'intermediary', name: '某中介' } }, ['recipient.uscc']],
    [{ ...body, recipient: { ...team, residentId: PERSON_ID } }, ['recipient.uscc']],
    [{ ...body, recipient: { ...team, uscc: '91371500MA3X7T2Q19' } }, ['recipient.uscc']],
    [
      { ...body, collectiveDecision: { ...body.collectiveDecision, meetingDate: '2026-02-30' } },
      ['collectiveDecision.meetingDate'],
    ],
  ])('%j → %j', (input, fields) => {
    const parsed = DiscretionaryRewardBodySchema.safeParse(input);
    expect(parsed.success ? [] : problemsFromZod(parsed.error).map((p) => p.field)).toEqual(fields);
  });

  it('validates a policy’s own discretionary section, naming the field', () => {
    const section = {
      ...DEFAULT_PAYOUT_SETTINGS,
      discretionary: { ...DEFAULT_PAYOUT_SETTINGS.discretionary, capPerYearFen: -1 },
    };
    const parsed = PayoutSettingsSchema.safeParse(section);
    expect(parsed.success ? [] : problemsFromZod(parsed.error).map((p) => p.field)).toEqual([
      'discretionary.capPerYearFen',
    ]);
    expect(discretionarySettingsOf(DEFAULT_PAYOUT_SETTINGS)).toMatchObject({
      allowed: true,
      drawsOnFund: false,
    });
  });
});
