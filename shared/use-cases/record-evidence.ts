import { randomUUID } from 'node:crypto';
import { hasRole, type Principal, sectorsOf } from '#shared/auth/principal.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { EvidenceStore } from '#shared/ports/evidence.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import {
  AUDIT_REPORT_KIND_ZH,
  type AuditReportBody,
  type EvidenceList,
  type EvidenceRecord,
  type SiteCheckBody,
} from '#shared/schemas/evidence.ts';
import { LEAD_STATUS_ZH, type LeadRecord, type LeadStatus } from '#shared/schemas/lead-record.ts';

export interface EvidenceDeps {
  readonly leads: Pick<LeadStore, 'get'>;
  readonly evidence: EvidenceStore;
  readonly clock: Clock;
}

const OPEN: readonly LeadStatus[] = ['PENDING_FINANCE', 'PENDING_CASE_REVIEW'];

/** Finance, the finance head and auditors reach every lead; a sector team only its own (another's: 404). */
async function leadFor(deps: EvidenceDeps, principal: Principal, leadId: string): Promise<LeadRecord> {
  const lead = await deps.leads.get(leadId);
  const visible =
    lead !== undefined &&
    (hasRole(principal, 'finance') ||
      hasRole(principal, 'finance-head') ||
      hasRole(principal, 'auditor') ||
      sectorsOf(principal).includes(lead.sector));
  if (!visible) {
    throw new NotFoundError({ zh: `没有线索 ${leadId}。`, en: `There is no lead ${leadId}.` });
  }
  return lead;
}

function actorOf(principal: Principal, lead: LeadRecord) {
  return hasRole(principal, 'finance')
    ? { userId: principal.userId, role: 'finance' }
    : { userId: principal.userId, role: `sector:${lead.sector}` };
}

/** Evidence is recorded while finance has not decided: it is what the decision to pay rests on. */
function requireOpen(lead: LeadRecord): void {
  if (!OPEN.includes(lead.status)) {
    throw new ConflictError('review_closed', {
      zh: `线索 ${lead.leadId} 状态为${LEAD_STATUS_ZH[lead.status]}：不再登记审核证据。`,
      en: `Lead ${lead.leadId} is ${lead.status}: its review evidence can no longer be recorded.`,
    });
  }
}

async function record(
  deps: EvidenceDeps,
  principal: Principal,
  leadId: string,
  entry: (base: {
    evidenceId: string;
    leadId: string;
    recordedBy: { userId: string; role: string };
    recordedAt: string;
  }) => EvidenceRecord,
  details: (record: EvidenceRecord) => Record<string, string | number | boolean | null>,
): Promise<EvidenceRecord> {
  const lead = await leadFor(deps, principal, leadId);
  // The finance head and auditors read the evidence; only the lead's team and finance record it.
  if (!hasRole(principal, 'finance') && !sectorsOf(principal).includes(lead.sector)) {
    throw new ForbiddenError({
      zh: '审核证据只能由该线索的专班或财政局登记。',
      en: "Evidence is recorded only by the lead's sector team or finance.",
    });
  }
  requireOpen(lead);
  const recordedAt = deps.clock.now().toISOString();
  const evidence = entry({
    evidenceId: `ev_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
    leadId: lead.leadId,
    recordedBy: actorOf(principal, lead),
    recordedAt,
  });
  await deps.evidence.recordEvidence(evidence, {
    at: recordedAt,
    actor: evidence.recordedBy,
    action:
      evidence.kind === 'audit_report' ? 'evidence.audit_report_recorded' : 'evidence.site_check_recorded',
    subject: lead.leadId,
    inputHash: null,
    policyVersion: null,
    details: { evidenceId: evidence.evidenceId, ...details(evidence) },
  });
  return evidence;
}

/** `POST /leads/{id}/evidence/audit-report`: a CPA's 验资报告 or 专项审计报告, by the lead's team or finance. */
export async function recordAuditReport(
  deps: EvidenceDeps,
  command: { principal: Principal; leadId: string; report: AuditReportBody },
): Promise<EvidenceRecord> {
  const { report } = command;
  const apart = report.reportedApart ?? {};
  return record(
    deps,
    command.principal,
    command.leadId,
    (base) => ({
      ...base,
      kind: 'audit_report',
      auditReport: {
        kind: report.kind,
        number: report.number,
        firm: report.firm,
        reportDate: report.reportDate,
        constructionPeriod: report.constructionPeriod,
        amountFen: report.amount,
        reportedApart: {
          landFen: apart.land ?? 0,
          rentFen: apart.rent ?? 0,
          workingCapitalFen: apart.workingCapital ?? 0,
          outsideConstructionPeriodFen: apart.outsideConstructionPeriod ?? 0,
        },
      },
    }),
    () => ({
      reportKind: report.kind,
      reportKindZh: AUDIT_REPORT_KIND_ZH[report.kind],
      number: report.number,
      firm: report.firm,
      reportDate: report.reportDate,
      constructionFrom: report.constructionPeriod.from,
      constructionTo: report.constructionPeriod.to,
      amountFen: report.amount,
      landFen: apart.land ?? 0,
      rentFen: apart.rent ?? 0,
      workingCapitalFen: apart.workingCapital ?? 0,
      outsideConstructionPeriodFen: apart.outsideConstructionPeriod ?? 0,
    }),
  );
}

/** `POST /leads/{id}/evidence/site-check`: who checked on site, when, what they found. */
export async function recordSiteCheck(
  deps: EvidenceDeps,
  command: { principal: Principal; leadId: string; check: SiteCheckBody },
): Promise<EvidenceRecord> {
  const { check } = command;
  return record(
    deps,
    command.principal,
    command.leadId,
    (base) => ({ ...base, kind: 'site_check', siteCheck: { ...check } }),
    () => ({
      checkedBy: check.checkedBy,
      checkedOn: check.checkedOn,
      finding: check.finding,
      confirmed: check.confirmed,
    }),
  );
}

/** `GET /leads/{id}/evidence`: every entry, oldest first (superseded ones included). */
export async function listEvidence(
  deps: EvidenceDeps,
  command: { principal: Principal; leadId: string },
): Promise<EvidenceList> {
  const lead = await leadFor(deps, command.principal, command.leadId);
  return { leadId: lead.leadId, items: await deps.evidence.evidence(lead.leadId) };
}
