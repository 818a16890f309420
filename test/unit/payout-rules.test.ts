import { describe, expect, it } from 'vitest';
import { registrationRefusal } from '#shared/domain/payout-rules.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import {
  DEFAULT_PAYOUT_SETTINGS,
  type PayoutSettings,
  payoutSettingsOf,
} from '#shared/policy/payout-settings.ts';
import { type Policy, PolicySchema } from '#shared/policy/policy-schema.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import type { DecisionRecord } from '#shared/schemas/lead-record.ts';
import type { ReferrerRegistration } from '#shared/schemas/referrer-registration.ts';
import { TEST_HASHING } from '#test/fixtures/identifier-keys.ts';
import { makeLead } from '#test/fixtures/leads.ts';
import { referrerRegistration } from '#test/fixtures/referrer-registration.ts';

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
    const off = { registration: { ...DEFAULT_PAYOUT_SETTINGS.registration, required: false } };
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
  const optional = { registration: { ...DEFAULT_PAYOUT_SETTINGS.registration, required: false } };
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
