/**
 * The benchmark's leads: generated from a fixed seed, so every run and every engine sees the same ones.
 * Amounts are whole fen spread over the interesting ranges (around the 1亿 reward threshold and the 5亿
 * one-case-one-policy threshold, exactly on them, and with odd fen so rounding matters).
 */
import type { Lead } from '#shared/schemas/lead.ts';
import { ENTERPRISE_USCC, leadInFen, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';
import { mulberry32 } from './stats.ts';

const INTRODUCERS: readonly Lead['introducer'][] = [
  { type: 'leading_enterprise', name: '山东光明电子集团有限公司', uscc: ENTERPRISE_USCC },
  { type: 'natural_person', name: '张伟', residentId: PERSON_RESIDENT_ID },
  { type: 'intermediary', name: '聊城招商服务有限公司' },
  { type: 'professional_team', name: '北京专业招商团队' },
  { type: 'none' },
];
const CATEGORIES: readonly Lead['category'][] = ['new_productive_force', 'old_capacity_upgrade', 'other'];

const YI = 10_000_000_000; // 1亿 yuan in fen

export const LEAD_SEED = 20_190_701;

/** An amount in fen: mostly 0.1亿–10亿 with odd fen, sometimes exactly on a threshold. */
function amountFen(random: () => number): number {
  const pick = random();
  if (pick < 0.03) return YI; // exactly 1亿: inclusive threshold
  if (pick < 0.05) return 5 * YI; // exactly 5亿
  if (pick < 0.07) return YI - 1; // one fen below
  if (pick < 0.15) return YI + Math.floor(random() * 1_000_000); // just above 1亿
  return Math.floor(YI * 0.1 + random() * YI * 9.9);
}

export function generateLeads(count: number, seed = LEAD_SEED): Lead[] {
  const random = mulberry32(seed);
  const base = leadInFen({ plannedFen: YI });
  const leads: Lead[] = [];
  for (let index = 0; index < count; index += 1) {
    const plannedFen = amountFen(random);
    const actualFen = random() < 0.6 ? amountFen(random) : undefined;
    const fundRequestFen = random() < 0.7 ? 1 + Math.floor(random() * 2_000_000_000) : undefined;
    const lead: Lead = {
      ...base,
      projectName: `基准项目${index}`,
      introducer: INTRODUCERS[Math.floor(random() * INTRODUCERS.length)] as Lead['introducer'],
      category: CATEGORIES[Math.floor(random() * CATEGORIES.length)] as Lead['category'],
      plannedInvestment: plannedFen,
      municipalMajorProject: random() < 0.05,
      bespokeTermsRequested: random() < 0.05,
    };
    if (actualFen !== undefined) lead.actualInvestment = actualFen;
    if (fundRequestFen !== undefined) lead.fundRequest = fundRequestFen;
    leads.push(lead);
  }
  return leads;
}
