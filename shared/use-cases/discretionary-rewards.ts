/**
 * Rewards by decision (重奖, issue 20) on the payout path of every reward: finance proposes one resting on a
 * collective decision and a legal basis; the approval tiers sign it (every approver distinct, none the
 * proposer); the last sign-off approves it and opens its own 公示; it is paid once by someone who neither
 * proposed nor signed it, after the notice ended clean; a clawback reverses it. The rules are pure in
 * `shared/domain/discretionary-reward.ts`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '#shared/auth/principal.ts';
import {
  type DiscretionaryRefusal,
  discretionaryView,
  missingSignOffs,
  proposalRefusal,
  requiredSignOffs,
  signOffSlot,
} from '#shared/domain/discretionary-reward.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import { noticeIdOf, noticePeriod, noticeYears, publicIntroducerName } from '#shared/domain/public-notice.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import {
  approvalSettingsOf,
  discretionarySettingsOf,
  noticeWorkingDaysOf,
} from '#shared/policy/payout-settings.ts';
import type { ClawbackStore } from '#shared/ports/clawbacks.ts';
import type { DiscretionaryRewardStore } from '#shared/ports/discretionary-rewards.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { NoticeStore } from '#shared/ports/notices.ts';
import type { PolicyStore } from '#shared/ports/policies.ts';
import type { ProjectReference } from '#shared/ports/projects.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type {
  DiscretionaryRewardBody,
  DiscretionaryRewardRecord,
  DiscretionaryRewardView,
  DiscretionaryTotals,
} from '#shared/schemas/discretionary-reward.ts';
import type { Introducer } from '#shared/schemas/lead.ts';
import type { LeadRecord } from '#shared/schemas/lead-record.ts';
import type { NoticeRecord } from '#shared/schemas/notice.ts';
import { type FundDeps, reportAvailability } from './allocate-fund.ts';
import { afterOffsets, offsetsForPayment } from './clawback.ts';
import { withProjectNames } from './discretionary-project-names.ts';
import { calendarOf, settingsOf } from './projects/project-context.ts';
import { payoutSettingsFor, refuseUntilNoticeClear } from './review-reward.ts';

export interface DiscretionaryDeps extends FundDeps {
  readonly leads: Pick<LeadStore, 'get' | 'decisions'>;
  readonly policies: Pick<PolicyStore, 'all'>;
  readonly discretionary: DiscretionaryRewardStore;
  readonly notices: Pick<NoticeStore, 'notice' | 'objections'>;
  readonly calendar: Pick<ProjectReference, 'calendar' | 'settings'>;
  readonly clawbacks: Pick<ClawbackStore, 'openOffsets' | 'clawbacks'>;
  readonly identifierKeys: IdentifierKeys;
}

const MAX_ATTEMPTS = 5;

function refuse(refusal: DiscretionaryRefusal): never {
  if (refusal.forbidden === true) throw new ForbiddenError(refusal.message, refusal.code);
  throw new ConflictError(refusal.code, refusal.message, refusal.missing);
}

async function leadOf(deps: DiscretionaryDeps, leadId: string): Promise<LeadRecord> {
  const lead = await deps.leads.get(leadId);
  if (lead === undefined) {
    throw new NotFoundError({ zh: `线索 ${leadId} 不存在。`, en: `Lead ${leadId} does not exist.` });
  }
  return lead;
}

async function latestDecision(deps: DiscretionaryDeps, lead: LeadRecord) {
  const decision = (await deps.leads.decisions(lead.leadId)).find((d) => d.revision === lead.latestRevision);
  if (decision === undefined) {
    throw new ConflictError('not_evaluated', {
      zh: `线索 ${lead.leadId} 尚未完成评估。`,
      en: `Lead ${lead.leadId} has not been evaluated yet.`,
    });
  }
  return decision;
}

/** The introducers who earn this project's referral reward: never rewarded again by decision for it. */
async function referralRecipients(deps: DiscretionaryDeps, lead: LeadRecord): Promise<Introducer[]> {
  const earning: Introducer[] = [];
  for (const id of [lead.leadId, lead.duplicateOf].filter((x): x is string => x !== null)) {
    const other = id === lead.leadId ? lead : await deps.leads.get(id);
    if (other === undefined) continue;
    const decision = (await deps.leads.decisions(id)).find((d) => d.revision === other.latestRevision);
    if ((decision?.payableRewardFen ?? 0) > 0) earning.push(other.lead.introducer);
  }
  return earning;
}

