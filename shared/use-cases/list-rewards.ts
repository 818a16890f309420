/**
 * The rewards as finance sees them (GET /rewards): each lead of a status with every amount, its
 * explanation, and whether it can be approved now (and if not, why: the same rules the commands apply).
 */

import * as z from 'zod';
import { paidSoFarFen, recoverySummary } from '#shared/domain/clawback.ts';
import { fenSchema, formatFen } from '#shared/domain/money.ts';
import { whyNotPayable } from '#shared/domain/review-rules.ts';
import type { ClawbackStore } from '#shared/ports/clawbacks.ts';
import type { EvidenceStore } from '#shared/ports/evidence.ts';
import type { FundStore } from '#shared/ports/funds.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { PolicyStore } from '#shared/ports/policies.ts';
import type { ReviewStore } from '#shared/ports/reviews.ts';
import { RecoverySummarySchema } from '#shared/schemas/clawback.ts';
import { FlagSchema, FundResultSchema, ReferralRewardResultSchema } from '#shared/schemas/decision.ts';
import { AllocationSchema, CaseOutcomeRecordSchema, ReviewRecordSchema } from '#shared/schemas/fund.ts';
import { DecisionRecordSchema, type LeadStatus, LeadStatusSchema } from '#shared/schemas/lead-record.ts';
import { LocalizedTextSchema } from '#shared/schemas/legal-basis.ts';
import { checkRange } from './query-params.ts';
import { payoutGateRefusal, payoutSettingsFor } from './review-reward.ts';

export interface ListRewardsDeps {
  readonly leads: Pick<LeadStore, 'list' | 'decisions'>;
  readonly reviews: Pick<ReviewStore, 'review' | 'caseOutcome'>;
  readonly funds: Pick<FundStore, 'allocation'>;
  /** Clawback totals (issue 17, part 6): each paid reward's gross, recovered and net. */
  readonly clawbacks: Pick<ClawbackStore, 'totals'>;
  /** The payout rules of each decision's policy and the evidence they ask for (issue 17). */
  readonly policies: Pick<PolicyStore, 'all'>;
  readonly evidence: Pick<EvidenceStore, 'evidence'>;
}

/** A lead of the status asked for that has no decision yet (nothing to review on it). */
const UnevaluatedRewardSchema = z.object({
  leadId: z.string(),
  sector: z.string(),
  status: LeadStatusSchema,
  decision: z.null(),
});

/** A lead awaiting (or past) review, with every amount and its explanation (GET /rewards). */
export const RewardSchema = z.object({
  leadId: z.string(),
  sector: z.string(),
  status: LeadStatusSchema,
  projectName: z.string(),
  investorName: z.string(),
  plannedInvestmentFen: fenSchema,
  submittedBy: z.object({ userId: z.string(), role: z.string() }),
  submittedAt: z.iso.datetime({ offset: true }),
  revision: z.number().int().positive(),
  evaluatedAt: z.iso.datetime({ offset: true }),
  policyVersion: z.string(),
  /** Finance can approve it now; if not, `notApprovableBecause` says why (the rules the commands apply). */
  approvable: z.boolean(),
  /** `message` in both languages, as decision explanations are: the console shows the one it speaks. */
  notApprovableBecause: z.object({ code: z.string(), message: LocalizedTextSchema }).nullable(),
  referralReward: ReferralRewardResultSchema.pick({
    basis: true,
    baseFen: true,
    amountFen: true,
    amountText: true,
    payable: true,
    reasons: true,
    explanation: true,
    legalBasis: true,
  }).extend({ payableRewardFen: fenSchema, payableRewardText: z.string() }),
  fund: FundResultSchema.pick({
    fundId: true,
    capFen: true,
    capText: true,
    boundBy: true,
    explanation: true,
  }).extend({ allocation: AllocationSchema.nullable() }),
  flags: z.array(FlagSchema),
  adjustments: DecisionRecordSchema.shape.adjustments,
  caseOutcome: CaseOutcomeRecordSchema.nullable(),
  review: ReviewRecordSchema.nullable(),
  /** Once something is paid: gross, recovered (clawbacks approved) and net (issue 17, part 6). */
  recovery: RecoverySummarySchema.pick({ grossFen: true, recoveredFen: true, netFen: true }).nullable(),
});

