import * as z from 'zod';
import { hasRole, type Principal, sectorsOf } from '#shared/auth/principal.ts';
import { maskResidentId } from '#shared/domain/identifiers.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { FundStore } from '#shared/ports/funds.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { ProjectStore } from '#shared/ports/projects.ts';
import type { ReviewStore } from '#shared/ports/reviews.ts';
import { AllocationSchema, CaseOutcomeRecordSchema, ReviewRecordSchema } from '#shared/schemas/fund.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import {
  type DecisionRecord,
  DecisionRecordSchema,
  type LeadRecord,
  LeadRecordSchema,
  LeadStatusSchema,
} from '#shared/schemas/lead-record.ts';

export interface GetLeadDeps {
  readonly leads: Pick<LeadStore, 'get' | 'decisions'>;
  readonly reviews: Pick<ReviewStore, 'review' | 'caseOutcome'>;
  readonly funds: Pick<FundStore, 'allocation'>;
  /** The project a signed lead became (issue 15): the link back from the lead. */
  readonly projects: Pick<ProjectStore, 'projectOfLead'>;
}

/** One line per decision revision, oldest first. */
export const RevisionSummarySchema = z.object({
  revision: z.number().int().positive(),
  evaluatedAt: z.iso.datetime({ offset: true }),
  status: LeadStatusSchema,
  policyVersion: z.string(),
  payableRewardFen: z.number().int().nonnegative(),
});
export type RevisionSummary = z.infer<typeof RevisionSummarySchema>;

/**
 * `GET /leads/{id}`: the lead as stored (resident IDs masked, internal hashes left out), its latest
 * decision in full, the list of its revisions, and what followed the decision: the revision waiting for
 * re-evaluation (`pendingRevision`), the lead's claim on the fund of its latest decision (`allocation`:
 * reserved, waitlisted, committed or released), finance's verdict (`review`) and a one-case-one-policy
 * outcome (`caseOutcome`).
 */
export const LeadViewSchema = LeadRecordSchema.pick({
  leadId: true,
  sector: true,
  status: true,
  submittedAt: true,
  submittedBy: true,
  lead: true,
  inputHash: true,
  inputHashForm: true,
  duplicateOf: true,
  latestRevision: true,
  pendingRevision: true,
  evaluationFailure: true,
  updatedAt: true,
}).extend({
  latestDecision: DecisionRecordSchema.nullable(),
  revisions: z.array(RevisionSummarySchema),
  allocation: AllocationSchema.nullable(),
  review: ReviewRecordSchema.nullable(),
  caseOutcome: CaseOutcomeRecordSchema.nullable(),
  /** The project this lead became after signing (`GET /projects/{projectId}`), if any. */
  projectId: z.string().nullable(),
});
export type LeadView = z.infer<typeof LeadViewSchema>;

/** Finance (its head too) and auditors see every sector; a sector team sees its own sectors' leads only. */
export function maySeeSector(principal: Principal, sector: string): boolean {
  return (
    hasRole(principal, 'finance') ||
    hasRole(principal, 'finance-head') ||
    hasRole(principal, 'auditor') ||
    sectorsOf(principal).includes(sector)
  );
}

/**
 * Resident IDs are masked in every read view, for every role: the full number is needed only when a
 * reward is paid, and that is the payment export's business, not a query's.
 */
export function maskLead(lead: Lead): Lead {
  const introducer = lead.introducer;
  if (!('residentId' in introducer) || introducer.residentId === undefined) return lead;
  return { ...lead, introducer: { ...introducer, residentId: maskResidentId(introducer.residentId) } };
}

function maskDecision(decision: DecisionRecord): DecisionRecord {
  return { ...decision, lead: maskLead(decision.lead) };
}

export async function getLead(
  deps: GetLeadDeps,
  command: { readonly principal: Principal; readonly leadId: string },
): Promise<LeadView> {
  // The id has the shape of a lead id: withHttp checked it (shared/schemas/path-parameters.ts).
  const record = await deps.leads.get(command.leadId);
  // Another sector's lead answers exactly as a missing one: its existence is not disclosed.
  if (record === undefined || !maySeeSector(command.principal, record.sector)) {
    throw new NotFoundError({
      zh: `没有线索 ${command.leadId}。`,
      en: `There is no lead ${command.leadId}.`,
    });
  }
  const decisions = (await deps.leads.decisions(record.leadId)).sort((a, b) => a.revision - b.revision);
  const latest =
    decisions.find((decision) => decision.revision === record.latestRevision) ?? decisions.at(-1);
  const [allocation, review, caseOutcome, projectId] = await Promise.all([
    latest === undefined ? undefined : deps.funds.allocation(latest.decision.fund.fundId, record.leadId),
    deps.reviews.review(record.leadId),
    deps.reviews.caseOutcome(record.leadId),
    deps.projects.projectOfLead(record.leadId),
  ]);
  return {
    ...viewFields(record),
    latestDecision: latest === undefined ? null : maskDecision(latest),
    allocation: allocation ?? null,
    review: review ?? null,
    caseOutcome: caseOutcome ?? null,
    projectId: projectId ?? null,
    revisions: decisions.map((decision) => ({
      revision: decision.revision,
      evaluatedAt: decision.evaluatedAt,
      status: decision.status,
      policyVersion: decision.policyVersion,
      payableRewardFen: decision.payableRewardFen,
    })),
  };
}

function viewFields(
  record: LeadRecord,
): Omit<LeadView, 'latestDecision' | 'revisions' | 'allocation' | 'review' | 'caseOutcome' | 'projectId'> {
  return {
    leadId: record.leadId,
    sector: record.sector,
    status: record.status,
    submittedAt: record.submittedAt,
    submittedBy: record.submittedBy,
    lead: maskLead(record.lead),
    inputHash: record.inputHash,
    inputHashForm: record.inputHashForm,
    duplicateOf: record.duplicateOf,
    latestRevision: record.latestRevision,
    ...(record.pendingRevision === undefined ? {} : { pendingRevision: record.pendingRevision }),
    evaluationFailure: record.evaluationFailure,
    updatedAt: record.updatedAt,
  };
}
