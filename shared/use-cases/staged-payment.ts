/**
 * Staged payment (issue 17, part 5): a reward the policy splits into stages (`payout.stages`) is approved
 * and paid stage by stage, each once its condition is met, under the same rules as a whole reward: the
 * approval of the reward (tiers, evidence, registration, legal basis) comes first and opens the one 公示;
 * each stage then needs a finance approval (maker-checker, every gate run again, the condition met) and a
 * payment by another member of finance than anyone who approved (the notice ended clean, the stage before
 * paid, the condition still met). A stage is paid once: the transaction moves it only from APPROVED.
 */
import type { Principal } from '#shared/auth/principal.ts';
import {
  evidenceRecorderRefusal,
  evidenceRefusal,
  legalBasisRefusal,
  registrationRefusal,
} from '#shared/domain/payout-rules.ts';
import { makerCheckerRefusal, rewardToApproveFen } from '#shared/domain/review-rules.ts';
import {
  type ConditionJudgement,
  judgeCondition,
  type PlannedStage,
  type StageFacts,
  stagePlanOf,
} from '#shared/domain/staged-payment.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { PayoutSettings } from '#shared/policy/payout-settings.ts';
import type { ProjectStore } from '#shared/ports/projects.ts';
import type { StageStore } from '#shared/ports/stages.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type { EvidenceRecord } from '#shared/schemas/evidence.ts';
import type { ReviewRecord } from '#shared/schemas/fund.ts';
import type { DecisionRecord } from '#shared/schemas/lead-record.ts';
import type { StageRecord, StagesView } from '#shared/schemas/stage.ts';
import { afterOffsets, offsetsForPayment } from './clawback.ts';
import { settingsOf } from './projects/project-context.ts';
import {
  load,
  payoutSettingsFor,
  type ReviewDeps,
  refusePayout,
  refuseUntilNoticeClear,
} from './review-reward.ts';

export interface StageDeps extends ReviewDeps {
  readonly stages: StageStore;
  /** The project a lead became (issue 15): its stage is the `stage_reached` condition's evidence. */
  readonly projects: Pick<ProjectStore, 'projectOfLead' | 'get'>;
}

type Context = Awaited<ReturnType<typeof load>>;

/** The investment in place: the latest audit report's certified amount, else the reported actual one. */
function investmentInPlaceFen(decision: DecisionRecord, evidence: readonly EvidenceRecord[]): number {
  let latest: Extract<EvidenceRecord, { kind: 'audit_report' }> | undefined;
  for (const entry of evidence) {
    if (entry.kind === 'audit_report' && (latest === undefined || entry.recordedAt >= latest.recordedAt)) {
      latest = entry;
    }
  }
  return latest?.auditReport.amountFen ?? decision.lead.actualInvestment ?? 0;
}

async function factsOf(
  deps: StageDeps,
  decision: DecisionRecord,
  evidence: readonly EvidenceRecord[],
): Promise<StageFacts> {
  const [projectId, settings] = await Promise.all([
    deps.projects.projectOfLead(decision.leadId),
    settingsOf(deps.calendar),
  ]);
  const project = projectId === undefined ? undefined : await deps.projects.get(projectId);
  const stageName = settings.stages.find((stage) => stage.code === project?.stage);
  return {
    investmentInPlaceFen: investmentInPlaceFen(decision, evidence),
    plannedInvestmentFen: decision.lead.plannedInvestment,
    ...(project === undefined
      ? {}
      : {
          project: {
            projectId: project.projectId,
            stage: project.stage,
            stageName: stageName ?? { zh: project.stage, en: project.stage },
          },
        }),
    stageOrder: settings.stages,
  };
}

/** The reward the stages split: the approved one, or before approval what would be approved. */
function rewardOf(context: Context): number {
  return context.review?.state === 'APPROVED' || context.review?.state === 'PAID'
    ? context.review.rewardFen
    : rewardToApproveFen(context);
}

