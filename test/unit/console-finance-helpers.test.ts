import { describe, expect, it } from 'vitest';
import { makerCheckerRefusal } from '#shared/domain/review-rules.ts';
import type { CaseOutcomeRecord, ReviewRecord } from '#shared/schemas/fund.ts';
import type { DecisionRecord, LeadRecord } from '#shared/schemas/lead-record.ts';
import { lineAndColumn, lineOf, lineOfEachPath } from '../../console/src/pages/admin/json-paths.ts';
import { type FinanceAction, makerCheckerWords } from '../../console/src/pages/finance/review-refusals.ts';

/** The console's pure helpers of the finance and admin pages. */

const actor = (userId: string) => ({ userId, role: 'finance' });
const AT = '2026-07-01T00:00:00.000Z';

// Only what the maker-checker rule reads (who submitted, reported, recorded, approved).
const lead = {
  leadId: 'ld_0123456789abcdef01234567',
  submittedBy: actor('submitter'),
} as unknown as LeadRecord;
const decision = {
  revision: 2,
  investmentReportedBy: actor('reporter'),
} as unknown as DecisionRecord;
const caseOutcome = { recordedBy: actor('recorder'), recordedAt: AT } as unknown as CaseOutcomeRecord;
const review = { decidedBy: actor('approver'), decidedAt: AT } as unknown as ReviewRecord;

describe('the plain words of a maker-checker refusal', () => {
  const actions: FinanceAction[] = ['approve', 'reject', 'record_case_outcome', 'mark_paid'];
  const users = ['submitter', 'reporter', 'recorder', 'approver', 'someone-else'];
  const cases = actions.flatMap((action) => users.map((user) => [action, user] as const));

  it.each(cases)('%s by %s: words exactly when the API’s rule refuses', (action, user) => {
    const refused = makerCheckerRefusal(action, user, { lead, revision: decision, caseOutcome, review });
    const words = makerCheckerWords(action, user, {
      submittedBy: lead.submittedBy,
      latestDecision: decision as never,
      caseOutcome: caseOutcome as never,
      review: review as never,
    });
    expect(words !== undefined).toBe(refused !== undefined);
  });

  it('says why in the words the issue names', () => {
    const facts = {
      submittedBy: actor('submitter'),
      latestDecision: null,
      caseOutcome: null,
      review: review as never,
    };
    expect(makerCheckerWords('approve', 'submitter', facts)?.zh).toBe(
      '您提交了此线索，不能审批自己提交的线索',
    );
    expect(makerCheckerWords('mark_paid', 'approver', facts)?.zh).toContain('批准人不能同时登记支付');
  });
});

describe('the lines of a policy JSON', () => {
  const text = JSON.stringify(
    {
      version: 'x',
      rules: [{ type: 'referral_reward', basisPoints: 'two', note: 'a "quoted" \\ text' }, { id: 2 }],
    },
    null,
    2,
  );
  const lines = lineOfEachPath(text);
  const lineHolding = (needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

  it('finds each path the API names on the line where its key starts', () => {
    expect(lines.get('version')).toBe(lineHolding('"version"'));
    expect(lines.get('rules.0.basisPoints')).toBe(lineHolding('"basisPoints"'));
    expect(lines.get('rules.0.note')).toBe(lineHolding('"note"'));
    expect(lines.get('rules.1.id')).toBe(lineHolding('"id"'));
  });

  it('points a missing key at the nearest object that holds it, and the whole document at line 1', () => {
    expect(lineOf(lines, 'rules.0.thresholdFen')).toBe(lineOf(lines, 'rules.0'));
    expect(lineOf(lines, 'title')).toBe(1);
    expect(lineOf(lines, '')).toBe(1);
  });

  it('turns a parser position into line and column', () => {
    expect(lineAndColumn('{\n  "a": 1,\n}', 12)).toEqual({ line: 3, column: 1 });
  });
});
