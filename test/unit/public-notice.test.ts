import { describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '#shared/domain/projects/working-days.ts';
import {
  endOfShanghaiDay,
  leadIdOfNotice,
  maskPersonalName,
  noticeIdOf,
  noticePeriod,
  noticeRefusal,
  noticeStatus,
  publicIntroducerName,
} from '#shared/domain/public-notice.ts';
import {
  DEFAULT_PAYOUT_SETTINGS,
  noticeWorkingDaysOf,
  PayoutSettingsSchema,
} from '#shared/policy/payout-settings.ts';
import type { NoticeRecord, ObjectionRecord, ResolutionRecord } from '#shared/schemas/notice.ts';
import { PAYOUT_GATES_OFF } from '../fixtures/payout-settings.ts';

// A calendar shaped like a State Council notice: 国庆 Thu 10-01 … Thu 10-08 off, Sat 10-10 worked (调休);
// 2027's New Year's Day (Fri 01-01) off.
const year2026 = { year: 2026, holidays: dates('2026-10-0', [1, 2, 5, 6, 7, 8]), workdays: ['2026-10-10'] };
const year2027 = { year: 2027, holidays: ['2027-01-01'], workdays: [] };
const calendar: WorkingCalendar = {
  weekdays: [1, 2, 3, 4, 5],
  years: new Map([
    [2026, year2026],
    [2027, year2027],
  ]),
};
const without2027: WorkingCalendar = { weekdays: [1, 2, 3, 4, 5], years: new Map([[2026, year2026]]) };

function dates(prefix: string, days: number[]): string[] {
  return days.map((day) => `${prefix}${day}`);
}

describe('the objection deadline: the N-th working day after the approval day (Asia/Shanghai)', () => {
  it.each([
    ['a plain week, approved Monday', '2026-11-23T02:00:00Z', 5, calendar, '2026-11-23', '2026-11-30'],
    [
      'approved Friday: the weekend does not count',
      '2026-11-27T08:00:00Z',
      5,
      calendar,
      '2026-11-27',
      '2026-12-04',
    ],
    [
      'one working day from a Friday is Monday',
      '2026-11-27T08:00:00Z',
      1,
      calendar,
      '2026-11-27',
      '2026-11-30',
    ],
    ['国庆 off, the 调休 Saturday counts', '2026-09-30T03:00:00Z', 5, calendar, '2026-09-30', '2026-10-14'],
    [
      'approved on a holiday (Saturday in 国庆)',
      '2026-10-03T03:00:00Z',
      5,
      calendar,
      '2026-10-03',
      '2026-10-14',
    ],
    ['approved on a weekday holiday', '2026-10-05T03:00:00Z', 2, calendar, '2026-10-05', '2026-10-10'],
    ['over the year boundary, New Year off', '2026-12-28T03:00:00Z', 5, calendar, '2026-12-28', '2027-01-05'],
    [
      'over the year boundary, 2027 not entered',
      '2026-12-28T03:00:00Z',
      5,
      without2027,
      '2026-12-28',
      '2027-01-04',
    ],
    ['01:30 in Shanghai is already Monday', '2026-11-22T17:30:00Z', 5, calendar, '2026-11-23', '2026-11-30'],
    ['23:59 in Shanghai is still Friday', '2026-11-27T15:59:00Z', 5, calendar, '2026-11-27', '2026-12-04'],
  ] as const)('%s', (_, approvedAt, workingDays, days, openedOn, deadline) => {
    const period = noticePeriod(new Date(approvedAt), workingDays, days);
    expect(period).toEqual({ openedOn, objectionDeadline: deadline, endsAt: endOfShanghaiDay(deadline) });
  });

  it('ends at 00:00 Asia/Shanghai after the deadline day', () => {
    expect(endOfShanghaiDay('2026-11-30')).toBe('2026-11-30T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-12-31')).toBe('2026-12-31T16:00:00.000Z');
  });

  it('refuses a notice of no working day', () => {
    expect(() => noticePeriod(new Date('2026-11-23T02:00:00Z'), 0, calendar)).toThrow(RangeError);
  });
});