/** The decision revision the stages rest on: the approved one, else the latest. */
function decisionOf(context: Context): DecisionRecord {
  const approved = context.review?.revision;
  return context.decisions.find((d) => d.revision === approved) ?? context.decision;
}

export async function stagesOfLead(deps: StageDeps, leadId: string): Promise<StagesView> {
  const context = await load(deps, leadId);
  const decision = decisionOf(context);
  const payout = await payoutSettingsFor(deps, decision);
  const rewardFen = rewardOf(context);
  const plan = stagePlanOf(payout.stages, rewardFen);
  const approved = context.review?.state === 'APPROVED' || context.review?.state === 'PAID';
  const paidFen =
    context.review?.state === 'PAID' ? context.review.rewardFen : (context.review?.paidFen ?? 0);
  if (plan === undefined) {
    return { leadId, staged: false, rewardFen, paidFen, approved, stages: [] };
  }
  const [records, evidence] = await Promise.all([deps.stages.stages(leadId), deps.evidence.evidence(leadId)]);
  const facts = await factsOf(deps, decision, evidence);
  return {
    leadId,
    staged: true,
    rewardFen,
    paidFen,
    approved,
    stages: plan.map((planned) => {
      const record = records.find((r) => r.stage === planned.stage);
      const judged = judgeCondition(planned.condition, facts);
      return {
        stage: planned.stage,
        shareBasisPoints: planned.shareBasisPoints,
        amountFen: record?.amountFen ?? planned.amountFen,
        condition: planned.condition ?? null,
        conditionText: judged.condition,
        conditionMet: judged.met,
        finding: judged.finding,
        status:
          record?.state === 'PAID'
            ? 'paid'
            : record !== undefined
              ? 'approved'
              : judged.met
                ? 'ready'
                : 'waiting',
        approval:
          record === undefined
            ? null
            : { approvedBy: record.approvedBy, approvedAt: record.approvedAt, note: record.note },
        payment:
          record?.payment == null
            ? null
            : {
                reference: record.payment.reference,
                paidBy: record.payment.paidBy,
                paidAt: record.payment.paidAt,
              },
      };
    }),
  };
}

interface StagedContext {
  readonly context: Context;
  readonly review: ReviewRecord;
  readonly decision: DecisionRecord;
  readonly payout: PayoutSettings;
  readonly plan: readonly PlannedStage[];
  readonly planned: PlannedStage;
}

/** The approved reward's plan and the stage asked for: 409 when nothing is approved or staged, 404 no stage. */
async function stagedContext(deps: StageDeps, leadId: string, stage: number): Promise<StagedContext> {
  const context = await load(deps, leadId);
  const { review } = context;
  if (review === undefined || review.state === 'REJECTED') {
    throw new ConflictError('not_approved', {
      zh: `线索 ${leadId} 的奖励尚未批准：须先批准奖励（POST /leads/${leadId}/approve），再逐期批准。`,
      en: `The reward of lead ${leadId} is not approved: approve it first (POST /leads/${leadId}/approve), then each stage.`,
    });
  }
  const decision = decisionOf(context);
  const payout = await payoutSettingsFor(deps, decision);
  const plan = stagePlanOf(payout.stages, review.rewardFen);
  if (plan === undefined) {
    throw new ConflictError('not_staged', {
      zh: `线索 ${leadId} 的奖励不分期（政策 ${decision.policyVersion} 未设分期），一次支付：POST /leads/${leadId}/paid。`,
      en: `The reward of lead ${leadId} is not paid in stages (policy ${decision.policyVersion} sets none): POST /leads/${leadId}/paid.`,
    });
  }
  const planned = plan[stage - 1];
  if (planned === undefined) {
    throw new NotFoundError({
      zh: `线索 ${leadId} 的奖励只分 ${plan.length} 期，没有第 ${stage} 期。`,
      en: `The reward of lead ${leadId} has ${plan.length} stages; there is no stage ${stage}.`,
    });
  }
  return { context, review, decision, payout, plan, planned };
}