const counter = (before: DiscretionaryTotals | undefined, deltaFen: number): DiscretionaryTotals => ({
  claimedFen: (before?.claimedFen ?? 0) + deltaFen,
  version: (before?.version ?? 0) + 1,
});

function rewardIdFor(principal: Principal, leadId: string, key: string | undefined): string {
  if (key === undefined) return `dr_${randomBytes(12).toString('hex')}`;
  return `dr_${createHash('sha256').update(`${principal.userId}\n${leadId}\n${key}`).digest('hex').slice(0, 24)}`;
}

function audit(
  at: string,
  actor: { userId: string; role: string },
  action: string,
  record: DiscretionaryRewardRecord,
  details: AuditEntryDraft['details'],
): AuditEntryDraft {
  return {
    at,
    actor,
    action,
    subject: record.leadId,
    inputHash: null,
    policyVersion: record.policyVersion,
    details: {
      rewardId: record.rewardId,
      amountFen: record.amountFen,
      recipientType: record.recipient.type,
      // The name only for an organisation; a person's is masked, an identifier never appears.
      recipientName: publicIntroducerName(record.recipient as Introducer),
      collectiveBody: record.collectiveDecision.body,
      collectiveMeetingDate: record.collectiveDecision.meetingDate,
      collectiveMinutesNumber: record.collectiveDecision.minutesNumber,
      legalBasis: `${record.legalBasis.document} ${record.legalBasis.clause}`,
      ...details,
    },
  };
}

export async function proposeDiscretionary(
  deps: DiscretionaryDeps,
  command: {
    principal: Principal;
    leadId: string;
    body: DiscretionaryRewardBody;
    idempotencyKey?: string | undefined;
  },
): Promise<{ record: DiscretionaryRewardView; replayed: boolean }> {
  const lead = await leadOf(deps, command.leadId);
  const decision = await latestDecision(deps, lead);
  const payout = await payoutSettingsFor(deps, decision);
  const settings = discretionarySettingsOf(payout);
  const rewardId = rewardIdFor(command.principal, lead.leadId, command.idempotencyKey);
  const { body } = command;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const existing = (await deps.discretionary.rewards(lead.leadId)).find((r) => r.rewardId === rewardId);
    if (existing !== undefined) {
      if (existing.amountFen !== body.amount || existing.reason !== body.reason) {
        throw new ConflictError('idempotency_key_reused', {
          zh: `幂等键 ${command.idempotencyKey ?? ''} 已用于另一笔重奖（${existing.rewardId}）。`,
          en: `Idempotency-Key ${command.idempotencyKey ?? ''} was used for another reward (${existing.rewardId}).`,
        });
      }
      return { record: discretionaryView(existing, undefined, lead.lead.projectName), replayed: true };
    }
    const now = deps.clock.now();
    const year = Number(shanghaiDateOf(now).slice(0, 4));
    const [leadTotals, yearTotals] = await Promise.all([
      deps.discretionary.leadTotals(lead.leadId),
      deps.discretionary.yearTotals(year),
    ]);
    const refusal = proposalRefusal({
      settings,
      proposerRoles: command.principal.roles,
      amountFen: body.amount,
      recipient: body.recipient,
      hasCollectiveDecision: body.collectiveDecision !== undefined,
      hasLegalBasis: body.legalBasis !== undefined,
      leadClaimedFen: leadTotals?.claimedFen ?? 0,
      yearClaimedFen: yearTotals?.claimedFen ?? 0,
      referralRecipients: await referralRecipients(deps, lead),
    });
    if (refusal !== undefined) refuse(refusal);
    const at = now.toISOString();
    const proposer = command.principal.roles.find((role) =>
      (settings.proposers as readonly string[]).includes(role),
    );
    const record: DiscretionaryRewardRecord = {
      rewardId,
      leadId: lead.leadId,
      projectName: lead.lead.projectName,
      recipient: body.recipient,
      amountFen: body.amount,
      reason: body.reason,
      // Both present: the refusal above names either when absent.
      collectiveDecision: body.collectiveDecision as NonNullable<typeof body.collectiveDecision>,
      legalBasis: body.legalBasis as NonNullable<typeof body.legalBasis>,
      policyVersion: decision.policyVersion,
      year,
      state: 'PROPOSED',
      proposedBy: { userId: command.principal.userId, role: proposer ?? 'finance' },
      proposedAt: at,
      required: requiredSignOffs(approvalSettingsOf(payout), body.amount),
      signOffs: [],
      decidedAt: null,
      rejection: null,
      fundId: settings.drawsOnFund ? decision.decision.fund.fundId : null,
      noticeId: null,
      payment: null,
      idempotencyKey: command.idempotencyKey ?? null,
      version: 0,
    };
    const outcome = await deps.discretionary.propose(
      record,
      {
        lead: { before: leadTotals, after: counter(leadTotals, body.amount) },
        year: { before: yearTotals, after: counter(yearTotals, body.amount) },
      },
      audit(at, record.proposedBy, 'reward.discretionary_proposed', record, {
        reason: body.reason,
        required: record.required.join(','),
        drawsOnFund: settings.drawsOnFund,
      }),
    );
    if (outcome === 'proposed') return { record: discretionaryView(record, undefined), replayed: false };
  }
  throw new ConflictError('concurrent_change', {
    zh: `线索 ${lead.leadId} 的重奖记录正被同时修改，请稍后重试。`,
    en: `The rewards by decision of lead ${lead.leadId} are being changed at the same time; retry shortly.`,
  });
}