export const RewardListSchema = z.object({
  items: z.array(z.union([RewardSchema, UnevaluatedRewardSchema])),
  nextCursor: z.string().nullable(),
});
export type RewardList = z.infer<typeof RewardListSchema>;

/** The leads of one status, newest first, each with every amount and its explanation. */
export async function listRewards(
  deps: ListRewardsDeps,
  query: {
    status: LeadStatus;
    sector?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<RewardList> {
  checkRange(query.from, query.to);
  const page = await deps.leads.list({
    status: query.status,
    sector: query.sector,
    from: query.from,
    to: query.to,
    cursor: query.cursor,
    limit: query.limit,
  });
  // The published policies once per page, not once per lead: each decision's payout rules come from them.
  let published: ReturnType<PolicyStore['all']> | undefined;
  const policies = { all: () => (published ??= deps.policies.all()) };
  const items = await Promise.all(
    page.leads.map(async (lead) => {
      const decisions = await deps.leads.decisions(lead.leadId);
      const decision = decisions.find((d) => d.revision === lead.latestRevision);
      if (decision === undefined)
        return { leadId: lead.leadId, sector: lead.sector, status: lead.status, decision: null };
      const [review, caseOutcome, allocation, totals] = await Promise.all([
        deps.reviews.review(lead.leadId),
        deps.reviews.caseOutcome(lead.leadId),
        deps.funds.allocation(decision.decision.fund.fundId, lead.leadId),
        deps.clawbacks.totals(lead.leadId),
      ]);
      const paidFen = review === undefined ? 0 : paidSoFarFen(review);
      const { grossFen, recoveredFen, netFen } = recoverySummary(paidFen, totals);
      const context = { lead, decision, review, caseOutcome, allocation };
      // Approvable means what the approval itself would say: the payout gates too, while nothing is decided.
      const refusal =
        whyNotPayable(context) ??
        (review === undefined
          ? payoutGateRefusal(
              context,
              await payoutSettingsFor({ policies }, decision),
              await deps.evidence.evidence(lead.leadId),
            )
          : undefined);
      const reward = decision.decision.referralReward;
      const fund = decision.decision.fund;
      return {
        leadId: lead.leadId,
        sector: lead.sector,
        status: lead.status,
        projectName: lead.lead.projectName,
        investorName: lead.lead.investor.name,
        plannedInvestmentFen: lead.lead.plannedInvestment,
        submittedBy: lead.submittedBy,
        submittedAt: lead.submittedAt,
        revision: decision.revision,
        evaluatedAt: decision.evaluatedAt,
        policyVersion: decision.policyVersion,
        approvable: refusal === undefined && review === undefined,
        notApprovableBecause: refusal === undefined ? null : { code: refusal.code, message: refusal.message },
        referralReward: {
          basis: reward.basis,
          baseFen: reward.baseFen,
          amountFen: reward.amountFen,
          amountText: reward.amountText,
          payable: reward.payable,
          payableRewardFen: decision.payableRewardFen,
          payableRewardText: formatFen(decision.payableRewardFen),
          reasons: reward.reasons,
          explanation: reward.explanation,
          legalBasis: reward.legalBasis,
        },
        fund: {
          fundId: fund.fundId,
          capFen: fund.capFen,
          capText: fund.capText,
          boundBy: fund.boundBy,
          explanation: fund.explanation,
          allocation: allocation ?? null,
        },
        flags: decision.decision.flags,
        adjustments: decision.adjustments,
        caseOutcome: caseOutcome ?? null,
        review: review ?? null,
        recovery: paidFen === 0 ? null : { grossFen, recoveredFen, netFen },
      };
    }),
  );
  return { items, nextCursor: page.nextCursor };
}
