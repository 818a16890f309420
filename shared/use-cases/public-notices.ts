/**
 * Public notices (公示, issue 17 part 4): the public list (no sign-in, read only, nothing that identifies a
 * person), a lead's notice with its objections for finance, auditors and the admin, and the objections
 * the admin records and resolves. Opening a notice is the approval's own step (review-reward.ts); the pay
 * gate is in `markPaid`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Principal } from '#shared/auth/principal.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import {
  maskPersonalName,
  noticeIdOf,
  noticeRefOf,
  noticeStatus,
  resolutionOf,
} from '#shared/domain/public-notice.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { NoticeStore } from '#shared/ports/notices.ts';
import type {
  NoticeRecord,
  NoticeView,
  ObjectionBody,
  ObjectionRecord,
  PublicNotice,
  ResolutionBody,
  ResolutionRecord,
} from '#shared/schemas/notice.ts';

export interface NoticeDeps {
  readonly notices: NoticeStore;
  readonly clock: Clock;
}

/** The public list, newest first: only what the public may see (fixed, masked, at approval). */
export async function listPublicNotices(
  deps: Pick<NoticeDeps, 'notices' | 'clock'>,
  query: { readonly limit: number; readonly cursor?: string | undefined },
): Promise<{ items: PublicNotice[]; nextCursor: string | null }> {
  const { notices, nextCursor } = await deps.notices.page(query);
  const now = deps.clock.now().getTime();
  return {
    items: notices.map((notice) => ({
      noticeId: notice.noticeId,
      projectName: notice.content.projectName,
      investorName: notice.content.investorName,
      introducerName: notice.content.introducerName,
      rewardFen: notice.content.rewardFen,
      fundFen: notice.content.fundFen,
      legalBasis: notice.content.legalBasis,
      openedOn: notice.openedOn,
      objectionDeadline: notice.objectionDeadline,
      status: now < Date.parse(notice.endsAt) ? 'open' : 'ended',
    })),
    nextCursor,
  };
}

function noSuchNotice(id: string): NotFoundError {
  return new NotFoundError({ zh: `没有公示 ${id}。`, en: `There is no public notice ${id}.` });
}

async function noticeById(deps: NoticeDeps, noticeId: string): Promise<NoticeRecord> {
  const ref = noticeRefOf(noticeId);
  const notice = ref === undefined ? undefined : await deps.notices.notice(ref.leadId, ref.rewardId);
  if (notice === undefined) throw noSuchNotice(noticeId);
  return notice;
}

async function viewOf(deps: NoticeDeps, notice: NoticeRecord): Promise<NoticeView> {
  const { objections, resolutions } = await deps.notices.objections(notice.leadId, notice.noticeId);
  const { openObjections: _open, upheldObjections: _upheld, ...rest } = notice;
  return {
    ...rest,
    status: noticeStatus(notice, objections, resolutions, deps.clock.now()),
    objections: objections.map((objection) => ({
      ...objection,
      resolution: resolutionOf(objection, resolutions) ?? null,
    })),
  };
}

/** A lead's notice with its objections (404 when the approval opened none, or there is no approval yet). */
export async function noticeOfLead(deps: NoticeDeps, leadId: string): Promise<NoticeView> {
  const notice = await deps.notices.notice(leadId);
  if (notice === undefined) throw noSuchNotice(noticeIdOf(leadId));
  return viewOf(deps, notice);
}

function actorOf(principal: Principal) {
  return { userId: principal.userId, role: 'admin' };
}

/**
 * The id of an objection: with an `Idempotency-Key`, derived from the caller and the key, so a retry finds
 * the objection it recorded; without one, new.
 */