async function rewardOf(deps: DiscretionaryDeps, leadId: string, rewardId: string) {
  const record = (await deps.discretionary.rewards(leadId)).find((r) => r.rewardId === rewardId);
  if (record === undefined) {
    throw new NotFoundError({
      zh: `线索 ${leadId} 没有重奖 ${rewardId}。`,
      en: `Lead ${leadId} has no reward by decision ${rewardId}.`,
    });
  }
  return record;
}

function notProposed(record: DiscretionaryRewardRecord): ConflictError {
  return new ConflictError('discretionary_decided', {
    zh: `重奖 ${record.rewardId} 已处理（${record.state}）。`,
    en: `Reward ${record.rewardId} is already decided (${record.state}).`,
  });
}

/** The notice the approval opens (none when the policy's notice is 0 working days). */
async function noticeToOpen(
  deps: DiscretionaryDeps,
  lead: LeadRecord,
  record: DiscretionaryRewardRecord,
  workingDays: number,
  at: string,
): Promise<NoticeRecord | undefined> {
  if (workingDays === 0) return undefined;
  const approvedAt = new Date(at);
  const settings = await settingsOf(deps.calendar);
  const calendar = await calendarOf(deps.calendar, settings, noticeYears(shanghaiDateOf(approvedAt)));
  return {
    noticeId: noticeIdOf(lead.leadId, record.rewardId),
    leadId: lead.leadId,
    revision: lead.latestRevision,
    openedAt: at,
    ...noticePeriod(approvedAt, workingDays, calendar),
    workingDays,
    content: {
      projectName: lead.lead.projectName,
      investorName: lead.lead.investor.name,
      introducerName: publicIntroducerName(record.recipient as Introducer),
      rewardFen: record.amountFen,
      fundFen: 0,
      legalBasis: [{ document: record.legalBasis.document, clauses: [record.legalBasis.clause] }],
    },
    openObjections: 0,
    upheldObjections: 0,
  };
}

