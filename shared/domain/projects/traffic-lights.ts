/**
 * A project's traffic light for a ledger month, from three rules (each a setting; defaults from other
 * zones' published rules): how far behind the plan to date it is (green at most 10 points behind, yellow
 * up to 30, red beyond), whether it has started (新开工 not started 1 month after its planned start month:
 * yellow, 3 months: red) and whether that month's report is overdue (yellow). The worst rule wins and
 * every rule that fired is named, in both languages.
 */
import type { LocalText } from '#shared/errors.ts';
import type { ProjectSettings } from '#shared/schemas/project-settings.ts';
import type { Light, LightReason, ProjectKind } from '#shared/schemas/projects.ts';
import { percentOf, pointsBelowHundred, ratioBelow } from './figure-format.ts';
import { dueDateOf, monthsBetween } from './shanghai-time.ts';

export interface LightInput {
  readonly kind: ProjectKind;
  /** The ledger month the light is for. */
  readonly month: string;
  readonly planToDateFen: number;
  readonly completedToDateFen: number;
  readonly plannedStartMonth: string | null;
  /** The day the project reached the construction stage, if it has. */
  readonly startedOn: string | null;
  /** In the year's ledger (a plan or a report for the year): a monthly report is expected. */
  readonly reportExpected: boolean;
  readonly reported: boolean;
  /** Today in Asia/Shanghai: a report is overdue only once its due day has passed. */
  readonly today: string;
}

export interface LightVerdict {
  readonly light: Light;
  readonly reasons: readonly LightReason[];
}

const RANK: Readonly<Record<Light, number>> = { green: 0, yellow: 1, red: 2 };

export function worstLight(lights: readonly Light[]): Light {
  return lights.reduce<Light>((worst, light) => (RANK[light] > RANK[worst] ? light : worst), 'green');
}

export function lightOf(input: LightInput, settings: ProjectSettings): LightVerdict {
  const rules = settings.lights;
  const reasons: LightReason[] = [];
  const reason = (code: LightReason['code'], light: 'yellow' | 'red', text: LocalText) =>
    reasons.push({ code, light, text });

  // Points behind = 100 − completed ÷ plan to date × 100. "At most g points behind" is
  // completed ÷ plan ≥ (100 − g) ÷ 100, compared exactly.
  if (input.planToDateFen > 0) {
    const { planToDateFen: plan, completedToDateFen: done } = input;
    const belowYellow = ratioBelow(done, plan, 100 - rules.yellowMaxPointsBehind, 100);
    const belowGreen = ratioBelow(done, plan, 100 - rules.greenMaxPointsBehind, 100);
    if (belowGreen) {
      // The points shown are 100 less the rate shown, so the two always agree (80.00% and 20.00 points).
      const rate = percentOf(done, plan, settings.percent);
      const points = rate === null ? '' : pointsBelowHundred(rate, settings.percent.decimals);
      reason('behind_plan', belowYellow ? 'red' : 'yellow', {
        zh: `落后序时计划${points}个百分点（完成序时计划${rate?.text}）`,
        en: `${points} points behind the plan to date (${rate?.text} of it done)`,
      });
    }
  }

  if (input.kind === 'new' && input.plannedStartMonth !== null) {
    const started = input.startedOn !== null && input.startedOn.slice(0, 7) <= input.month;
    const late = monthsBetween(input.plannedStartMonth, input.month);
    if (!started && late >= rules.notStartedYellowMonths) {
      reason('not_started', late >= rules.notStartedRedMonths ? 'red' : 'yellow', {
        zh: `计划${input.plannedStartMonth}开工，至${input.month}仍未开工（逾期${late}个月）`,
        en: `planned to start in ${input.plannedStartMonth}, not started by ${input.month} (${late} months late)`,
      });
    }
  }

  const due = dueDateOf(input.month, settings.progressDueDay);
  if (input.reportExpected && !input.reported && input.today > due) {
    reason('report_missing', rules.missingReport, {
      zh: `${input.month}月度进度逾期未报（应于${due}前报送）`,
      en: `the report for ${input.month} is overdue (due by ${due})`,
    });
  }

  return { light: worstLight(reasons.map((r) => r.light)), reasons };
}
