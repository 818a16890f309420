/**
 * Clawback (追回, issue 17 part 6): finance proposes recovering a reward already paid, another member of
 * finance approves it (the reversal: an entry of its own, never an edit of the payment), and the money comes
 * back to the conversion fund: a `refund` when finance records it received, an `offset` as the same
 * introducer's next reward payments are reduced by it. The rules are `shared/domain/clawback.ts`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '#shared/auth/principal.ts';
import {
  claimableFen,
  deciderRefusal,
  introducerIdentity,
  paidSoFarFen,
  planOffsetDeductions,
  proposalRefusal,
  recoverySummary,
  refundRecorderRefusal,
  totalsAfter,
} from '#shared/domain/clawback.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { ClawbackStore, OffsetSettlement } from '#shared/ports/clawbacks.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { DiscretionaryRewardStore } from '#shared/ports/discretionary-rewards.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { ReviewStore } from '#shared/ports/reviews.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';
import type {
  ClawbackMethod,
  ClawbackRecord,
  ClawbacksView,
  PaymentDeduction,
  RecoveryTotals,
} from '#shared/schemas/clawback.ts';
import type { ReviewRecord } from '#shared/schemas/fund.ts';
import type { Introducer, Lead } from '#shared/schemas/lead.ts';
import type { LeadRecord } from '#shared/schemas/lead-record.ts';
import { type FundDeps, reportAvailability, serveWaitlist } from './allocate-fund.ts';

export interface ClawbackDeps extends FundDeps {
  readonly leads: Pick<LeadStore, 'get' | 'decisions'>;
  readonly reviews: Pick<ReviewStore, 'review'>;
  readonly clawbacks: ClawbackStore;
  /** Rewards by decision (issue 20), which a clawback may recover instead of the referral reward. */
  readonly discretionary: Pick<DiscretionaryRewardStore, 'rewards'>;
  /** The keyed pseudonym of an introducer: an offset follows the introducer, never its identifier. */
  readonly identifierKeys: IdentifierKeys;
  readonly clock: Clock;
}

/** Proposals racing on one lead: each re-reads the totals and tries again, a few times. */
const MAX_ATTEMPTS = 5;

async function paidLead(deps: ClawbackDeps, leadId: string) {
  const lead = await deps.leads.get(leadId);
  if (lead === undefined) {
    throw new NotFoundError({ zh: `线索 ${leadId} 不存在。`, en: `Lead ${leadId} does not exist.` });
  }
  const review = await deps.reviews.review(leadId);
  return { lead, review, paidFen: review === undefined ? 0 : paidSoFarFen(review) };
}

/**
 * What a clawback recovers: the lead's referral reward (paid to its introducer), or one of its rewards by
 * decision (issue 20, paid to its recipient): what was paid of it, and who an offset follows.
 */
async function targetOf(
  deps: ClawbackDeps,
  lead: LeadRecord,
  review: ReviewRecord | undefined,
  rewardId: string | null,
): Promise<{ paidFen: number; revision: number; introducer: Introducer; rewardId?: string }> {
  if (rewardId === null) {
    return {
      paidFen: review === undefined ? 0 : paidSoFarFen(review),
      revision: review?.revision ?? lead.latestRevision,
      introducer: lead.lead.introducer,
    };
  }
  const reward = (await deps.discretionary.rewards(lead.leadId)).find((r) => r.rewardId === rewardId);
  if (reward === undefined) {
    throw new NotFoundError({
      zh: `线索 ${lead.leadId} 没有重奖 ${rewardId}。`,
      en: `Lead ${lead.leadId} has no reward by decision ${rewardId}.`,
    });
  }
  return {
    paidFen: reward.state === 'PAID' ? reward.amountFen : 0,
    revision: lead.latestRevision,
    introducer: reward.recipient as Introducer,
    rewardId,
  };
}

export async function clawbacksOf(deps: ClawbackDeps, leadId: string): Promise<ClawbacksView> {
  const { paidFen } = await paidLead(deps, leadId);
  const [totals, clawbacks] = await Promise.all([
    deps.clawbacks.totals(leadId),
    deps.clawbacks.clawbacks(leadId),
  ]);
  return {
    leadId,
    summary: recoverySummary(paidFen, totals, clawbacks),
    claimableFen: claimableFen(paidFen, totals),
    clawbacks,
  };
}

