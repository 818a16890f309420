import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { InputHashForm } from '#shared/schemas/decision.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import type { DecisionFundAsk, DecisionRecord, LeadRecord, LeadStatus } from '#shared/schemas/lead-record.ts';

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
  /**
   * Stores decision revision N and moves the lead to it, only if the lead is at revision N−1. In the same
   * transaction revision N stops waiting for evaluation and, when the decision asks the fund for something
   * (`allocation`), its allocation is marked pending (see shared/ports/pending-work.ts).
   */
  /** Each decision revision of a lead as the fund allocation reads it (its fund result), oldest first. */
  fundAsks(leadId: string): Promise<DecisionFundAsk[]>;
  recordDecision(
    decision: DecisionRecord,
    audit: AuditEntryDraft,
    allocation?: { readonly fundId: string },
    /** The lead as the caller read it: written back only if unchanged since, else read again. */
    seen?: LeadRecord,
  ): Promise<RecordDecisionOutcome>;
  /**
   * The allocation of decision `revision` (or of a later one) is applied or found final: its pending mark
   * goes away. Conditional (a mark for a later revision stays), idempotent, never fails on a repeat.
   */
  allocationSettled(leadId: string, revision: number): Promise<void>;
  decisions(leadId: string): Promise<DecisionRecord[]>;
  recordEvaluationFailure(
    leadId: string,
    failure: NonNullable<LeadRecord['evaluationFailure']>,
    audit: AuditEntryDraft,
  ): Promise<void>;
  list(query: LeadListQuery): Promise<LeadPage>;
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
   * Sets the lead's actual investment and marks revision `expectedRevision + 1` pending (with who
   * reported it, for maker-checker, and as work waiting for evaluation), only while the lead is at
   * `expectedRevision`, in `allowedStatuses`, with no other re-evaluation pending; together with the audit
   * entry. The mark goes away when that revision's decision is recorded.
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
      readonly reportedBy: { readonly userId: string; readonly role: string };
    },
    audit: AuditEntryDraft,
  ): Promise<ReportActualInvestmentOutcome>;
}

/** A change to the lead's own input (the referrer's registration) that the engine must evaluate again. */
export interface LeadRevisionStore {
  /**
   * Replaces the lead's input with `lead` and marks revision `expectedRevision + 1` pending (as work
   * waiting for evaluation), only while the lead is at `expectedRevision`, in `allowedStatuses`, with no
   * other re-evaluation pending; together with the audit entry. `reportedBy` is carried to the new
   * revision's decision (who reported the investment it rests on, for maker-checker), when there is one.
   */
  reviseLead(
    revision: {
      readonly leadId: string;
      readonly expectedRevision: number;
      readonly allowedStatuses: readonly LeadStatus[];
      readonly lead: Lead;
      readonly inputHash: string;
      readonly inputHashForm: InputHashForm;
      readonly at: string;
      readonly reportedBy: { readonly userId: string; readonly role: string } | undefined;
    },
    audit: AuditEntryDraft,
  ): Promise<'recorded' | 'conflict'>;
}
