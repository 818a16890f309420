/**
 * The public notice (公示) of an approved reward (issue 17, part 4), as pure rules: when its objection
 * deadline falls (the N-th working day after the approval day in Asia/Shanghai, on the admin's calendar),
 * when it ends, what the public may see of the introducer, and whether a reward may be paid yet.
 */
import type { LocalText } from '#shared/errors.ts';
import type { Introducer } from '#shared/schemas/lead.ts';
import type {
  NoticeRecord,
  NoticeStatus,
  ObjectionRecord,
  ResolutionRecord,
} from '#shared/schemas/notice.ts';
import type { PayoutRefusal } from './payout-rules.ts';
import { addDays, shanghaiDateOf } from './projects/shanghai-time.ts';
import { addWorkingDays, type WorkingCalendar } from './projects/working-days.ts';

export interface NoticePeriod {
  /** The approval day (Asia/Shanghai). */
  readonly openedOn: string;
  /** The last day objections are received: the `workingDays`-th working day after `openedOn`. */
  readonly objectionDeadline: string;
  /** 00:00 Asia/Shanghai after the deadline day, as an ISO instant (UTC). */
  readonly endsAt: string;
}

/**
 * The period of a notice opened at `approvedAt`. The approval day itself never counts (approved on a
 * holiday or a Saturday, counting starts at the next working day), so a notice always runs `workingDays`
 * full working days.
 */
export function noticePeriod(approvedAt: Date, workingDays: number, calendar: WorkingCalendar): NoticePeriod {
  if (!Number.isInteger(workingDays) || workingDays < 1) {
    throw new RangeError('noticePeriod: a notice runs at least one working day');
  }
  const openedOn = shanghaiDateOf(approvedAt);
  const objectionDeadline = addWorkingDays(openedOn, workingDays, calendar);
  return { openedOn, objectionDeadline, endsAt: endOfShanghaiDay(objectionDeadline) };
}

/** The instant a Shanghai calendar day ends: 00:00 +08:00 of the next day, 16:00 UTC of the day itself. */
export function endOfShanghaiDay(date: string): string {
  return new Date(`${addDays(date, 1)}T00:00:00.000+08:00`).toISOString();
}

/** The calendar years a notice opened on `date` can touch (a deadline can fall in the next year). */
export function noticeYears(date: string): number[] {
  const year = Number(date.slice(0, 4));
  return [year, year + 1];
}

/** A person's name for the public: its first character and one `*` per other character (张*, 欧**). */
export function maskPersonalName(name: string): string {
  const characters = [...name.trim()];
  if (characters.length === 0) return '';
  return `${characters[0]}${'*'.repeat(Math.max(1, characters.length - 1))}`;
}

/**
 * The introducer's name as the public list shows it: an enterprise (a leading enterprise, or an
 * intermediary or team with a credit code and no resident ID) in full; anyone who may be a natural person
 * masked; no introducer: null. No identifier ever.
 */
export function publicIntroducerName(introducer: Introducer): string | null {
  switch (introducer.type) {
    case 'none':
      return null;
    case 'leading_enterprise':
      return introducer.name;
    case 'natural_person':
      return maskPersonalName(introducer.name);
    default:
      return introducer.uscc !== undefined && introducer.residentId === undefined
        ? introducer.name
        : maskPersonalName(introducer.name);
  }
}

/** An objection and its resolution, if any. */
export function resolutionOf(
  objection: Pick<ObjectionRecord, 'objectionId'>,
  resolutions: readonly ResolutionRecord[],
): ResolutionRecord | undefined {
  return resolutions.find((r) => r.objectionId === objection.objectionId);
}

/** Where a notice stands at `now`: upheld beats held beats open. */
export function noticeStatus(
  notice: Pick<NoticeRecord, 'endsAt'>,
  objections: readonly ObjectionRecord[],
  resolutions: readonly ResolutionRecord[],
  now: Date,
): NoticeStatus {
  if (resolutions.some((r) => r.outcome === 'upheld')) return 'upheld';
  if (objections.some((o) => resolutionOf(o, resolutions) === undefined)) return 'held';
  return now.getTime() < Date.parse(notice.endsAt) ? 'open' : 'ended';
}

/**
 * Why the reward of a notice may not be paid at `now`, or undefined when it may: the notice must have
 * ended (its deadline day over) with every objection resolved and none upheld.
 */
export function noticeRefusal(
  notice: NoticeRecord,
  objections: readonly ObjectionRecord[],
  resolutions: readonly ResolutionRecord[],
  now: Date,
): PayoutRefusal | undefined {
  const status = noticeStatus(notice, objections, resolutions, now);
  const { leadId, objectionDeadline: deadline, noticeId } = notice;
  const messages: Record<
    Exclude<NoticeStatus, 'ended'>,
    { code: string; message: LocalText; missing: readonly string[] }
  > = {
    upheld: {
      code: 'objection_upheld',
      missing: ['noObjectionUpheld'],
      message: {
        zh: `线索 ${leadId} 的公示（${noticeId}，异议截止日 ${deadline}）有异议经核实成立：该奖励不予支付。`,
        en: `An objection to the public notice ${noticeId} of lead ${leadId} (deadline ${deadline}) was upheld: the reward is not paid.`,
      },
    },
    held: {
      code: 'objection_pending',
      missing: ['objectionsResolved'],
      message: {
        zh: `线索 ${leadId} 的公示（${noticeId}）有尚未处理的异议：处理完毕且公示期（至 ${deadline}）届满后方可支付。`,
        en: `The public notice ${noticeId} of lead ${leadId} has an objection not yet resolved: it is paid once every objection is resolved and the notice has ended (deadline ${deadline}).`,
      },
    },
    open: {
      code: 'notice_open',
      missing: ['noticeEnded'],
      message: {
        zh: `线索 ${leadId} 正在公示（${noticeId}），异议截止日为 ${deadline}：公示期满且无未处理异议后方可支付。`,
        en: `Lead ${leadId} is under public notice (${noticeId}) until ${deadline}, the objection deadline: it is paid once the notice has ended with no objection unresolved.`,
      },
    },
  };
  if (status === 'ended') return undefined;
  return messages[status];
}

/**
 * The notice id of an approval: the lead's referral reward has one (`nt_` + the lead's hex); each
 * discretionary reward (重奖, issue 20) of the lead its own (`nt_` + the lead's hex + `_` + the reward's hex).
 */
export function noticeIdOf(leadId: string, rewardId?: string): string {
  const lead = `nt_${leadId.replace(/^ld_/, '')}`;
  return rewardId === undefined ? lead : `${lead}_${rewardId.replace(/^dr_/, '')}`;
}

/** What a notice id names: its lead, and the discretionary reward when it is one; undefined when not an id. */
export function noticeRefOf(noticeId: string): { leadId: string; rewardId?: string } | undefined {
  const match = /^nt_([0-9a-f]{24})(?:_([0-9a-f]{24}))?$/.exec(noticeId);
  if (match === null) return undefined;
  return match[2] === undefined
    ? { leadId: `ld_${match[1]}` }
    : { leadId: `ld_${match[1]}`, rewardId: `dr_${match[2]}` };
}

/** The lead a notice id belongs to, or undefined when it is not one. */
export function leadIdOfNotice(noticeId: string): string | undefined {
  return noticeRefOf(noticeId)?.leadId;
}
