import { USCC_ALPHABET } from '#shared/domain/identifiers.ts';
import { DEFAULT_SECTORS } from '#shared/domain/sectors.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { ruleOf } from '#shared/policy/policy-schema.ts';
import { makeValidResidentId, makeValidUscc } from '#test/fixtures/identifiers.ts';
import type { Prng } from './prng.ts';

/**
 * What a crash-loop run does, drawn up front from the seed: the leads (body, team, Idempotency-Key,
 * when they are sent), what follows each (an actual investment reported, finance's action) and the
 * kill schedule. Nothing here depends on timing, so one seed always gives the same plan.
 *
 * The fund: the default policy's `conversion-2019` (6000万元, seeded by `npm start`). `--allocations N`
 * sizes every lead's `fundRequest` to total / N, and every planned investment is large enough that its
 * fund cap is the request (10 % of the investment ≥ the request), so the fund holds exactly N requests
 * in full: with more leads than that, the waitlist is used. An actual investment reported below
 * 10 × the request lowers the cap and gives money back; rejections give money back too.
 */

export interface ChaosSettings {
  readonly kills: number;
  readonly leads: number;
  readonly allocations: number;
  readonly seed: number;
  /** A running kill falls within this long (uniform) of the start serving; a cycle's leads are sent within it too. */
  readonly maxUptimeMs: number;
  /** Share of the kills that fall while the stack is starting (before or around health ok). */
  readonly startupKillShare: number;
  /** After the last restart: how long the clients may finish and the pipeline may settle. */
  readonly settleSeconds: number;
}

export type FinanceAction = 'approve' | 'approve_pay' | 'reject' | 'none';

export interface LeadPlan {
  readonly index: number;
  readonly key: string;
  readonly sector: string;
  /** The team member who submits it (and reports its actual investment). */
  readonly officer: string;
  readonly body: Record<string, unknown>;
  readonly plannedFen: number;
  /** Index of the earlier lead whose investor and project this one repeats (another team's), if any. */
  readonly repeats: number | undefined;
  /** Sent in this cycle (between kill `cycle` and kill `cycle + 1`), this long after health ok. */
  readonly cycle: number;
  readonly offsetMs: number;
  readonly report:
    | { readonly amount: string; readonly amountFen: number; readonly thinkMs: number }
    | undefined;
  readonly finance: FinanceAction;
  /** The finance user who decides; the other one pays (maker-checker). */
  readonly decider: 'fin-1' | 'fin-2';
  readonly financeThinkMs: number;
}

export interface KillPlan {
  readonly index: number;
  /**
   * `startup`: `delayMs` after the start is spawned (before or around health ok, often while seeding);
   * `running`: `delayMs` after the start has answered a client.
   */
  readonly during: 'startup' | 'running';
  readonly delayMs: number;
}

export interface ChaosPlan {
  readonly fundId: string;
  readonly fundTotalFen: number;
  readonly requestFen: number;
  readonly leads: readonly LeadPlan[];
  readonly kills: readonly KillPlan[];
}

const FEN_PER_WAN = 1_000_000;
const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '华', '明', '建国'];
const BRAND = ['华', '鲁', '恒', '瑞', '泰', '博', '信', '宏', '嘉', '润', '金', '东'];
const KINDS = ['产业园', '智能工厂', '扩建项目', '研发中心', '生产基地', '技改项目'];
const LIAOCHENG_REGIONS = ['371502', '371521', '371522', '371523', '371524', '371525', '371526', '371581'];