function conditionNotMet(leadId: string, stage: number, judged: ConditionJudgement): ConflictError {
  return new ConflictError(
    'stage_condition_not_met',
    {
      zh: `线索 ${leadId} 第 ${stage} 期的支付条件尚未满足：${judged.condition.zh}（${judged.finding.zh}）。`,
      en: `The condition of stage ${stage} of lead ${leadId} is not met: ${judged.condition.en} (${judged.finding.en}).`,
    },
    ['stageCondition'],
  );
}

function stageAudit(
  at: string,
  actor: { userId: string; role: string },
  action: string,
  staged: StagedContext,
  details: AuditEntryDraft['details'],
): AuditEntryDraft {
  const { context, decision, review, plan, planned } = staged;
  return {
    at,
    actor,
    action,
    subject: context.lead.leadId,
    inputHash: decision.decision.inputHash,
    policyVersion: decision.policyVersion,
    details: {
      revision: review.revision,
      stage: planned.stage,
      stageCount: plan.length,
      amountFen: planned.amountFen,
      shareBasisPoints: planned.shareBasisPoints,
      rewardFen: review.rewardFen,
      condition: planned.condition === undefined ? null : JSON.stringify(planned.condition),
      ...details,
    },
  };
}

export async function approveStage(
  deps: StageDeps,
  command: { principal: Principal; leadId: string; stage: number; note?: string | undefined },
): Promise<StageRecord> {
  const staged = await stagedContext(deps, command.leadId, command.stage);
  const { context, review, decision, payout, planned } = staged;
  const { lead } = context;
  if (review.state === 'PAID') throw stagePaidAlready(lead.leadId, planned.stage);
  // The same rules as the reward's approval: maker-checker, evidence recorders, every gate again.
  const makerChecker = makerCheckerRefusal('approve', command.principal.userId, {
    lead,
    revision: decision,
    caseOutcome: context.caseOutcome,
    review,
  });
  if (makerChecker !== undefined) throw new ForbiddenError(makerChecker, 'maker_checker');
  const evidence = await deps.evidence.evidence(lead.leadId);
  const recorder = evidenceRecorderRefusal(command.principal.userId, lead.leadId, evidence);
  if (recorder !== undefined) throw new ForbiddenError(recorder, 'approver_recorded_evidence');
  refusePayout(
    legalBasisRefusal({
      decision,
      caseOutcome: context.caseOutcome,
      rewardFen: review.rewardFen,
      fundFen: review.fundFen,
    }),
  );
  refusePayout(registrationRefusal(payout, decision, review.rewardFen));
  refusePayout(evidenceRefusal(payout, decision, evidence));
  const existing = (await deps.stages.stages(lead.leadId)).find((r) => r.stage === planned.stage);
  if (existing !== undefined) throw stageApprovedAlready(lead.leadId, existing);
  const judged = judgeCondition(planned.condition, await factsOf(deps, decision, evidence));
  if (!judged.met) throw conditionNotMet(lead.leadId, planned.stage, judged);

  const at = deps.clock.now().toISOString();
  const approvedBy = { userId: command.principal.userId, role: 'finance' };
  const record: StageRecord = {
    leadId: lead.leadId,
    stage: planned.stage,
    revision: review.revision,
    amountFen: planned.amountFen,
    shareBasisPoints: planned.shareBasisPoints,
    state: 'APPROVED',
    approvedBy,
    approvedAt: at,
    note: command.note ?? null,
    conditionFinding: judged.finding,
    payment: null,
  };
  const outcome = await deps.stages.approveStage(
    record,
    stageAudit(at, approvedBy, 'reward.stage_approved', staged, {
      conditionZh: judged.condition.zh,
      findingZh: judged.finding.zh,
      note: command.note ?? null,
    }),
  );
  if (outcome === 'exists') {
    const now = (await deps.stages.stages(lead.leadId)).find((r) => r.stage === planned.stage);
    throw stageApprovedAlready(lead.leadId, now ?? record);
  }
  if (outcome === 'closed') throw stagePaidAlready(lead.leadId, planned.stage);
  return record;
}