function audit(
  at: string,
  principal: Principal,
  action: string,
  record: ClawbackRecord,
  details: AuditEntryDraft['details'],
): AuditEntryDraft {
  return {
    at,
    actor: { userId: principal.userId, role: 'finance' },
    action,
    subject: record.leadId,
    inputHash: null,
    policyVersion: null,
    details: {
      clawbackId: record.clawbackId,
      revision: record.revision,
      amountFen: record.amountFen,
      method: record.method,
      fundId: record.fundId,
      ...details,
    },
  };
}

/** A reward by decision's totals before its first clawback: keyed apart from the referral reward's. */
function emptyTotals(leadId: string, rewardId: string): RecoveryTotals {
  return { leadId, rewardId, claimedFen: 0, clawedBackFen: 0, version: 0 };
}

async function introducerKeyOf(deps: Pick<ClawbackDeps, 'identifierKeys'>, lead: Lead) {
  const identity = introducerIdentity(lead.introducer);
  if (identity === undefined) return undefined;
  const keyring = await deps.identifierKeys.keyring();
  return keyring.current.mac(`introducer\n${identity}`);
}

export async function proposeClawback(
  deps: ClawbackDeps,
  command: {
    principal: Principal;
    leadId: string;
    amountFen: number;
    reason: string;
    method: ClawbackMethod;
    idempotencyKey?: string | undefined;
    discretionaryRewardId?: string | undefined;
  },
): Promise<{ record: ClawbackRecord; replayed: boolean }> {
  const { lead, review } = await paidLead(deps, command.leadId);
  const target = await targetOf(deps, lead, review, command.discretionaryRewardId ?? null);
  const { paidFen } = target;
  if (command.method === 'offset' && introducerIdentity(target.introducer) === undefined) {
    throw new ConflictError(
      'offset_not_possible',
      {
        zh: `线索 ${lead.leadId} 的引荐人没有身份证号或统一社会信用代码，无法从其以后的奖励中抵扣：请选择退款（refund）。`,
        en: `The introducer of lead ${lead.leadId} has no resident ID or credit code to follow to a later reward: choose refund.`,
      },
      ['introducerIdentifier'],
    );
  }
  const clawbackId = clawbackIdFor(command.principal, lead.leadId, command.idempotencyKey);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const replay = await replayOf(deps, lead.leadId, clawbackId, command);
    if (replay !== undefined) return { record: replay, replayed: true };
    const totals = await deps.clawbacks.totals(lead.leadId, target.rewardId);
    const refusal = proposalRefusal(lead.leadId, paidFen, totals, command.amountFen);
    if (refusal !== undefined) throw new ConflictError(refusal.code, refusal.message, ['claimableAmount']);
    const decision = (await deps.leads.decisions(lead.leadId)).find((d) => d.revision === target.revision);
    const at = deps.clock.now().toISOString();
    const record: ClawbackRecord = {
      clawbackId,
      leadId: lead.leadId,
      revision: target.revision,
      fundId: decision?.decision.fund.fundId ?? '',
      amountFen: command.amountFen,
      reason: command.reason,
      method: command.method,
      state: 'PROPOSED',
      proposedBy: { userId: command.principal.userId, role: 'finance' },
      proposedAt: at,
      decision: null,
      receivedFen: 0,
      refund: null,
      deductions: [],
      idempotencyKey: command.idempotencyKey ?? null,
      discretionaryRewardId: target.rewardId ?? null,
    };
    const outcome = await deps.clawbacks.propose(
      record,
      {
        before: totals,
        after: totalsAfter(
          lead.leadId,
          totals ?? (target.rewardId === undefined ? undefined : emptyTotals(lead.leadId, target.rewardId)),
          'propose',
          command.amountFen,
        ),
      },
      audit(at, command.principal, 'reward.clawback_proposed', record, {
        reason: command.reason,
        paidFen,
        claimedBeforeFen: totals?.claimedFen ?? 0,
      }),
    );
    if (outcome === 'proposed') return { record, replayed: false };
  }
  throw new ConflictError('clawback_conflict', {
    zh: `线索 ${lead.leadId} 的追回记录正被同时修改，请稍后重试。`,
    en: `The clawbacks of lead ${lead.leadId} are being changed at the same time; retry shortly.`,
  });
}