/** Yuan with two decimals, as a client sends an exact amount. */
export function yuanText(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** An amount the API accepts, in one of two spellings: `8000万` or `80000000.00`. */
function amountText(fen: number, random: Prng): string {
  return fen % FEN_PER_WAN === 0 && random.chance(0.5) ? `${fen / FEN_PER_WAN}万` : yuanText(fen);
}

function usccFor(prefix: string, index: number, random: Prng): string {
  // Four characters carry the index (unique per run), three are random.
  let rest = '';
  for (let n = index, i = 0; i < 4; i += 1, n = Math.floor(n / USCC_ALPHABET.length)) {
    rest = USCC_ALPHABET.charAt(n % USCC_ALPHABET.length) + rest;
  }
  for (let i = 0; i < 3; i += 1) rest += random.pick(USCC_ALPHABET.split(''));
  return makeValidUscc(`${prefix}${rest}`);
}

function residentId(random: Prng): string {
  const year = random.int(1960, 1998);
  const month = String(random.int(1, 12)).padStart(2, '0');
  const day = String(random.int(1, 28)).padStart(2, '0');
  return makeValidResidentId(
    random.pick(LIAOCHENG_REGIONS),
    `${year}${month}${day}`,
    String(random.int(0, 999)).padStart(3, '0'),
  );
}

const personName = (random: Prng) => random.pick(SURNAMES) + random.pick(GIVEN);

export function planRun(settings: ChaosSettings, root: Prng): ChaosPlan {
  const fundRule = ruleOf(DEFAULT_POLICY, 'conversion_fund');
  const referral = ruleOf(DEFAULT_POLICY, 'referral_reward');
  const caseByCase = ruleOf(DEFAULT_POLICY, 'one_case_one_policy');
  const requestFen = Math.floor(fundRule.totalFen / settings.allocations);
  if (requestFen > fundRule.perProjectCapFen) {
    const least = Math.ceil(fundRule.totalFen / fundRule.perProjectCapFen);
    throw new Error(
      `--allocations ${settings.allocations}: a request of ${yuanText(requestFen)} yuan is above the per-project cap; use at least ${least}`,
    );
  }
  // The smallest planned investment whose fund share still covers the request, in whole 万.
  const minPlannedFen =
    Math.ceil((requestFen * 10_000) / fundRule.investmentShareBasisPoints / FEN_PER_WAN) * FEN_PER_WAN;
  const rewardThresholdFen = referral.thresholdFen;
  // Below the one-case-one-policy threshold: every lead goes to PENDING_FINANCE, none waits for terms.
  const maxPlannedFen = caseByCase.plannedInvestmentThresholdFen - FEN_PER_WAN;

  const random = root.fork('plan');
  const cycles = Math.max(1, settings.kills);
  const leads: LeadPlan[] = [];
  for (let index = 0; index < settings.leads; index += 1) {
    const sector = DEFAULT_SECTORS[index % DEFAULT_SECTORS.length] ?? DEFAULT_SECTORS[0];
    if (sector === undefined) throw new Error('no sectors');
    const earlier = leads.filter((lead) => lead.sector !== sector.code && lead.repeats === undefined);
    const repeated =
      index >= 10 && earlier.length > 0 && random.chance(0.05) ? random.pick(earlier) : undefined;

    const large = random.chance(0.6);
    const plannedWan = large
      ? random.int(Math.ceil(rewardThresholdFen / FEN_PER_WAN), maxPlannedFen / FEN_PER_WAN)
      : random.int(
          Math.max(minPlannedFen, 2_000 * FEN_PER_WAN) / FEN_PER_WAN,
          Math.max(minPlannedFen, rewardThresholdFen - FEN_PER_WAN) / FEN_PER_WAN,
        );
    const plannedFen = Math.max(plannedWan * FEN_PER_WAN, minPlannedFen);
    const introducer = random.chance(0.5)
      ? { type: 'natural_person', name: personName(random), residentId: residentId(random) }
      : {
          type: 'leading_enterprise',
          name: `山东${random.pick(BRAND)}${random.pick(BRAND)}集团有限公司`,
          uscc: usccFor('91371500MB', index, random),
        };
    const project =
      repeated === undefined
        ? {
            projectName: `${sector.zh}${random.pick(KINDS)}${index + 1}号`,
            investor: {
              name: `聊城${random.pick(BRAND)}${random.pick(BRAND)}${sector.zh}有限公司`,
              uscc: usccFor('91371500MA', index, random),
            },
          }
        : { projectName: repeated.body.projectName, investor: repeated.body.investor };
    const body: Record<string, unknown> = {
      sector: sector.code,
      ...project,
      introducer,
      plannedInvestment: amountText(plannedFen, random),
      category: random.pick(fundRule.eligibleCategories),
      fundRequest: amountText(requestFen, random),
    };

    const reports = random.chance(0.5);
    // Between half and 1.3 times the plan: sometimes under the fund share (money goes back), sometimes
    // across the reward threshold either way.
    const actualFen = Math.max(
      FEN_PER_WAN,
      Math.round((plannedFen * (0.5 + random.next() * 0.8)) / FEN_PER_WAN) * FEN_PER_WAN,
    );
    const report = reports
      ? { amount: amountText(actualFen, random), amountFen: actualFen, thinkMs: random.int(0, 1_500) }
      : undefined;
    const roll = random.next();
    const finance: FinanceAction = reports
      ? roll < 0.3
        ? 'approve'
        : roll < 0.6
          ? 'approve_pay'
          : roll < 0.75
            ? 'reject'
            : 'none'
      : roll < 0.25
        ? 'reject'
        : 'none';
    leads.push({
      index,
      key: `chaos-${settings.seed}-lead-${index + 1}`,
      sector: sector.code,
      officer: `officer-${sector.code}`,
      body,
      plannedFen,
      repeats: repeated?.index,
      cycle: Math.floor((index * cycles) / settings.leads),
      offsetMs: random.int(0, settings.maxUptimeMs),
      report,
      finance,
      decider: random.chance(0.5) ? 'fin-1' : 'fin-2',
      financeThinkMs: random.int(0, 1_500),
    });
  }

  const killRandom = root.fork('kills');
  const kills: KillPlan[] = [];
  for (let index = 1; index <= settings.kills; index += 1) {
    const startup = killRandom.chance(settings.startupKillShare);
    kills.push({
      index,
      during: startup ? 'startup' : 'running',
      delayMs: startup ? killRandom.int(300, 8_000) : killRandom.int(100, settings.maxUptimeMs),
    });
  }
  return { fundId: fundRule.fundId, fundTotalFen: fundRule.totalFen, requestFen, leads, kills };
}