function objectionIdFor(principal: Principal, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return `ob_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const hash = createHash('sha256').update(`${principal.userId}\n${idempotencyKey}`).digest('hex');
  return `ob_${hash.slice(0, 20)}`;
}

/** An objection reaches the office once the notice is published, and not in the future. */
function requireReceivedWhileOpen(receivedOn: string, openedOn: string, today: string): void {
  if (receivedOn >= openedOn && receivedOn <= today) return;
  throw new ValidationError([
    {
      field: 'receivedOn',
      message:
        receivedOn < openedOn
          ? { zh: `不能早于公示日期 ${openedOn}`, en: `cannot be before the notice opened (${openedOn})` }
          : { zh: `不能晚于今天（${today}）`, en: `cannot be later than today (${today})` },
    },
  ]);
}

/**
 * The admin records an objection received against a notice: it holds the payment until resolved, whether
 * received before the deadline or after it (the office decides on every objection it has). Once the
 * reward is paid, an objection is a matter for a clawback, not for the notice: 409 `notice_closed`.
 */
export async function recordObjection(
  deps: NoticeDeps,
  command: {
    principal: Principal;
    noticeId: string;
    objection: ObjectionBody;
    idempotencyKey?: string | undefined;
  },
): Promise<{ replayed: boolean; notice: NoticeView; objection: ObjectionRecord }> {
  const notice = await noticeById(deps, command.noticeId);
  const now = deps.clock.now();
  const at = now.toISOString();
  requireReceivedWhileOpen(command.objection.receivedOn, notice.openedOn, shanghaiDateOf(now));
  const record: ObjectionRecord = {
    objectionId: objectionIdFor(command.principal, command.idempotencyKey),
    noticeId: notice.noticeId,
    leadId: notice.leadId,
    receivedOn: command.objection.receivedOn,
    from: command.objection.from,
    summary: command.objection.summary,
    recordedBy: actorOf(command.principal),
    recordedAt: at,
  };
  const outcome = await deps.notices.recordObjection(record, {
    at,
    actor: record.recordedBy,
    action: 'notice.objection_recorded',
    subject: notice.leadId,
    inputHash: null,
    policyVersion: null,
    details: {
      noticeId: notice.noticeId,
      objectionId: record.objectionId,
      revision: notice.revision,
      receivedOn: record.receivedOn,
      // Small and non-personal: the objector's name masked, the summary's length only.
      fromMasked: maskPersonalName(record.from.name),
      summaryLength: record.summary.length,
      objectionDeadline: notice.objectionDeadline,
      receivedAfterDeadline: record.receivedOn > notice.objectionDeadline,
    },
  });
  if (outcome === 'exists') {
    const view = await viewOf(deps, notice);
    const existing = view.objections.find((o) => o.objectionId === record.objectionId);
    const same =
      existing !== undefined &&
      existing.receivedOn === record.receivedOn &&
      existing.summary === record.summary &&
      JSON.stringify(existing.from) === JSON.stringify(record.from);
    if (!same || existing === undefined) {
      throw new ConflictError('idempotency_key_reused', {
        zh: '此 Idempotency-Key 已用于另一条异议。',
        en: 'This Idempotency-Key was used for another objection.',
      });
    }
    const { resolution: _resolution, ...objection } = existing;
    return { replayed: true, notice: view, objection };
  }
  if (outcome === 'closed') {
    throw new ConflictError('notice_closed', {
      zh: `公示 ${notice.noticeId} 对应的奖励已支付：异议不再暂停支付，请按追回程序处理。`,
      en: `The reward of public notice ${notice.noticeId} is already paid: an objection no longer holds it; follow the clawback procedure.`,
    });
  }
  return { replayed: false, notice: await viewOf(deps, notice), objection: record };
}

/**
 * The resolution of an objection, once: `dismissed` lifts its hold; `upheld` means the reward is not paid
 * (marking paid answers 409 `objection_upheld` for good). The same resolution again answers as before.
 */
export async function resolveObjection(
  deps: NoticeDeps,
  command: { principal: Principal; noticeId: string; objectionId: string; resolution: ResolutionBody },
): Promise<{ replayed: boolean; notice: NoticeView }> {
  const notice = await noticeById(deps, command.noticeId);
  const before = await viewOf(deps, notice);
  const objection = before.objections.find((o) => o.objectionId === command.objectionId);
  if (objection === undefined) {
    throw new NotFoundError({
      zh: `公示 ${notice.noticeId} 没有异议 ${command.objectionId}。`,
      en: `Public notice ${notice.noticeId} has no objection ${command.objectionId}.`,
    });
  }
  const at = deps.clock.now().toISOString();
  const record: ResolutionRecord = {
    objectionId: objection.objectionId,
    noticeId: notice.noticeId,
    leadId: notice.leadId,
    outcome: command.resolution.outcome,
    reason: command.resolution.reason,
    resolvedBy: actorOf(command.principal),
    resolvedAt: at,
  };
  const outcome =
    objection.resolution === null
      ? await deps.notices.resolveObjection(record, {
          at,
          actor: record.resolvedBy,
          action: 'notice.objection_resolved',
          subject: notice.leadId,
          inputHash: null,
          policyVersion: null,
          details: {
            noticeId: notice.noticeId,
            objectionId: objection.objectionId,
            revision: notice.revision,
            outcome: record.outcome,
            reason: record.reason,
          },
        })
      : 'exists';
  if (outcome === 'exists') {
    const after = await viewOf(deps, notice);
    const existing = after.objections.find((o) => o.objectionId === objection.objectionId)?.resolution;
    if (existing?.outcome === record.outcome && existing.reason === record.reason) {
      return { replayed: true, notice: after };
    }
    throw new ConflictError('objection_resolved', {
      zh: `异议 ${objection.objectionId} 已处理（${existing?.outcome === 'upheld' ? '异议成立' : '异议不成立'}）。`,
      en: `Objection ${objection.objectionId} is already resolved (${existing?.outcome ?? 'resolved'}).`,
    });
  }
  return { replayed: false, notice: await viewOf(deps, notice) };
}