/** A sign-off; the one that completes the tiers approves the reward and opens its notice. */
export async function signOffDiscretionary(
  deps: DiscretionaryDeps,
  command: { principal: Principal; leadId: string; rewardId: string; note?: string | undefined },
): Promise<DiscretionaryRewardView> {
  const lead = await leadOf(deps, command.leadId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const before = await rewardOf(deps, lead.leadId, command.rewardId);
    if (before.state !== 'PROPOSED') throw notProposed(before);
    const slot = signOffSlot(before, command.principal.userId, command.principal.roles);
    if ('code' in slot) refuse(slot);
    const at = deps.clock.now().toISOString();
    const by = {
      userId: command.principal.userId,
      role: slot.slot === 'financeHead' ? 'finance-head' : 'finance',
    };
    const signed = {
      ...before,
      signOffs: [...before.signOffs, { slot: slot.slot, by, at, note: command.note ?? null }],
      version: before.version + 1,
    };
    const complete = missingSignOffs(signed).length === 0;
    const decision = (await deps.leads.decisions(lead.leadId)).find(
      (d) => d.policyVersion === before.policyVersion,
    );
    const payout = decision === undefined ? undefined : await payoutSettingsFor(deps, decision);
    const notice =
      complete && payout !== undefined
        ? await noticeToOpen(deps, lead, before, noticeWorkingDaysOf(payout), at)
        : undefined;
    const after: DiscretionaryRewardRecord = complete
      ? { ...signed, state: 'APPROVED', decidedAt: at, noticeId: notice?.noticeId ?? null }
      : signed;
    if (complete && after.fundId !== null) {
      const balance = await deps.funds.balance(after.fundId);
      if (balance === undefined || balance.availableFen < after.amountFen) {
        throw new ConflictError('fund_insufficient', {
          zh: `基金 ${after.fundId} 的可用余额不足以支付此重奖。`,
          en: `Fund ${after.fundId} has not enough available for this reward.`,
        });
      }
    }
    const outcome = await deps.discretionary.signOff(
      { before, after },
      {
        ...(notice === undefined ? {} : { notice }),
        ...(complete && after.fundId !== null
          ? { spend: { fundId: after.fundId, amountFen: after.amountFen } }
          : {}),
      },
      audit(at, by, complete ? 'reward.discretionary_approved' : 'reward.discretionary_signed_off', after, {
        slot: slot.slot,
        signedBy: after.signOffs.map((s) => `${s.slot}:${s.by.userId}`).join(','),
        missing: missingSignOffs(after).join(','),
        note: command.note ?? null,
        noticeId: notice?.noticeId ?? null,
        objectionDeadline: notice?.objectionDeadline ?? null,
        fundId: after.fundId,
      }),
    );
    if (outcome === 'signed') {
      if (complete && after.fundId !== null) await reportAvailability(deps, after.fundId);
      return discretionaryView(after, notice, lead.lead.projectName);
    }
  }
  throw notProposed(await rewardOf(deps, lead.leadId, command.rewardId));
}

export async function rejectDiscretionary(
  deps: DiscretionaryDeps,
  command: { principal: Principal; leadId: string; rewardId: string; reason: string },
): Promise<DiscretionaryRewardView> {
  const lead = await leadOf(deps, command.leadId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const before = await rewardOf(deps, lead.leadId, command.rewardId);
    if (before.state !== 'PROPOSED') throw notProposed(before);
    if (before.proposedBy.userId === command.principal.userId) {
      throw new ForbiddenError(
        { zh: '重奖由您提出，须由他人决定。', en: 'You proposed this reward: others decide it.' },
        'maker_checker',
      );
    }
    const at = deps.clock.now().toISOString();
    const by = { userId: command.principal.userId, role: 'finance' };
    const after: DiscretionaryRewardRecord = {
      ...before,
      state: 'REJECTED',
      decidedAt: at,
      rejection: { by, at, reason: command.reason },
      version: before.version + 1,
    };
    const [leadTotals, yearTotals] = await Promise.all([
      deps.discretionary.leadTotals(lead.leadId),
      deps.discretionary.yearTotals(before.year),
    ]);
    const outcome = await deps.discretionary.reject(
      { before, after },
      {
        lead: { before: leadTotals, after: counter(leadTotals, -before.amountFen) },
        year: { before: yearTotals, after: counter(yearTotals, -before.amountFen) },
      },
      audit(at, by, 'reward.discretionary_rejected', after, { reason: command.reason }),
    );
    if (outcome === 'rejected') return discretionaryView(after, undefined, lead.lead.projectName);
  }
  throw notProposed(await rewardOf(deps, lead.leadId, command.rewardId));
}

