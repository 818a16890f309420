import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { InputHashForm } from '#shared/schemas/decision.ts';
import type { DecisionRecord, LeadRecord, LeadStatus } from '#shared/schemas/lead-record.ts';

export type CreateLeadOutcome = 'created' | 'lead_exists' | 'project_taken';
export type RecordDecisionOutcome = 'recorded' | 'already_recorded';

export interface LeadListQuery {
  readonly sector?: string;
  readonly status?: LeadStatus;
  /** ISO instants, inclusive, on the submission time. */
  readonly from?: string;
  readonly to?: string;
  readonly cursor?: string;
  readonly limit: number;
}

export interface LeadPage {
  readonly leads: readonly LeadRecord[];
  readonly nextCursor: string | null;
}

/** Leads and their decision revisions. Every change is written together with its audit entry. */
export interface LeadStore {
  get(leadId: string): Promise<LeadRecord | undefined>;
  /** The lead that registered this investor and project first, if any. */
  projectOwner(projectKey: string): Promise<string | undefined>;
  /**
   * Stores a new lead, its audit entry and (when it is not a duplicate) the project's marker, all or
   * nothing. `lead_exists`: a lead with this id is already stored; `project_taken`: another lead took the
   * project in the meantime.
   */
  create(lead: LeadRecord, audit: AuditEntryDraft): Promise<CreateLeadOutcome>;
  /** Stores decision revision N and moves the lead to it, only if the lead is at revision N−1. */
  recordDecision(decision: DecisionRecord, audit: AuditEntryDraft): Promise<RecordDecisionOutcome>;
  decisions(leadId: string): Promise<DecisionRecord[]>;
  recordEvaluationFailure(
    leadId: string,
    failure: NonNullable<LeadRecord['evaluationFailure']>,
    audit: AuditEntryDraft,
  ): Promise<void>;
  list(query: LeadListQuery): Promise<LeadPage>;
  /** Leads still `RECEIVED` that were submitted before `before`: the sweeper sends them again. */
  receivedBefore(before: string, limit: number): Promise<LeadRecord[]>;
}

export type ReportActualInvestmentOutcome =
  /** Stored; revision `latestRevision + 1` must now be evaluated. */
  | 'recorded'
  /** The same amount is already waiting for that re-evaluation (a retry): send the message again. */
  | 'same_pending'
  /** The lead moved on (another report pending, a new revision, or review closed). */
  | 'conflict';

/** The verified actual investment of a lead, stored before its re-evaluation is asked for. */
export interface ActualInvestmentStore {
  /**
   * Sets the lead's actual investment and marks revision `expectedRevision + 1` pending, only while the
   * lead is at `expectedRevision`, in `allowedStatuses`, with no other re-evaluation pending; together
   * with the audit entry. The mark goes away when that revision's decision is recorded.
   */
  reportActualInvestment(
    report: {
      readonly leadId: string;
      readonly expectedRevision: number;
      readonly allowedStatuses: readonly LeadStatus[];
      readonly actualInvestmentFen: number;
      readonly inputHash: string;
      readonly inputHashForm: InputHashForm;
      readonly at: string;
    },
    audit: AuditEntryDraft,
  ): Promise<ReportActualInvestmentOutcome>;
}
