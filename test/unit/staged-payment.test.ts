import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeCondition, type StageFacts, splitReward, stagePlanOf } from '#shared/domain/staged-payment.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import {
  DEFAULT_PAYOUT_SETTINGS,
  PayoutSettingsSchema,
  payoutSettingsOf,
} from '#shared/policy/payout-settings.ts';
import { PolicySchema } from '#shared/policy/policy-schema.ts';
import { DEFAULT_PROJECT_SETTINGS } from '#shared/schemas/project-settings.ts';

/** Staged payment (issue 17, part 5): the split exact in fen, the conditions, the settings. */

describe('the split: every stage but the last rounded down, the last takes the rest', () => {
  const table: readonly [string, number, readonly number[], readonly number[]][] = [
    ['one stage: the whole reward', 240_000_001, [10_000], [240_000_001]],
    ['halves of an even reward', 240_000_000, [5000, 5000], [120_000_000, 120_000_000]],
    [
      'halves of an odd reward: the odd fen to the last',
      320_000_001,
      [5000, 5000],
      [160_000_000, 160_000_001],
    ],
    ['one fen in halves', 1, [5000, 5000], [0, 1]],
    ['three stages of 1 元', 100, [3333, 3333, 3334], [33, 33, 34]],
    [
      'three stages of an odd amount',
      1_000_000_007,
      [3000, 3000, 4000],
      [300_000_002, 300_000_002, 400_000_003],
    ],
    ['uneven shares, remainder to the last', 999, [1, 9998, 1], [0, 998, 1]],
    ['0 fen', 0, [5000, 5000], [0, 0]],
    // 9 × 10^15 fen × 10000 passes 2^53: computed in bigint, still exact.
    [
      'beyond 2^53 when multiplied',
      9_000_000_000_000_001,
      [7000, 3000],
      [6_300_000_000_000_000, 2_700_000_000_000_001],
    ],
  ];
  for (const [name, reward, shares, amounts] of table) {
    it(name, () => {
      const split = splitReward(reward, shares);
      expect(split).toEqual(amounts);
      expect(split.reduce((sum, amount) => sum + amount, 0)).toBe(reward);
    });
  }
  it('sums exactly for every amount from 0 to 2000 fen in three stages', () => {
    for (let reward = 0; reward <= 2000; reward += 1) {
      const split = splitReward(reward, [3333, 3333, 3334]);
      expect(split.reduce((sum, amount) => sum + amount, 0)).toBe(reward);
      expect(split.every((amount) => Number.isInteger(amount) && amount >= 0)).toBe(true);
    }
  });
  it('refuses shares that are not the whole, and amounts that are not fen', () => {
    expect(() => splitReward(100, [5000, 4000])).toThrow(RangeError);
    expect(() => splitReward(1.5, [10_000])).toThrow(RangeError);
  });
});

describe('the plan: no stages (the default), or nothing to split, is one payment as before', () => {
  it('kfq-2019 and the defaults set no stages', () => {
    expect(DEFAULT_PAYOUT_SETTINGS.stages).toBeUndefined();
    expect(payoutSettingsOf(DEFAULT_POLICY).stages).toBeUndefined();
    expect(stagePlanOf(undefined, 240_000_000)).toBeUndefined();
  });
  it('a reward of 0 (a fund share alone) is not staged', () => {
    expect(stagePlanOf([{ shareBasisPoints: 10_000 }], 0)).toBeUndefined();
  });
  it('numbers the stages from 1 with their amounts and conditions', () => {
    const condition = { kind: 'stage_reached' as const, stage: 'in_production' };
    expect(stagePlanOf([{ shareBasisPoints: 5000 }, { shareBasisPoints: 5000, condition }], 3)).toEqual([
      { stage: 1, shareBasisPoints: 5000, condition: undefined, amountFen: 1 },
      { stage: 2, shareBasisPoints: 5000, condition, amountFen: 2 },
    ]);
  });
});