export async function payDiscretionary(
  deps: DiscretionaryDeps,
  command: { principal: Principal; leadId: string; rewardId: string; reference: string },
): Promise<DiscretionaryRewardView> {
  const lead = await leadOf(deps, command.leadId);
  const before = await rewardOf(deps, lead.leadId, command.rewardId);
  if (before.state === 'PAID') {
    throw new ConflictError('already_paid', {
      zh: `重奖 ${before.rewardId} 已支付（${before.payment?.reference ?? ''}）。`,
      en: `Reward ${before.rewardId} is already paid (${before.payment?.reference ?? ''}).`,
    });
  }
  if (before.state !== 'APPROVED') {
    throw new ConflictError('not_approved', {
      zh: `重奖 ${before.rewardId} 尚未批准（${before.state}）。`,
      en: `Reward ${before.rewardId} is not approved (${before.state}).`,
    });
  }
  const involved = [before.proposedBy.userId, ...before.signOffs.map((s) => s.by.userId)];
  if (involved.includes(command.principal.userId)) {
    throw new ForbiddenError(
      {
        zh: '提出或签批此重奖的人不能标记其支付。',
        en: 'Whoever proposed or signed this reward may not mark it paid.',
      },
      'maker_checker',
    );
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const notice = await deps.notices.notice(lead.leadId, before.rewardId);
  await refuseUntilNoticeClear(deps.notices, notice, now);
  const offsets = await offsetsForPayment(
    deps,
    { ...lead, lead: { ...lead.lead, introducer: before.recipient as Introducer } },
    { amountFen: before.amountFen, stage: null, at },
  );
  const actor = { userId: command.principal.userId, role: 'finance' };
  const after: DiscretionaryRewardRecord = {
    ...before,
    state: 'PAID',
    payment: {
      reference: command.reference,
      paidBy: actor,
      paidAt: at,
      ...(offsets.deductions.length === 0 ? {} : { deductions: [...offsets.deductions] }),
    },
    version: before.version + 1,
  };
  const outcome = await deps.discretionary.pay(
    { before, after },
    { noticeClear: notice !== undefined, offsets: offsets.settlements },
    audit(at, actor, 'reward.discretionary_paid', after, {
      reference: command.reference,
      noticeId: notice?.noticeId ?? null,
      deductedFen: offsets.deductedFen,
      netPaidFen: before.amountFen - offsets.deductedFen,
    }),
  );
  if (outcome === 'conflict') {
    await refuseUntilNoticeClear(deps.notices, notice, now);
    throw new ConflictError('concurrent_change', {
      zh: `重奖 ${before.rewardId} 刚刚已被他人处理，请重新查看。`,
      en: `Reward ${before.rewardId} changed meanwhile; look again.`,
    });
  }
  await afterOffsets(deps, offsets);
  return discretionaryView(after, notice, lead.lead.projectName);
}

async function withNotices(
  deps: DiscretionaryDeps,
  records: readonly DiscretionaryRewardRecord[],
  leadProjectName?: string,
) {
  return Promise.all(
    records.map(async (record) =>
      discretionaryView(
        record,
        record.noticeId === null ? undefined : await deps.notices.notice(record.leadId, record.rewardId),
        leadProjectName,
      ),
    ),
  );
}

export async function discretionaryOfLead(deps: DiscretionaryDeps, leadId: string) {
  const lead = await leadOf(deps, leadId);
  return {
    leadId,
    items: await withNotices(deps, await deps.discretionary.rewards(leadId), lead.lead.projectName),
  };
}

/** A year's rewards by decision with their totals, apart from the 2% rewards (issue 20). */
export async function discretionaryOfYear(deps: DiscretionaryDeps, year: number) {
  const records = await deps.discretionary.ofYear(year);
  const sum = (states: readonly string[]) =>
    records.filter((r) => states.includes(r.state)).reduce((total, r) => total + r.amountFen, 0);
  return {
    year,
    // Rewards proposed before the project name was recorded take their lead's (withProjectNames).
    items: await withNotices(deps, await withProjectNames(deps.leads, records)),
    totals: {
      proposedFen: sum(['PROPOSED']),
      approvedFen: sum(['APPROVED', 'PAID']),
      paidFen: sum(['PAID']),
      rejectedFen: sum(['REJECTED']),
      count: records.length,
    },
  };
}