function stageApprovedAlready(leadId: string, record: StageRecord): ConflictError {
  return new ConflictError('stage_already_approved', {
    zh: `线索 ${leadId} 第 ${record.stage} 期已由 ${record.approvedBy.userId} 批准。`,
    en: `Stage ${record.stage} of lead ${leadId} is already approved by ${record.approvedBy.userId}.`,
  });
}

function stagePaidAlready(leadId: string, stage: number, reference?: string): ConflictError {
  const ref = reference === undefined ? '' : `（${reference}）`;
  return new ConflictError('stage_already_paid', {
    zh: `线索 ${leadId} 第 ${stage} 期已标记为已支付${ref}。`,
    en: `Stage ${stage} of lead ${leadId} is already marked paid${reference === undefined ? '' : ` (${reference})`}.`,
  });
}

/** A repeat of a payment already made with the same Idempotency-Key: its answer, or 409 if the body differs. */
function replayOf(
  record: StageRecord,
  key: string | undefined,
  reference: string,
): { record: StageRecord; replayed: true } | undefined {
  if (key === undefined || record.payment === null || record.payment.idempotencyKey !== key) return undefined;
  if (record.payment.reference !== reference) {
    throw new ConflictError('idempotency_key_reused', {
      zh: `幂等键 ${key} 已用于第 ${record.stage} 期的另一笔支付（${record.payment.reference}）。`,
      en: `Idempotency-Key ${key} was used for another payment of stage ${record.stage} (${record.payment.reference}).`,
    });
  }
  return { record, replayed: true };
}