describe('the settings', () => {
  it('defaults to 5 working days (kfq-2019 has no payout section); off where a section omits it', () => {
    expect(noticeWorkingDaysOf(DEFAULT_PAYOUT_SETTINGS)).toBe(5);
    expect(noticeWorkingDaysOf(PAYOUT_GATES_OFF)).toBe(0);
    const { notice: _none, ...withoutNotice } = DEFAULT_PAYOUT_SETTINGS;
    expect(noticeWorkingDaysOf(PayoutSettingsSchema.parse(withoutNotice))).toBe(0);
    expect(noticeWorkingDaysOf({ ...DEFAULT_PAYOUT_SETTINGS, notice: { workingDays: null } })).toBe(0);
  });

  it.each([-1, 1.5, 61, '5'])('refuses workingDays %s, naming the field', (workingDays) => {
    const parsed = PayoutSettingsSchema.safeParse({ ...DEFAULT_PAYOUT_SETTINGS, notice: { workingDays } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['notice', 'workingDays']);
  });
});

describe('what the public sees of the introducer', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['李', '李*'],
    ['  王小明 ', '王**'],
  ])('masks %s as %s', (name, masked) => {
    expect(maskPersonalName(name)).toBe(masked);
  });

  it.each([
    [{ type: 'none' } as const, null],
    [
      { type: 'leading_enterprise', name: '山东某龙头企业有限公司', uscc: '91371500MA3C8XXXXX' } as const,
      '山东某龙头企业有限公司',
    ],
    [{ type: 'natural_person', name: '张三', residentId: '110101199003074477' } as const, '张*'],
    [
      { type: 'intermediary', name: '聊城招商咨询有限公司', uscc: '91371500MA3C8XXXXX' } as const,
      '聊城招商咨询有限公司',
    ],
    [{ type: 'intermediary', name: '李四', residentId: '110101199003074477' } as const, '李*'],
    [{ type: 'professional_team', name: '王五团队' } as const, '王***'],
  ])('%o → %s', (introducer, shown) => {
    expect(publicIntroducerName(introducer)).toBe(shown);
  });
});

describe('whether a reward under notice may be paid', () => {
  const notice: NoticeRecord = {
    noticeId: noticeIdOf('ld_0123456789abcdef01234567'),
    leadId: 'ld_0123456789abcdef01234567',
    revision: 2,
    openedAt: '2026-11-23T02:00:00.000Z',
    openedOn: '2026-11-23',
    workingDays: 5,
    objectionDeadline: '2026-11-30',
    endsAt: '2026-11-30T16:00:00.000Z',
    content: {
      projectName: 'p',
      investorName: 'i',
      introducerName: null,
      rewardFen: 1,
      fundFen: 0,
      legalBasis: [],
    },
    openObjections: 0,
    upheldObjections: 0,
  };
  const objection: ObjectionRecord = {
    objectionId: 'ob_1',
    noticeId: notice.noticeId,
    leadId: notice.leadId,
    receivedOn: '2026-11-25',
    from: { name: '赵六' },
    summary: '引荐关系不实',
    recordedBy: { userId: 'admin-1', role: 'admin' },
    recordedAt: '2026-11-25T02:00:00.000Z',
  };
  const resolved = (outcome: ResolutionRecord['outcome']): ResolutionRecord => ({
    objectionId: 'ob_1',
    noticeId: notice.noticeId,
    leadId: notice.leadId,
    outcome,
    reason: '经核实',
    resolvedBy: { userId: 'admin-2', role: 'admin' },
    resolvedAt: '2026-11-26T02:00:00.000Z',
  });
  const beforeEnd = new Date('2026-11-30T15:59:59.999Z');
  const atEnd = new Date('2026-11-30T16:00:00.000Z');

  it.each([
    ['running, no objection', [], [], beforeEnd, 'notice_open', 'open'],
    ['ended, no objection', [], [], atEnd, undefined, 'ended'],
    ['running, an objection unresolved', [objection], [], beforeEnd, 'objection_pending', 'held'],
    ['ended, an objection unresolved', [objection], [], atEnd, 'objection_pending', 'held'],
    [
      'running, the objection dismissed',
      [objection],
      [resolved('dismissed')],
      beforeEnd,
      'notice_open',
      'open',
    ],
    ['ended, the objection dismissed', [objection], [resolved('dismissed')], atEnd, undefined, 'ended'],
    ['ended, the objection upheld', [objection], [resolved('upheld')], atEnd, 'objection_upheld', 'upheld'],
  ] as const)('%s', (_, objections, resolutions, now, code, status) => {
    expect(noticeStatus(notice, objections, resolutions, now)).toBe(status);
    const refusal = noticeRefusal(notice, objections, resolutions, now);
    expect(refusal?.code).toBe(code);
    if (refusal !== undefined) {
      expect(refusal.message.zh).toContain('2026-11-30');
      expect(refusal.message.en).toContain(notice.noticeId);
    }
  });

  it('maps a lead to its notice and back; anything else is no notice', () => {
    expect(noticeIdOf('ld_0123456789abcdef01234567')).toBe('nt_0123456789abcdef01234567');
    expect(leadIdOfNotice('nt_0123456789abcdef01234567')).toBe('ld_0123456789abcdef01234567');
    expect(leadIdOfNotice('nt_../../x')).toBeUndefined();
  });
});
