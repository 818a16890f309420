import { describe, expect, it } from 'vitest';
import { maskResidentId } from '#shared/domain/identifiers.ts';
import { parseLead } from '#shared/schemas/lead.ts';
import { makeValidResidentId } from '#test/fixtures/identifiers.ts';
import { ENTERPRISE_USCC, leadInput, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';

function problemsOf(input: unknown) {
  const result = parseLead(input);
  if (result.ok) throw new Error('expected the lead to be refused');
  return result.problems;
}

describe('parseLead', () => {
  it('parses a valid lead into fen, trimmed texts and default flags', () => {
    const result = parseLead(leadInput({ projectName: '  智能光电信息产业园  ' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lead.plannedInvestment).toBe(15_000_000_000);
    expect(result.lead.actualInvestment).toBe(12_000_000_000);
    expect(result.lead.fundRequest).toBe(1_000_000_000);
    expect(result.lead.projectName).toBe('智能光电信息产业园');
    expect(result.lead.municipalMajorProject).toBe(false);
    expect(result.lead.bespokeTermsRequested).toBe(false);
  });

  it('accepts each introducer type with the identifiers it must carry', () => {
    const introducers = [
      { type: 'leading_enterprise', name: '龙头企业甲', uscc: ENTERPRISE_USCC },
      { type: 'natural_person', name: '李明', residentId: PERSON_RESIDENT_ID },
      { type: 'intermediary', name: '某招商咨询公司', uscc: ENTERPRISE_USCC },
      { type: 'intermediary', name: '王某' },
      { type: 'professional_team', name: '上海招商团队', residentId: PERSON_RESIDENT_ID },
      { type: 'none' },
    ] as const;
    for (const introducer of introducers) expect(parseLead(leadInput({ introducer })).ok).toBe(true);
  });

  it('upper-cases a resident ID ending in a lower-case x', () => {
    const id = makeValidResidentId('110105', '19491231', '002');
    expect(id.endsWith('X')).toBe(true);
    const result = parseLead(
      leadInput({ introducer: { type: 'natural_person', name: '甲', residentId: id.toLowerCase() } }),
    );
    expect(
      result.ok && result.lead.introducer.type === 'natural_person' && result.lead.introducer.residentId,
    ).toBe(id);
  });

  it('lists every bad field at once, with dotted paths', () => {
    const problems = problemsOf({
      ...leadInput(),
      sector: 'mining',
      projectName: '',
      investor: { name: '甲公司', uscc: '91350100M000100Y44' },
      plannedInvestment: '1.234',
      actualInvestment: -5,
      category: 'mining',
      fundRequest: '0',
      extra: true,
    });
    const fields = problems.map((problem) => problem.field).sort();
    expect(fields).toEqual(
      [
        'actualInvestment',
        'category',
        'extra',
        'fundRequest',
        'investor.uscc',
        'plannedInvestment',
        'projectName',
        'sector',
      ].sort(),
    );
  });

  it('names a missing required field', () => {
    const { plannedInvestment: _omitted, ...rest } = leadInput();
    expect(problemsOf(rest)).toEqual([
      { field: 'plannedInvestment', message: { zh: '必填', en: 'is required' } },
    ]);
  });

  it('requires a valid resident ID for a natural person and never repeats it in a message', () => {
    const bad = `${PERSON_RESIDENT_ID.slice(0, 17)}${PERSON_RESIDENT_ID.endsWith('0') ? '1' : '0'}`;
    const problems = problemsOf(
      leadInput({ introducer: { type: 'natural_person', name: '李明', residentId: bad } }),
    );
    expect(problems.map((problem) => problem.field)).toEqual(['introducer.residentId']);
    const text = JSON.stringify(problems);
    expect(text).not.toContain(bad);
    expect(text).not.toContain(bad.slice(6, 14));
    expect(maskResidentId(bad)).not.toContain(bad.slice(6, 14));
    const missing = problemsOf(leadInput({ introducer: { type: 'natural_person', name: '李明' } as never }));
    expect(missing).toEqual([{ field: 'introducer.residentId', message: { zh: '必填', en: 'is required' } }]);
  });

  it('requires a valid USCC for a leading enterprise and refuses a resident ID on it', () => {
    const problems = problemsOf(
      leadInput({
        introducer: { type: 'leading_enterprise', name: '甲', residentId: PERSON_RESIDENT_ID } as never,
      }),
    );
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      'introducer.residentId',
      'introducer.uscc',
    ]);
    expect(JSON.stringify(problems)).not.toContain(PERSON_RESIDENT_ID);
  });

  it('refuses an unknown introducer type and a name on introducer none', () => {
    expect(problemsOf(leadInput({ introducer: { type: 'broker' } as never }))[0]?.field).toBe(
      'introducer.type',
    );
    expect(problemsOf(leadInput({ introducer: { type: 'none', name: 'x' } as never }))).toEqual([
      { field: 'introducer.name', message: { zh: '不是可接受的字段', en: 'is not a known field' } },
    ]);
  });

  it('refuses control characters and over-long texts', () => {
    const problems = problemsOf(
      leadInput({
        projectName: '项目\u0000名称',
        investor: { name: '甲'.repeat(201), uscc: ENTERPRISE_USCC },
      }),
    );
    expect(problems).toEqual([
      {
        field: 'projectName',
        message: { zh: '不能包含控制字符', en: 'must not contain control characters' },
      },
      {
        field: 'investor.name',
        message: { zh: '不能超过 200 个字符', en: 'must be at most 200 characters' },
      },
    ]);
  });

  it('checks the sector against a configured list', () => {
    const sectors = [{ code: 'mining', zh: '矿业', en: 'Mining' }];
    expect(parseLead(leadInput({ sector: 'mining' }), { sectors }).ok).toBe(true);
    expect(parseLead(leadInput(), { sectors }).ok).toBe(false);
  });

  it('refuses input that is not an object', () => {
    expect(problemsOf(null)[0]?.field).toBe('(root)');
    expect(problemsOf([])[0]?.field).toBe('(root)');
  });
});
