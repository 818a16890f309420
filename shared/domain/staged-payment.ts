/**
 * Staged payment (issue 17, part 5), pure: how a reward splits into the policy's stages, exactly in fen,
 * and whether a stage's condition is met on the facts on record.
 */
import type { LocalText } from '#shared/errors.ts';
import { type StageCondition, WHOLE_BASIS_POINTS } from '#shared/policy/payout-settings.ts';
import { formatFen } from './money-format.ts';

/**
 * The amount of each stage: every stage but the last gets its share of the reward rounded down to the fen,
 * the last gets what is left, so the stages add up to the reward exactly (computed in bigint: a reward
 * times 10000 may pass 2^53).
 */
export function splitReward(rewardFen: number, sharesBasisPoints: readonly number[]): number[] {
  if (!Number.isSafeInteger(rewardFen) || rewardFen < 0) throw new RangeError(`not fen: ${rewardFen}`);
  if (sharesBasisPoints.reduce((sum, share) => sum + share, 0) !== WHOLE_BASIS_POINTS) {
    throw new RangeError('the shares do not add up to the whole');
  }
  const total = BigInt(rewardFen);
  const amounts = sharesBasisPoints
    .slice(0, -1)
    .map((share) => Number((total * BigInt(share)) / BigInt(WHOLE_BASIS_POINTS)));
  const given = amounts.reduce((sum, amount) => sum + amount, 0);
  return [...amounts, rewardFen - given];
}

/** The facts a condition is judged on, read by the use case. */
export interface StageFacts {
  /** The investment in place: the latest audit report's certified amount, else the reported actual one. */
  readonly investmentInPlaceFen: number;
  readonly plannedInvestmentFen: number;
  /** The linked project's current stage (undefined: the lead has no project). */
  readonly project?: { readonly projectId: string; readonly stage: string; readonly stageName: LocalText };
  /** The project settings' stage order (codes), and their names. */
  readonly stageOrder: readonly { readonly code: string; readonly zh: string; readonly en: string }[];
}

export interface ConditionJudgement {
  readonly met: boolean;
  /** The condition in words. */
  readonly condition: LocalText;
  /** What the record shows, in words. */
  readonly finding: LocalText;
}

const percentOf = (part: number, whole: number) =>
  whole === 0 ? '—' : `${(Number((BigInt(part) * 10_000n) / BigInt(whole)) / 100).toFixed(2)}%`;

/** Whether `condition` is met on `facts` (no condition: met). */
export function judgeCondition(condition: StageCondition | undefined, facts: StageFacts): ConditionJudgement {
  if (condition === undefined) {
    return {
      met: true,
      condition: { zh: '无条件（批准奖励后即可支付）', en: 'none (payable once the reward is approved)' },
      finding: { zh: '—', en: '—' },
    };
  }
  if (condition.kind === 'investment_in_place') {
    const { investmentInPlaceFen: inPlace, plannedInvestmentFen: planned } = facts;
    // inPlace / planned ≥ percent / 100, in integers.
    const met = BigInt(inPlace) * 100n >= BigInt(condition.percent) * BigInt(planned);
    const share = percentOf(inPlace, planned);
    return {
      met,
      condition: {
        zh: `到位投资达到计划投资额的 ${condition.percent}%`,
        en: `investment in place reaches ${condition.percent}% of the planned investment`,
      },
      finding: {
        zh: `到位投资 ${formatFen(inPlace)}，为计划投资额 ${formatFen(planned)} 的 ${share}`,
        en: `investment in place ${formatFen(inPlace)}, ${share} of the planned ${formatFen(planned)}`,
      },
    };
  }
  const wanted = facts.stageOrder.findIndex((stage) => stage.code === condition.stage);
  const wantedName = facts.stageOrder[wanted] ?? { zh: condition.stage, en: condition.stage };
  const conditionText = {
    zh: `项目达到「${wantedName.zh}」阶段`,
    en: `the project reaches the stage “${wantedName.en}”`,
  };
  if (facts.project === undefined) {
    return {
      met: false,
      condition: conditionText,
      finding: { zh: '线索尚未关联项目', en: 'the lead is linked to no project' },
    };
  }
  const at = facts.stageOrder.findIndex((stage) => stage.code === facts.project?.stage);
  return {
    // A stage code the project settings no longer have is never reached.
    met: wanted >= 0 && at >= wanted,
    condition: conditionText,
    finding: {
      zh: `项目 ${facts.project.projectId} 当前阶段：${facts.project.stageName.zh}`,
      en: `project ${facts.project.projectId} is at stage: ${facts.project.stageName.en}`,
    },
  };
}

/** One stage of a reward's plan: its share, condition and exact amount. */
export interface PlannedStage {
  readonly stage: number;
  readonly shareBasisPoints: number;
  readonly condition: StageCondition | undefined;
  readonly amountFen: number;
}

/**
 * The stages a reward is paid in under the policy's settings, or undefined when it is paid at once: the
 * policy sets no stages, or there is no reward to split (a fund share alone is paid as before).
 */
export function stagePlanOf(
  stages: readonly { shareBasisPoints: number; condition?: StageCondition | undefined }[] | undefined,
  rewardFen: number,
): PlannedStage[] | undefined {
  if (stages === undefined || stages.length === 0 || rewardFen === 0) return undefined;
  const amounts = splitReward(
    rewardFen,
    stages.map((stage) => stage.shareBasisPoints),
  );
  return stages.map((stage, i) => ({
    stage: i + 1,
    shareBasisPoints: stage.shareBasisPoints,
    condition: stage.condition,
    amountFen: amounts[i] ?? 0,
  }));
}
