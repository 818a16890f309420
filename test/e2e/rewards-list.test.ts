import { describe, expect, it } from 'vitest';
import { RewardListSchema } from '#shared/use-cases/list-rewards.ts';
import { api, freshLead, submit, tokenFor, waitForEvaluation } from '#test/support/api.ts';

/** The submission month in Asia/Shanghai, as the console's month filter sends it (first and last day). */
function shanghaiMonth(instant: string): { from: string; to: string } {
  const local = new Date(new Date(instant).getTime() + 8 * 3_600_000);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const mm = String(month + 1).padStart(2, '0');
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(lastDay).padStart(2, '0')}` };
}

describe('GET /rewards, the finance review queue', () => {
  it('answers its documented schema with the project named, filtered by the month of submission', async () => {
    const sector = await tokenFor('sector:new_energy', 'officer-rewards-list');
    const finance = await tokenFor('finance', 'fin-rewards-list');
    const lead = freshLead('new_energy');
    const leadId = await submit(sector, lead);
    const evaluated = await waitForEvaluation(sector, leadId);
    const status = String(evaluated.body.status);
    const submittedAt = String((evaluated.body as { submittedAt?: string }).submittedAt);

    const month = shanghaiMonth(submittedAt);
    const inMonth = await api(
      'GET',
      `/rewards?${new URLSearchParams({ status, sector: 'new_energy', ...month, limit: '100' })}`,
      {
        token: finance,
      },
    );
    expect(inMonth.status).toBe(200);
    const page = RewardListSchema.parse(inMonth.body);
    const item = page.items.find((candidate) => candidate.leadId === leadId);
    expect(item).toMatchObject({ projectName: lead.projectName, investorName: lead.investor.name, status });

    const before = await api(
      'GET',
      `/rewards?${new URLSearchParams({ status, sector: 'new_energy', from: '2019-01-01', to: '2019-01-31' })}`,
      {
        token: finance,
      },
    );
    expect(before.status).toBe(200);
    expect(RewardListSchema.parse(before.body).items.map((candidate) => candidate.leadId)).not.toContain(
      leadId,
    );
  });

  it('refuses a period whose start is after its end, naming from', async () => {
    const finance = await tokenFor('finance', 'fin-rewards-list');
    const answer = await api<{ errors?: { field: string }[] }>(
      'GET',
      '/rewards?from=2026-02-01&to=2026-01-31',
      {
        token: finance,
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((problem) => problem.field)).toContain('from');
  });
});
