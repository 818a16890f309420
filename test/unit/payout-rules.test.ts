import { describe, expect, it } from 'vitest';
import {
  evidenceRecorderRefusal,
  evidenceRefusal,
  registrationRefusal,
} from '#shared/domain/payout-rules.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import {
  DEFAULT_PAYOUT_SETTINGS,
  type PayoutSettings,
  payoutSettingsOf,
} from '#shared/policy/payout-settings.ts';
import { type Policy, PolicySchema } from '#shared/policy/policy-schema.ts';
import type { EvidenceRecord } from '#shared/schemas/evidence.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import type { DecisionRecord } from '#shared/schemas/lead-record.ts';
import type { ReferrerRegistration } from '#shared/schemas/referrer-registration.ts';
import { TEST_HASHING } from '#test/fixtures/identifier-keys.ts';
import { makeLead } from '#test/fixtures/leads.ts';
import { referrerRegistration } from '#test/fixtures/referrer-registration.ts';
import { PAYOUT_GATES_OFF } from '#test/support/payout-prerequisites.ts';

const withRegistration = (registration: ReferrerRegistration | undefined): Lead => ({
  ...makeLead(),
  ...(registration === undefined ? {} : { referrerRegistration: registration }),
});

function policyWith(payout: PayoutSettings): Policy {
  return PolicySchema.parse({ ...DEFAULT_POLICY, version: 'kfq-test-payout', payout });
}

describe('payout settings', () => {
  it('are the domain brief’s defaults for kfq-2019, which sets none (its bytes and hash unchanged)', () => {
    expect(DEFAULT_POLICY.payout).toBeUndefined();
    expect(payoutSettingsOf(DEFAULT_POLICY)).toEqual(DEFAULT_PAYOUT_SETTINGS);
    expect(DEFAULT_PAYOUT_SETTINGS.registration).toEqual({
      required: true,
      beforeSigning: true,
      excludePublicPayrollStaff: true,
      excludeTiedToInvestor: true,
    });
  });

  it('are taken from a policy that sets them', () => {
    const off = {
      ...DEFAULT_PAYOUT_SETTINGS,
      registration: { ...DEFAULT_PAYOUT_SETTINGS.registration, required: false },
    };
    expect(payoutSettingsOf(policyWith(off))).toEqual(off);
  });
});

