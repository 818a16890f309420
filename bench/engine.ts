/**
 * Benchmark 1: our policy engine against json-rules-engine, the same generated leads through both in one
 * process, alternating in rounds (the order rotates each round so neither always runs first or warm). Ours is
 * timed as the pipeline runs it (the input hash made at intake and given to evaluation) and as replay runs
 * it (the input hash made again), so the hash's cost is shown, not hidden.
 * Checks agreement on every lead; a float amount one fen off ours is reported (that is the point: ours is
 * exact), anything else is a failure.
 */
import { canonicalJson, sha256Hex } from '#shared/domain/canonical-json.ts';
import { parseIdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import { computeOutcome } from '#shared/policy/compute-outcome.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead, evaluateLeadWithInputHash, policyHash } from '#shared/policy/evaluate-lead.ts';
import {
  currentInputHashing,
  hashedFormOf,
  leadHash,
  type StoredInputHash,
} from '#shared/policy/input-hash.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import { type FloatDecision, jsonRulesPolicy } from './lib/json-rules-policy.ts';
import { generateLeads, LEAD_SEED } from './lib/leads.ts';
import { median } from './lib/stats.ts';

export interface EngineDisagreement {
  readonly index: number;
  readonly field: 'referralAmount' | 'fundCap';
  readonly oursFen: number;
  readonly floatFen: number;
  readonly baseFen: number;
  readonly exact: string;
}

export interface EngineResult {
  readonly leads: number;
  readonly rounds: number;
  readonly seed: number;
  /**
   * `full`: the decision as the pipeline makes it (evaluateLeadWithInputHash, the input hash given as intake
   * stored it); `replay`: the same decision hashing the lead again (evaluateLead, as replay does).
   */
  readonly rates: {
    readonly full: number;
    readonly replay: number;
    readonly bare: number;
    readonly jsonRulesEngine: number;
  };
  readonly roundRates: {
    readonly full: number[];
    readonly replay: number[];
    readonly bare: number[];
    readonly jsonRulesEngine: number[];
  };
  readonly ratios: { readonly full: number; readonly replay: number; readonly bare: number };
  /** Where a full decision's time goes, in microseconds per decision (measured alone, after the rounds). */
  readonly breakdownMicros: {
    readonly full: number;
    readonly replay: number;
    readonly bare: number;
    readonly policyHash: number;
    readonly leadHash: number;
    /** The lead hash's parts, measured apart: hashed form (HMACs) and its canonical JSON, then SHA-256. */
    readonly leadCanonicalJson: number;
    readonly leadSha256: number;
    /** full − bare − policy hash: the explanations and the decision object. */
    readonly explanationsAndShape: number;
  };
  readonly targets: { readonly fullMet: boolean; readonly bareMet: boolean };
  readonly agreement: {
    readonly compared: number;
    readonly fenDisagreements: number;
    readonly byField: Readonly<Record<string, number>>;
    /** Every one-fen disagreement, up to 1,000 (the count above is exact). */
    readonly disagreements: readonly EngineDisagreement[];
    readonly failures: readonly string[];
  };
}

/** Exact decimal of fen × basisPoints / 10000 in yuan, e.g. "24691.345". */
function exactYuan(baseFen: number, basisPoints: number): string {
  const scaled = BigInt(baseFen) * BigInt(basisPoints); // in 1/10000 fen
  const whole = scaled / 1_000_000n;
  const fraction = (scaled % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? `${whole}` : `${whole}.${fraction}`;
}

const toFen = (yuan: number) => Math.round(yuan * 100);

function compare(leads: readonly Lead[], floats: readonly FloatDecision[]) {
  const failures: string[] = [];
  const disagreements: EngineDisagreement[] = [];
  const byField: Record<string, number> = { referralAmount: 0, fundCap: 0 };
  const referralBp = 200;
  const fundBp = 1000;
  leads.forEach((lead, index) => {
    const ours = computeOutcome(lead, DEFAULT_POLICY);
    const other = floats[index] as FloatDecision;
    const fail = (what: string) => {
      if (failures.length < 20) failures.push(`lead ${index}: ${what}`);
      else if (failures.length === 20) failures.push('…');
    };
    if (ours.referral.eligible !== other.referralEligible) fail('referral eligibility differs');
    if (ours.referral.payable !== other.payable) fail('payable differs');
    if (ours.oneCaseOnePolicyReasons.length > 0 !== other.oneCaseOnePolicy)
      fail('one-case-one-policy differs');
    if (ours.fund.eligible !== other.fundEligible) fail('fund eligibility differs');
    const amounts: [EngineDisagreement['field'], number, number, number][] = [
      ['referralAmount', ours.referral.amountFen, toFen(other.referralAmountYuan), referralBp],
      ['fundCap', ours.fund.capFen, toFen(other.fundCapYuan), fundBp],
    ];
    for (const [field, oursFen, floatFen, bp] of amounts) {
      if (oursFen === floatFen) continue;
      if (Math.abs(oursFen - floatFen) > 1) {
        fail(`${field}: ours ${oursFen} fen, json-rules-engine ${floatFen} fen`);
        continue;
      }
      byField[field] = (byField[field] ?? 0) + 1;
      disagreements.push({
        index,
        field,
        oursFen,
        floatFen,
        baseFen: ours.referral.baseFen,
        exact: `${exactYuan(ours.referral.baseFen, bp)} yuan`,
      });
    }
  });
  return { failures, disagreements, byField };
}

async function timeJre(
  engine: ReturnType<typeof jsonRulesPolicy>,
  leads: readonly Lead[],
  out?: FloatDecision[],
) {
  const started = performance.now();
  for (const lead of leads) {
    const decision = await engine.decide(lead);
    out?.push(decision);
  }
  return leads.length / ((performance.now() - started) / 1000);
}

/**
 * The input hash as production makes it (form 2: personal identifiers enter as their HMAC), under a fixed
 * key that is not anyone's secret: the bench measures the work, not a deployment.
 */
const BENCH_HASHING = currentInputHashing(
  parseIdentifierKeyring(
    JSON.stringify({ current: 'bench', bench: 'kfq-bench-identifier-key-not-a-secret' }),
  ),
);

/** The input hash each lead revision is stored with: made once, at intake, outside the timed evaluation. */
function storedHashes(leads: readonly Lead[]): StoredInputHash[] {
  return leads.map((lead) => ({
    inputHash: leadHash(lead, BENCH_HASHING),
    inputHashForm: BENCH_HASHING.form,
  }));
}

let sink = 0;
/**
 * `full`: the decision as the evaluate-lead function makes it, with the stored input hash; `replay`: the
 * same decision hashing the lead again, as replay does; `bare`: the rules alone.
 */
function timeOurs(
  leads: readonly Lead[],
  stored: readonly StoredInputHash[],
  kind: 'full' | 'replay' | 'bare',
) {
  const started = performance.now();
  if (kind === 'full') {
    for (let index = 0; index < leads.length; index += 1) {
      const decision = evaluateLeadWithInputHash(
        leads[index] as Lead,
        DEFAULT_POLICY,
        stored[index] as StoredInputHash,
      );
      sink += decision.referralReward.amountFen;
    }
  } else if (kind === 'replay') {
    for (const lead of leads)
      sink += evaluateLead(lead, DEFAULT_POLICY, BENCH_HASHING).referralReward.amountFen;
  } else {
    for (const lead of leads) sink += computeOutcome(lead, DEFAULT_POLICY).referral.amountFen;
  }
  return leads.length / ((performance.now() - started) / 1000);
}

export async function runEngineBench(options: { leads: number; rounds: number }): Promise<EngineResult> {
  const leads = generateLeads(options.leads);
  const stored = storedHashes(leads);
  const jre = jsonRulesPolicy(DEFAULT_POLICY);

  // Agreement first (untimed), on every lead.
  const floats: FloatDecision[] = [];
  await timeJre(jre, leads, floats);
  const { failures, disagreements, byField } = compare(leads, floats);

  // Warm-up on a slice, then alternating timed rounds, the order rotating each round.
  const warm = leads.slice(0, Math.min(leads.length, 5_000));
  timeOurs(warm, stored, 'full');
  timeOurs(warm, stored, 'replay');
  timeOurs(warm, stored, 'bare');
  await timeJre(jre, warm);
  const roundRates = {
    full: [] as number[],
    replay: [] as number[],
    bare: [] as number[],
    jsonRulesEngine: [] as number[],
  };
  const steps: (() => Promise<void>)[] = [
    async () => void roundRates.jsonRulesEngine.push(await timeJre(jre, leads)),
    async () => void roundRates.full.push(timeOurs(leads, stored, 'full')),
    async () => void roundRates.replay.push(timeOurs(leads, stored, 'replay')),
    async () => void roundRates.bare.push(timeOurs(leads, stored, 'bare')),
  ];
  for (let round = 0; round < options.rounds; round += 1) {
    for (let step = 0; step < steps.length; step += 1)
      await (steps[(round + step) % steps.length] as () => Promise<void>)();
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);

  const micros = (work: (lead: Lead) => unknown) => {
    const started = performance.now();
    for (const lead of leads) work(lead);
    return ((performance.now() - started) * 1000) / leads.length;
  };
  const full = 1e6 / median(roundRates.full);
  const replay = 1e6 / median(roundRates.replay);
  const bare = 1e6 / median(roundRates.bare);
  const policyHashMicros = micros(() => policyHash(DEFAULT_POLICY));
  const leadHashMicros = micros((lead) => leadHash(lead, BENCH_HASHING));
  // The parts of the lead hash: the hashed form (the HMAC of each personal identifier) with its canonical
  // JSON, then SHA-256 of that text.
  const leadCanonicalJson = micros((lead) => canonicalJson(hashedFormOf(lead, BENCH_HASHING.key)));
  // The texts are made (and flattened by hashing them once) before timing SHA-256 alone.
  const texts = new Map(leads.map((lead) => [lead, canonicalJson(hashedFormOf(lead, BENCH_HASHING.key))]));
  for (const text of texts.values()) sha256Hex(text);
  const leadSha256 = micros((lead) => sha256Hex(texts.get(lead) as string));
  const breakdownMicros = {
    full,
    replay,
    bare,
    policyHash: policyHashMicros,
    leadHash: leadHashMicros,
    leadCanonicalJson,
    leadSha256,
    explanationsAndShape: Math.max(0, full - bare - policyHashMicros),
  };

  const rates = {
    full: median(roundRates.full),
    replay: median(roundRates.replay),
    bare: median(roundRates.bare),
    jsonRulesEngine: median(roundRates.jsonRulesEngine),
  };
  const ratios = {
    full: rates.full / rates.jsonRulesEngine,
    replay: rates.replay / rates.jsonRulesEngine,
    bare: rates.bare / rates.jsonRulesEngine,
  };
  return {
    leads: leads.length,
    rounds: options.rounds,
    seed: LEAD_SEED,
    rates,
    roundRates,
    ratios,
    breakdownMicros,
    targets: { fullMet: ratios.full >= 10, bareMet: ratios.bare >= 100 },
    agreement: {
      compared: leads.length,
      fenDisagreements: disagreements.length,
      byField,
      disagreements: disagreements.slice(0, 1_000),
      failures,
    },
  };
}
