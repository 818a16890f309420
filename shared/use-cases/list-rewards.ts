/**
 * The rewards as finance sees them (GET /rewards): each lead of a status with every amount, its
 * explanation, and whether it can be approved now (and if not, why: the same rules the commands apply).
 */

import { formatFen } from '#shared/domain/money.ts';
import { whyNotPayable } from '#shared/domain/review-rules.ts';
import type { FundStore } from '#shared/ports/funds.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { ReviewStore } from '#shared/ports/reviews.ts';
import type { LeadStatus } from '#shared/schemas/lead-record.ts';

export interface ListRewardsDeps {
  readonly leads: Pick<LeadStore, 'list' | 'decisions'>;
  readonly reviews: Pick<ReviewStore, 'review' | 'caseOutcome'>;
  readonly funds: Pick<FundStore, 'allocation'>;
}

/** A lead awaiting (or past) review, with every amount and its explanation. */
export async function listRewards(
  deps: ListRewardsDeps,
  query: { status: LeadStatus; sector?: string | undefined; cursor?: string | undefined; limit: number },
) {
  const page = await deps.leads.list({
    status: query.status,
    sector: query.sector,
    cursor: query.cursor,
    limit: query.limit,
  });
  const items = await Promise.all(
    page.leads.map(async (lead) => {
      const decisions = await deps.leads.decisions(lead.leadId);
      const decision = decisions.find((d) => d.revision === lead.latestRevision);
      if (decision === undefined)
        return { leadId: lead.leadId, sector: lead.sector, status: lead.status, decision: null };
      const [review, caseOutcome, allocation] = await Promise.all([
        deps.reviews.review(lead.leadId),
        deps.reviews.caseOutcome(lead.leadId),
        deps.funds.allocation(decision.decision.fund.fundId, lead.leadId),
      ]);
      const refusal = whyNotPayable({ lead, decision, review, caseOutcome, allocation });
      const reward = decision.decision.referralReward;
      const fund = decision.decision.fund;
      return {
        leadId: lead.leadId,
        sector: lead.sector,
        status: lead.status,
        submittedBy: lead.submittedBy,
        submittedAt: lead.submittedAt,
        revision: decision.revision,
        evaluatedAt: decision.evaluatedAt,
        policyVersion: decision.policyVersion,
        approvable: refusal === undefined && review === undefined,
        notApprovableBecause: refusal ?? null,
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
      };
    }),
  );
  return { items, nextCursor: page.nextCursor };
}