describe('the referrer’s registration in the decision (kfq-2019 defaults)', () => {
  const cases: readonly {
    readonly name: string;
    readonly registration: ReferrerRegistration | undefined;
    readonly eligible: boolean;
    readonly reasons: readonly string[];
    readonly says?: RegExp;
  }[] = [
    {
      name: 'no registration recorded: evaluated as before',
      registration: undefined,
      eligible: true,
      reasons: [],
    },
    {
      name: 'registered before signing, clean',
      registration: referrerRegistration(),
      eligible: true,
      reasons: [],
    },
    {
      name: 'registered on the signing day (counts as before)',
      registration: referrerRegistration({ registeredOn: '2026-03-18' }),
      eligible: true,
      reasons: [],
    },
    {
      name: 'registered the day after signing',
      registration: referrerRegistration({ registeredOn: '2026-03-19' }),
      eligible: false,
      reasons: ['registered_after_signing'],
      says: /报备日期晚于项目签约日期/,
    },
    {
      name: 'public-payroll staff',
      registration: referrerRegistration({ publicPayrollStaff: true }),
      eligible: false,
      reasons: ['introducer_public_payroll_staff'],
      says: /财政供养人员/,
    },
    {
      name: 'tied to the investor',
      registration: referrerRegistration({ tiedToInvestor: true }),
      eligible: false,
      reasons: ['introducer_tied_to_investor'],
      says: /关联关系/,
    },
    {
      name: 'all three at once, each named',
      registration: referrerRegistration({
        registeredOn: '2026-04-01',
        publicPayrollStaff: true,
        tiedToInvestor: true,
      }),
      eligible: false,
      reasons: ['registered_after_signing', 'introducer_public_payroll_staff', 'introducer_tied_to_investor'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluateLead(withRegistration(c.registration), DEFAULT_POLICY, TEST_HASHING);
      const reward = decision.referralReward;
      expect(reward.eligible).toBe(c.eligible);
      expect(reward.payable).toBe(c.eligible);
      expect(reward.amountFen).toBe(c.eligible ? 240_000_000 : 0);
      expect(reward.reasons.filter((r) => !['capped'].includes(r))).toEqual(c.reasons);
      if (c.says !== undefined) expect(reward.explanation.zh).toMatch(c.says);
    });
  }

  it('ignores what a policy turns off', () => {
    const lenient = policyWith({
      ...DEFAULT_PAYOUT_SETTINGS,
      registration: {
        required: false,
        beforeSigning: false,
        excludePublicPayrollStaff: false,
        excludeTiedToInvestor: true,
      },
    });
    const late = referrerRegistration({ registeredOn: '2026-05-01', publicPayrollStaff: true });
    expect(evaluateLead(withRegistration(late), lenient, TEST_HASHING).referralReward.eligible).toBe(true);
    const tied = referrerRegistration({ tiedToInvestor: true });
    expect(evaluateLead(withRegistration(tied), lenient, TEST_HASHING).referralReward.reasons).toEqual([
      'introducer_tied_to_investor',
    ]);
  });

  it('changes the input hash only when a registration is recorded', () => {
    const without = evaluateLead(withRegistration(undefined), DEFAULT_POLICY, TEST_HASHING);
    const again = evaluateLead(makeLead(), DEFAULT_POLICY, TEST_HASHING);
    const withIt = evaluateLead(withRegistration(referrerRegistration()), DEFAULT_POLICY, TEST_HASHING);
    expect(without.inputHash).toBe(again.inputHash);
    expect(withIt.inputHash).not.toBe(without.inputHash);
  });
});

describe('registration before approval', () => {
  const decisionOn = (lead: Lead): DecisionRecord => ({
    leadId: 'ld_test',
    revision: 3,
    evaluatedAt: '2026-04-01T00:00:00.000Z',
    lead,
    policyVersion: DEFAULT_POLICY.version,
    decision: evaluateLead(lead, DEFAULT_POLICY, TEST_HASHING),
    adjustments: [],
    payableRewardFen: 240_000_000,
    status: 'PENDING_FINANCE',
  });
  const required = DEFAULT_PAYOUT_SETTINGS;
  const optional = {
    ...DEFAULT_PAYOUT_SETTINGS,
    registration: { ...DEFAULT_PAYOUT_SETTINGS.registration, required: false },
  };
  const table: readonly [string, PayoutSettings, Lead, number, string | undefined][] = [
    [
      'required, none recorded, a reward',
      required,
      withRegistration(undefined),
      240_000_000,
      'registration_missing',
    ],
    ['required, recorded', required, withRegistration(referrerRegistration()), 240_000_000, undefined],
    [
      'required, none recorded, no reward approved (fund share only)',
      required,
      withRegistration(undefined),
      0,
      undefined,
    ],
    ['not required, none recorded', optional, withRegistration(undefined), 240_000_000, undefined],
  ];
  for (const [name, settings, lead, rewardFen, code] of table) {
    it(name, () => {
      const refusal = registrationRefusal(settings, decisionOn(lead), rewardFen);
      expect(refusal?.code).toBe(code);
      if (refusal !== undefined) {
        expect(refusal.missing).toEqual(['referrerRegistration']);
        expect(refusal.message.zh).toContain('报备');
      }
    });
  }
});