describe('the conditions', () => {
  const stageOrder = DEFAULT_PROJECT_SETTINGS.stages;
  const facts = (overrides: Partial<StageFacts>): StageFacts => ({
    investmentInPlaceFen: 0,
    plannedInvestmentFen: 40_000_000_000,
    stageOrder,
    ...overrides,
  });
  const project = (stage: string) => ({
    projectId: 'pj_1',
    stage,
    stageName: stageOrder.find((s) => s.code === stage) ?? { zh: stage, en: stage },
  });
  const inPlace = { kind: 'investment_in_place' as const, percent: 30 };
  const inProduction = { kind: 'stage_reached' as const, stage: 'in_production' };
  const table: readonly [string, Parameters<typeof judgeCondition>[0], StageFacts, boolean, string][] = [
    ['none: met', undefined, facts({}), true, '—'],
    ['30% exactly in place: met', inPlace, facts({ investmentInPlaceFen: 12_000_000_000 }), true, '30.00%'],
    [
      'one fen short of 30%: not met',
      inPlace,
      facts({ investmentInPlaceFen: 11_999_999_999 }),
      false,
      '29.99%',
    ],
    ['nothing in place', inPlace, facts({}), false, '0.00%'],
    ['no project linked', inProduction, facts({}), false, '线索尚未关联项目'],
    [
      'the project under construction',
      inProduction,
      facts({ project: project('under_construction') }),
      false,
      '在建',
    ],
    [
      'the project in production',
      inProduction,
      facts({ project: project('in_production') }),
      true,
      '竣工投产',
    ],
    [
      'an earlier stage asked for, the project past it',
      { kind: 'stage_reached', stage: 'signed' },
      facts({ project: project('in_production') }),
      true,
      '竣工投产',
    ],
    [
      'a stage code the project settings do not have: never met',
      { kind: 'stage_reached', stage: 'no_such_stage' },
      facts({ project: project('in_production') }),
      false,
      '竣工投产',
    ],
  ];
  for (const [name, condition, given, met, finding] of table) {
    it(name, () => {
      const judged = judgeCondition(condition, given);
      expect(judged.met).toBe(met);
      expect(judged.finding.zh).toContain(finding);
    });
  }
  it('names the condition in words', () => {
    expect(judgeCondition(inProduction, facts({})).condition.zh).toBe('项目达到「竣工投产」阶段');
    expect(judgeCondition(inPlace, facts({})).condition).toEqual({
      zh: '到位投资达到计划投资额的 30%',
      en: 'investment in place reaches 30% of the planned investment',
    });
  });
});

describe('the setting: payout.stages', () => {
  const withStages = (stages: unknown) => ({
    ...DEFAULT_POLICY,
    version: 'kfq-staged-test',
    payout: { ...DEFAULT_PAYOUT_SETTINGS, stages },
  });
  const refusals: readonly [string, unknown, string][] = [
    ['shares short of the whole', [{ shareBasisPoints: 5000 }, { shareBasisPoints: 4999 }], 'payout.stages'],
    ['shares beyond the whole', [{ shareBasisPoints: 5000 }, { shareBasisPoints: 5001 }], 'payout.stages'],
    ['no stage', [], 'payout.stages'],
    [
      'a share of 0',
      [{ shareBasisPoints: 0 }, { shareBasisPoints: 10_000 }],
      'payout.stages.0.shareBasisPoints',
    ],
    [
      'a fractional share',
      [{ shareBasisPoints: 5000.5 }, { shareBasisPoints: 4999.5 }],
      'payout.stages.0.shareBasisPoints',
    ],
    [
      'a percent above 100',
      [{ shareBasisPoints: 10_000, condition: { kind: 'investment_in_place', percent: 101 } }],
      'payout.stages.0.condition.percent',
    ],
    [
      'an unknown condition',
      [{ shareBasisPoints: 10_000, condition: { kind: 'weather', percent: 1 } }],
      'payout.stages.0.condition.kind',
    ],
    [
      'a stage that is not a code',
      [{ shareBasisPoints: 10_000, condition: { kind: 'stage_reached', stage: '竣工投产' } }],
      'payout.stages.0.condition.stage',
    ],
    ['an unknown field', [{ shareBasisPoints: 10_000, percent: 50 }], 'payout.stages.0'],
  ];
  for (const [name, stages, field] of refusals) {
    it(`refuses ${name}, naming ${field}`, () => {
      const result = PolicySchema.safeParse(withStages(stages));
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
    });
  }
  it('accepts the example policy shipped in docs/examples', () => {
    const example = JSON.parse(readFileSync('docs/examples/policy-staged-payment.json', 'utf8'));
    const parsed = PolicySchema.parse(example);
    expect(parsed.payout?.stages).toEqual([
      { shareBasisPoints: 5000, condition: { kind: 'investment_in_place', percent: 30 } },
      { shareBasisPoints: 5000, condition: { kind: 'stage_reached', stage: 'in_production' } },
    ]);
    expect(PayoutSettingsSchema.parse(parsed.payout)).toEqual(parsed.payout);
  });
});