/** A key's clawback has an id of its own (per proposer and lead), so a retry can never make a second one. */
function clawbackIdFor(principal: Principal, leadId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return `cb_${randomBytes(12).toString('hex')}`;
  const hash = createHash('sha256').update(`${principal.userId}\n${leadId}\n${idempotencyKey}`).digest('hex');
  return `cb_${hash.slice(0, 24)}`;
}

/** The clawback a retry with the same Idempotency-Key made already; 409 when the body differs. */
async function replayOf(
  deps: ClawbackDeps,
  leadId: string,
  clawbackId: string,
  command: { amountFen: number; reason: string; method: ClawbackMethod; idempotencyKey?: string | undefined },
): Promise<ClawbackRecord | undefined> {
  if (command.idempotencyKey === undefined) return undefined;
  const existing = (await deps.clawbacks.clawbacks(leadId)).find((c) => c.clawbackId === clawbackId);
  if (existing === undefined) return undefined;
  const same =
    existing.amountFen === command.amountFen &&
    existing.reason === command.reason &&
    existing.method === command.method;
  if (!same) {
    throw new ConflictError('idempotency_key_reused', {
      zh: `幂等键 ${command.idempotencyKey} 已用于另一笔追回申请（${existing.clawbackId}）。`,
      en: `Idempotency-Key ${command.idempotencyKey} was used for another clawback (${existing.clawbackId}).`,
    });
  }
  return existing;
}

async function proposedClawback(deps: ClawbackDeps, leadId: string, clawbackId: string) {
  const record = (await deps.clawbacks.clawbacks(leadId)).find((c) => c.clawbackId === clawbackId);
  if (record === undefined) {
    throw new NotFoundError({
      zh: `线索 ${leadId} 没有追回记录 ${clawbackId}。`,
      en: `Lead ${leadId} has no clawback ${clawbackId}.`,
    });
  }
  return record;
}

function decidedAlready(record: ClawbackRecord): ConflictError {
  return new ConflictError('clawback_decided', {
    zh: `追回 ${record.clawbackId} 已处理（${record.state}），不能再次审批。`,
    en: `Clawback ${record.clawbackId} is already decided (${record.state}).`,
  });
}

/** Approves (the reversal) or rejects a proposed clawback: another member of finance than the proposer. */
export async function decideClawback(
  deps: ClawbackDeps,
  command: {
    principal: Principal;
    leadId: string;
    clawbackId: string;
    outcome: 'approved' | 'rejected';
    note: string | undefined;
  },
): Promise<ClawbackRecord> {
  const { lead } = await paidLead(deps, command.leadId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const before = await proposedClawback(deps, lead.leadId, command.clawbackId);
    const refusal = deciderRefusal(command.principal.userId, before);
    if (refusal !== undefined) throw new ForbiddenError(refusal, 'maker_checker');
    if (before.state !== 'PROPOSED') throw decidedAlready(before);
    const at = deps.clock.now().toISOString();
    const approved = command.outcome === 'approved';
    const after: ClawbackRecord = {
      ...before,
      state: approved ? 'APPROVED' : 'REJECTED',
      decision: {
        outcome: command.outcome,
        by: { userId: command.principal.userId, role: 'finance' },
        at,
        note: command.note ?? null,
      },
    };
    const rewardId = before.discretionaryRewardId ?? undefined;
    const totals = await deps.clawbacks.totals(lead.leadId, rewardId);
    const change = approved ? 'approve' : 'reject';
    const target = await targetOf(deps, lead, undefined, before.discretionaryRewardId);
    const introducerKey =
      approved && before.method === 'offset'
        ? await introducerKeyOf(deps, { ...lead.lead, introducer: target.introducer })
        : undefined;
    const outcome = await deps.clawbacks.decide(
      { before, after },
      { before: totals, after: totalsAfter(lead.leadId, totals, change, before.amountFen) },
      introducerKey === undefined
        ? undefined
        : {
            introducerKey,
            offset: {
              clawbackId: before.clawbackId,
              leadId: lead.leadId,
              fundId: before.fundId,
              remainingFen: before.amountFen,
              approvedAt: at,
            },
          },
      audit(
        at,
        command.principal,
        approved ? 'reward.clawback_approved' : 'reward.clawback_rejected',
        after,
        {
          proposedBy: before.proposedBy.userId,
          note: command.note ?? null,
          // The reversal: what the lead's paid reward is reduced by, as its own entry.
          reversalFen: approved ? -before.amountFen : 0,
          clawedBackAfterFen: approved
            ? (totals?.clawedBackFen ?? 0) + before.amountFen
            : (totals?.clawedBackFen ?? 0),
        },
      ),
    );
    if (outcome === 'decided') return after;
  }
  throw decidedAlready(await proposedClawback(deps, lead.leadId, command.clawbackId));
}