describe('evidence before approval (kfq-2019 defaults)', () => {
  const lead = withRegistration(referrerRegistration()); // actual investment 1.2亿
  const decision: DecisionRecord = {
    leadId: 'ld_test',
    revision: 2,
    evaluatedAt: '2026-07-01T00:00:00.000Z',
    lead,
    policyVersion: DEFAULT_POLICY.version,
    decision: evaluateLead(lead, DEFAULT_POLICY, TEST_HASHING),
    adjustments: [],
    payableRewardFen: 240_000_000,
    status: 'PENDING_FINANCE',
  };
  const report = (userId: string, amountFen: number, at = '2026-07-01T01:00:00.000Z'): EvidenceRecord => ({
    kind: 'audit_report',
    evidenceId: `ev_${userId}_${at}`,
    leadId: 'ld_test',
    recordedBy: { userId, role: 'sector:optoelectronics' },
    recordedAt: at,
    auditReport: {
      kind: 'capital_verification',
      number: '验字 1 号',
      firm: '某会计师事务所',
      reportDate: '2026-06-30',
      constructionPeriod: { from: '2026-03-18', to: '2027-03-17' },
      amountFen,
      reportedApart: {
        landFen: 2_000_000_000,
        rentFen: 0,
        workingCapitalFen: 0,
        outsideConstructionPeriodFen: 0,
      },
    },
  });
  const check = (userId: string, confirmed: boolean, at = '2026-07-02T01:00:00.000Z'): EvidenceRecord => ({
    kind: 'site_check',
    evidenceId: `ev_${userId}_${at}`,
    leadId: 'ld_test',
    recordedBy: { userId, role: 'sector:optoelectronics' },
    recordedAt: at,
    siteCheck: { checkedBy: '钱核查', checkedOn: '2026-07-02', finding: '设备已安装', confirmed },
  });
  const ACTUAL = 12_000_000_000;
  const table: readonly [string, readonly EvidenceRecord[], readonly string[]][] = [
    ['complete: report by one, confirming check by another', [report('a', ACTUAL), check('b', true)], []],
    ['nothing recorded', [], ['auditReport', 'siteCheck']],
    ['only the report', [report('a', ACTUAL)], ['siteCheck']],
    ['only the check', [check('b', true)], ['auditReport']],
    ['one person recorded both', [report('a', ACTUAL), check('a', true)], ['distinctRecorders']],
    ['the check did not confirm', [report('a', ACTUAL), check('b', false)], ['siteCheckConfirmation']],
    [
      'a later check confirms what an earlier one did not',
      [report('a', ACTUAL), check('b', false), check('c', true, '2026-07-09T01:00:00.000Z')],
      [],
    ],
    [
      'the report certifies less than the actual investment (land and working capital never count)',
      [report('a', ACTUAL - 1), check('b', true)],
      ['auditReportCoversActualInvestment'],
    ],
    [
      'a later report supersedes a short one',
      [report('a', ACTUAL - 1), report('a', ACTUAL, '2026-07-05T01:00:00.000Z'), check('b', true)],
      [],
    ],
  ];
  for (const [name, evidence, missing] of table) {
    it(name, () => {
      const refusal = evidenceRefusal(DEFAULT_PAYOUT_SETTINGS, decision, evidence);
      if (missing.length === 0) expect(refusal).toBeUndefined();
      else {
        expect(refusal?.code).toBe('evidence_missing');
        expect(refusal?.missing).toEqual(missing);
      }
    });
  }

  it('asks nothing when the policy turns evidence off', () => {
    expect(
      evidenceRefusal({ ...DEFAULT_PAYOUT_SETTINGS, evidence: PAYOUT_GATES_OFF.evidence }, decision, []),
    ).toBe(undefined);
  });

  it('names what is missing in both languages', () => {
    const refusal = evidenceRefusal(DEFAULT_PAYOUT_SETTINGS, decision, []);
    expect(refusal?.message.zh).toContain('验资报告或专项审计报告');
    expect(refusal?.message.zh).toContain('现场核查记录');
    expect(refusal?.message.en).toContain('on-site check');
  });

  it('refuses approval to whoever recorded evidence', () => {
    expect(evidenceRecorderRefusal('a', 'ld_test', [report('a', ACTUAL)])?.zh).toContain('投资证据由您登记');
    expect(evidenceRecorderRefusal('z', 'ld_test', [report('a', ACTUAL)])).toBeUndefined();
  });
});