export async function payStage(
  deps: StageDeps,
  command: {
    principal: Principal;
    leadId: string;
    stage: number;
    reference: string;
    idempotencyKey?: string | undefined;
  },
): Promise<{ record: StageRecord; replayed: boolean }> {
  const staged = await stagedContext(deps, command.leadId, command.stage);
  const { context, review, decision, plan, planned } = staged;
  const { lead } = context;
  const records = await deps.stages.stages(lead.leadId);
  const record = records.find((r) => r.stage === planned.stage);
  if (record?.state === 'PAID') {
    const replay = replayOf(record, command.idempotencyKey, command.reference);
    if (replay !== undefined) return replay;
    throw stagePaidAlready(lead.leadId, planned.stage, record.payment?.reference);
  }
  if (record === undefined) {
    throw new ConflictError(
      'stage_not_approved',
      {
        zh: `线索 ${lead.leadId} 第 ${planned.stage} 期尚未批准：POST /leads/${lead.leadId}/stages/${planned.stage}/approval。`,
        en: `Stage ${planned.stage} of lead ${lead.leadId} is not approved: POST /leads/${lead.leadId}/stages/${planned.stage}/approval.`,
      },
      ['stageApproval'],
    );
  }
  // Whoever approved the reward (any tier) or this stage may not pay it.
  const approvers = [
    ...(await deps.signOffs.signOffs(lead.leadId))
      .filter((signOff) => signOff.revision === review.revision)
      .map((signOff) => signOff.signedBy.userId),
    record.approvedBy.userId,
  ];
  const makerChecker = makerCheckerRefusal('mark_paid', command.principal.userId, {
    lead,
    revision: decision,
    caseOutcome: context.caseOutcome,
    review,
    approvers,
  });
  if (makerChecker !== undefined) throw new ForbiddenError(makerChecker, 'maker_checker');
  const previous = planned.stage > 1 ? records.find((r) => r.stage === planned.stage - 1) : undefined;
  if (planned.stage > 1 && previous?.state !== 'PAID') throw previousUnpaid(lead.leadId, planned.stage);
  const now = deps.clock.now();
  const at = now.toISOString();
  const notice = await deps.notices.notice(lead.leadId);
  await refuseUntilNoticeClear(deps.notices, notice, now);
  const evidence = await deps.evidence.evidence(lead.leadId);
  const judged = judgeCondition(planned.condition, await factsOf(deps, decision, evidence));
  if (!judged.met) throw conditionNotMet(lead.leadId, planned.stage, judged);

  const paidBy = { userId: command.principal.userId, role: 'finance' };
  // Offsets of the introducer's earlier clawbacks (issue 17, part 6) come off this stage's payment.
  const offsets = await offsetsForPayment(deps, lead, {
    amountFen: record.amountFen,
    stage: planned.stage,
    at,
  });
  const deductions = offsets.deductions.length === 0 ? {} : { deductions: [...offsets.deductions] };
  const settlements = offsets.settlements.length === 0 ? {} : { offsets: offsets.settlements };
  const paid: StageRecord = {
    ...record,
    state: 'PAID',
    payment: {
      reference: command.reference,
      paidBy,
      paidAt: at,
      idempotencyKey: command.idempotencyKey ?? null,
      ...deductions,
    },
  };
  const before = review.paidFen ?? 0;
  const after = before + record.amountFen;
  const final = planned.stage === plan.length;
  const outcome = await deps.stages.payStage(
    {
      paid,
      ...(planned.stage > 1 ? { previousStage: planned.stage - 1 } : {}),
      noticeClear: notice !== undefined,
      ...(final
        ? {
            final: {
              leadId: lead.leadId,
              revision: lead.latestRevision,
              fromStatus: 'APPROVED',
              toStatus: 'PAID',
              at,
              review: {
                before: review,
                after: {
                  ...review,
                  state: 'PAID',
                  payment: { reference: command.reference, paidBy, paidAt: at, ...deductions },
                  paidFen: after,
                },
              },
              ...settlements,
            },
          }
        : { paidSoFar: { review, before, after }, ...settlements }),
    },
    stageAudit(at, paidBy, 'reward.stage_paid', staged, {
      reference: command.reference,
      paidFen: after,
      final,
      ...(final ? { from: 'APPROVED', to: 'PAID' } : {}),
      noticeId: notice?.noticeId ?? null,
      objectionDeadline: notice?.objectionDeadline ?? null,
      idempotencyKey: command.idempotencyKey ?? null,
      deductedFen: offsets.deductedFen,
      netPaidFen: record.amountFen - offsets.deductedFen,
      offsetClawbacks: offsets.deductions.map((d) => `${d.clawbackId}@${d.fromLeadId}`).join(',') || null,
    }),
  );
  if (outcome === 'conflict') {
    // Paid meanwhile (a retry of this very request answers it), an objection recorded meanwhile, or the
    // stage before no longer paid: say which.
    const now2 = (await deps.stages.stages(lead.leadId)).find((r) => r.stage === planned.stage);
    if (now2?.state === 'PAID') {
      const replay = replayOf(now2, command.idempotencyKey, command.reference);
      if (replay !== undefined) return replay;
      throw stagePaidAlready(lead.leadId, planned.stage, now2.payment?.reference);
    }
    await refuseUntilNoticeClear(deps.notices, notice, now);
    throw new ConflictError('concurrent_change', {
      zh: `记录期间线索 ${lead.leadId} 的支付记录已发生变化；请重新查看后再试。`,
      en: `The payment records of lead ${lead.leadId} changed while this was being recorded; look again and retry.`,
    });
  }
  await afterOffsets(deps, offsets);
  return { record: paid, replayed: false };
}

function previousUnpaid(leadId: string, stage: number): ConflictError {
  return new ConflictError(
    'previous_stage_unpaid',
    {
      zh: `线索 ${leadId} 第 ${stage - 1} 期尚未支付：各期按顺序支付。`,
      en: `Stage ${stage - 1} of lead ${leadId} is not paid yet: stages are paid in order.`,
    },
    [`stage${stage - 1}Paid`],
  );
}