/**
 * A refund received: the clawback recovered and its money back in the fund, in one transaction. Recorded by
 * a member of finance who neither proposed nor approved it (as a payment is), since it raises the fund.
 */
export async function recordRefundReceived(
  deps: ClawbackDeps,
  command: {
    principal: Principal;
    leadId: string;
    clawbackId: string;
    reference: string;
    receivedOn: string;
  },
): Promise<{ record: ClawbackRecord; replayed: boolean }> {
  const { lead } = await paidLead(deps, command.leadId);
  const before = await proposedClawback(deps, lead.leadId, command.clawbackId);
  // Before the replay: the proposer or approver is refused even with the reference already recorded.
  const refusal = refundRecorderRefusal(command.principal.userId, before);
  if (refusal !== undefined) throw new ForbiddenError(refusal, 'maker_checker');
  if (before.method !== 'refund') {
    throw new ConflictError('not_a_refund', {
      zh: `追回 ${before.clawbackId} 以抵扣方式追回，在同一引荐人以后的奖励支付时自动抵扣，不登记退款。`,
      en: `Clawback ${before.clawbackId} is an offset: it is deducted from the introducer's later payments, not refunded.`,
    });
  }
  if (before.state === 'RECOVERED' && before.refund?.reference === command.reference) {
    return { record: before, replayed: true };
  }
  if (before.state !== 'APPROVED') {
    throw new ConflictError(
      before.state === 'RECOVERED' ? 'already_recovered' : 'clawback_not_approved',
      before.state === 'RECOVERED'
        ? {
            zh: `追回 ${before.clawbackId} 的退款已登记（${before.refund?.reference ?? ''}）。`,
            en: `The refund of clawback ${before.clawbackId} is already recorded (${before.refund?.reference ?? ''}).`,
          }
        : {
            zh: `追回 ${before.clawbackId} 尚未批准（${before.state}），不能登记退款。`,
            en: `Clawback ${before.clawbackId} is not approved (${before.state}): no refund can be recorded.`,
          },
    );
  }
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  if (command.receivedOn > today || command.receivedOn < shanghaiDateOf(new Date(before.proposedAt))) {
    throw new ValidationError([
      {
        field: 'receivedOn',
        message: {
          zh: `须在追回提出之日（${shanghaiDateOf(new Date(before.proposedAt))}）与今天（${today}）之间`,
          en: `must be between the day the clawback was proposed (${shanghaiDateOf(new Date(before.proposedAt))}) and today (${today})`,
        },
      },
    ]);
  }
  if ((await deps.funds.balance(before.fundId)) === undefined) {
    throw new ConflictError('fund_not_open', {
      zh: `基金 ${before.fundId} 尚未设立，退款无处退回。`,
      en: `Fund ${before.fundId} is not open: the refund has nowhere to return to.`,
    });
  }
  const at = now.toISOString();
  const actor = { userId: command.principal.userId, role: 'finance' };
  const after: ClawbackRecord = {
    ...before,
    state: 'RECOVERED',
    receivedFen: before.amountFen,
    refund: {
      reference: command.reference,
      receivedOn: command.receivedOn,
      recordedBy: actor,
      recordedAt: at,
    },
  };
  const outcome = await deps.clawbacks.receiveRefund(
    { before, after },
    audit(at, command.principal, 'reward.clawback_refund_received', after, {
      reference: command.reference,
      receivedOn: command.receivedOn,
      returnedToFundFen: before.amountFen,
    }),
  );
  if (outcome === 'conflict') {
    const now = await proposedClawback(deps, lead.leadId, command.clawbackId);
    if (now.state === 'RECOVERED' && now.refund?.reference === command.reference)
      return { record: now, replayed: true };
    throw new ConflictError('already_recovered', {
      zh: `追回 ${before.clawbackId} 的退款刚刚已被登记。`,
      en: `The refund of clawback ${before.clawbackId} was recorded meanwhile.`,
    });
  }
  await serveWaitlist(deps, before.fundId);
  await reportAvailability(deps, before.fundId);
  return { record: after, replayed: false };
}

