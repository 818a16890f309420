import { describe, expect, it } from 'vitest';
import { DEFAULT_SECTORS } from '#shared/domain/sectors.ts';
import { parseLead } from '#shared/schemas/lead.ts';
import { prng } from '#test/chaos/prng.ts';
import { type ChaosSettings, planRun } from '#test/chaos/workload.ts';

/** The crash loop's plan (test/chaos): reproducible from its seed, and the workload the issue asks for. */

const settings: ChaosSettings = {
  kills: 50,
  leads: 200,
  allocations: 50,
  seed: 7,
  maxUptimeMs: 3_000,
  startupKillShare: 0.15,
  settleSeconds: 180,
};

describe('the crash loop plan', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify(planRun(settings, prng(7)))).toBe(JSON.stringify(planRun(settings, prng(7))));
    expect(JSON.stringify(planRun({ ...settings, seed: 8 }, prng(8)))).not.toBe(
      JSON.stringify(planRun(settings, prng(7))),
    );
  });

  it('sends only valid, fund-eligible leads from all ten teams, asking more than the fund holds', () => {
    const plan = planRun(settings, prng(7));
    const parsed = plan.leads.map((lead) => parseLead(lead.body));
    for (const result of parsed) expect(result.ok, JSON.stringify(result)).toBe(true);
    const leads = parsed.flatMap((result) => (result.ok ? [result.lead] : []));
    expect(new Set(leads.map((lead) => lead.sector))).toEqual(new Set(DEFAULT_SECTORS.map((s) => s.code)));
    for (const lead of leads) {
      expect(['new_productive_force', 'old_capacity_upgrade']).toContain(lead.category);
      expect(lead.fundRequest).toBe(plan.requestFen);
      // The fund share (10 % of the investment) never bounds the cap below the request.
      expect(lead.plannedInvestment).toBeGreaterThanOrEqual(plan.requestFen * 10);
      // Below the one-case-one-policy threshold: every lead goes to finance directly.
      expect(lead.plannedInvestment).toBeLessThan(50_000_000_000);
    }
    expect(plan.requestFen * settings.allocations).toBeLessThanOrEqual(plan.fundTotalFen);
    expect(plan.requestFen * leads.length).toBeGreaterThan(plan.fundTotalFen);
    expect(leads.some((lead) => lead.introducer.type === 'natural_person')).toBe(true);
    expect(leads.some((lead) => lead.introducer.type === 'leading_enterprise')).toBe(true);
    expect(leads.some((lead) => lead.plannedInvestment >= 10_000_000_000)).toBe(true);
    expect(leads.some((lead) => lead.plannedInvestment < 10_000_000_000)).toBe(true);
    expect(new Set(plan.leads.map((lead) => lead.key)).size).toBe(plan.leads.length);
  });

  it('repeats some projects from another team, and spreads follow-ups and kills', () => {
    const plan = planRun(settings, prng(7));
    const repeats = plan.leads.filter((lead) => lead.repeats !== undefined);
    expect(repeats.length).toBeGreaterThan(0);
    for (const lead of repeats) expect(plan.leads[lead.repeats ?? -1]?.sector).not.toBe(lead.sector);
    expect(plan.leads.filter((lead) => lead.report !== undefined).length).toBeGreaterThan(50);
    for (const action of ['approve', 'approve_pay', 'reject', 'none'] as const) {
      expect(plan.leads.some((lead) => lead.finance === action)).toBe(true);
    }
    expect(plan.kills).toHaveLength(50);
    expect(plan.kills.some((kill) => kill.during === 'startup')).toBe(true);
    expect(Math.max(...plan.leads.map((lead) => lead.cycle))).toBe(49);
  });
});
