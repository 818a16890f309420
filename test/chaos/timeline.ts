/**
 * Where a kill fell, read afterwards from the audit trail (no reads at the kill moment, which would
 * move it): every entry carries when its step ran, and an entry exists only if its transaction
 * committed, so at a kill at T
 * - a revision waits for evaluation when it was asked for before T (`lead.received` for revision 1,
 *   `lead.actual_investment_reported` for the next) and its `lead.evaluated` is not before T;
 * - a decision waits for its allocation when it was made before T, asks the fund for money (a cap above
 *   0, not a duplicate) and no fund entry for that revision or a later one (`fund.*`, or finance's
 *   approval or rejection, which settle the allocation too) is before T.
 */

export interface AuditEntryLite {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly subject: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface KillPhase {
  /** Revisions waiting for evaluation at the kill: new leads (RECEIVED) and re-evaluations. */
  readonly evaluationNew: number;
  readonly evaluationAgain: number;
  readonly allocation: number;
}

interface LeadHistory {
  readonly asked: Map<number, number>;
  readonly evaluated: Map<number, { at: number; asksFund: boolean }>;
  readonly fundSteps: { at: number; revision: number }[];
}

const histories = new WeakMap<readonly AuditEntryLite[], Map<string, LeadHistory>>();

function historiesOf(audit: readonly AuditEntryLite[]): Map<string, LeadHistory> {
  const cached = histories.get(audit);
  if (cached !== undefined) return cached;
  const byLead = new Map<string, LeadHistory>();
  const of = (leadId: string) => {
    let history = byLead.get(leadId);
    if (history === undefined) {
      history = { asked: new Map(), evaluated: new Map(), fundSteps: [] };
      byLead.set(leadId, history);
    }
    return history;
  };
  for (const entry of audit) {
    const at = Date.parse(entry.at);
    const revision = Number(entry.details.revision);
    if (entry.action === 'lead.received') of(entry.subject).asked.set(1, at);
    else if (entry.action === 'lead.actual_investment_reported') {
      of(entry.subject).asked.set(Number(entry.details.nextRevision), at);
    } else if (entry.action === 'lead.evaluated') {
      const cap = entry.details.fundCapFen;
      const duplicate = entry.details.duplicateOf;
      of(entry.subject).evaluated.set(revision, {
        at,
        asksFund: (typeof cap !== 'number' || cap > 0) && (duplicate === null || duplicate === undefined),
      });
    } else if (
      entry.action.startsWith('fund.') ||
      entry.action === 'reward.approved' ||
      entry.action === 'reward.rejected'
    ) {
      if (Number.isFinite(revision)) of(entry.subject).fundSteps.push({ at, revision });
    }
  }
  histories.set(audit, byLead);
  return byLead;
}

export function killPhases(killAt: string, audit: readonly AuditEntryLite[]): KillPhase {
  const at = Date.parse(killAt);
  let evaluationNew = 0;
  let evaluationAgain = 0;
  let allocation = 0;
  for (const history of historiesOf(audit).values()) {
    for (const [revision, askedAt] of history.asked) {
      if (askedAt >= at) continue;
      const evaluated = history.evaluated.get(revision);
      if (evaluated === undefined || evaluated.at >= at) {
        if (revision === 1) evaluationNew += 1;
        else evaluationAgain += 1;
      }
    }
    for (const [revision, evaluated] of history.evaluated) {
      if (evaluated.at >= at || !evaluated.asksFund) continue;
      // Only the newest decision before the kill counts: an older one was superseded.
      const newer = [...history.evaluated].some(([other, e]) => other > revision && e.at < at);
      if (newer) continue;
      const applied = history.fundSteps.some((step) => step.revision >= revision && step.at < at);
      if (!applied) allocation += 1;
    }
  }
  return { evaluationNew, evaluationAgain, allocation };
}