/** What a payment deducts for the introducer's open offsets: the transaction's part and the payment's record. */
export interface PaymentOffsets {
  readonly settlements: readonly OffsetSettlement[];
  readonly deductions: readonly PaymentDeduction[];
  readonly deductedFen: number;
  /** The funds the money returned to (their waitlists are served after the payment). */
  readonly fundIds: readonly string[];
}

export const NO_OFFSETS: PaymentOffsets = { settlements: [], deductions: [], deductedFen: 0, fundIds: [] };

/**
 * The introducer's open offsets a payment of `paymentFen` (a reward, or a stage of one) deducts, oldest
 * first. The settlements go into the payment's own transaction under conditions on what was read, so a
 * deduction is made once however many payments race for it.
 */
export async function offsetsForPayment(
  deps: {
    readonly clawbacks: Pick<ClawbackStore, 'openOffsets' | 'clawbacks'>;
    readonly identifierKeys: IdentifierKeys;
  },
  lead: LeadRecord,
  payment: { readonly amountFen: number; readonly stage: number | null; readonly at: string },
): Promise<PaymentOffsets> {
  const introducerKey = await introducerKeyOf(deps, lead.lead);
  if (introducerKey === undefined || payment.amountFen === 0) return NO_OFFSETS;
  const plans = planOffsetDeductions(payment.amountFen, await deps.clawbacks.openOffsets(introducerKey));
  const settlements: OffsetSettlement[] = [];
  for (const plan of plans) {
    const before = (await deps.clawbacks.clawbacks(plan.offset.leadId)).find(
      (c) => c.clawbackId === plan.offset.clawbackId,
    );
    if (before === undefined || before.state !== 'APPROVED') continue;
    const receivedFen = before.receivedFen + plan.amountFen;
    const after: ClawbackRecord = {
      ...before,
      receivedFen,
      state: receivedFen === before.amountFen ? 'RECOVERED' : 'APPROVED',
      deductions: [
        ...before.deductions,
        { leadId: lead.leadId, stage: payment.stage, amountFen: plan.amountFen, at: payment.at },
      ],
    };
    settlements.push({
      introducerKey,
      offset: plan.offset,
      amountFen: plan.amountFen,
      clawback: { before, after },
    });
  }
  const deductions = settlements.map((s) => ({
    clawbackId: s.offset.clawbackId,
    fromLeadId: s.offset.leadId,
    amountFen: s.amountFen,
  }));
  return {
    settlements,
    deductions,
    deductedFen: deductions.reduce((sum, d) => sum + d.amountFen, 0),
    fundIds: [...new Set(settlements.map((s) => s.offset.fundId))],
  };
}

/** After a payment that deducted offsets: the money is in the fund; serve whoever waits for it. */
export async function afterOffsets(deps: FundDeps, offsets: PaymentOffsets): Promise<void> {
  for (const fundId of offsets.fundIds) {
    await serveWaitlist(deps, fundId);
    await reportAvailability(deps, fundId);
  }
}
