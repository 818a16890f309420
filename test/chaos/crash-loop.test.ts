import { describe, expect, it } from 'vitest';
import { runChaos } from './crash-loop.ts';
import { renderReport } from './report.ts';

/**
 * The short crash loop of `npm test` (the full one is `npm run chaos`): the whole stack SIGKILLed five
 * times while ten teams submit 40 leads and finance decides, then every promise checked on what is left.
 * The fund holds 10 requests in full, so the waitlist is used.
 */
describe('crash anywhere', () => {
  it('keeps every promise through 5 SIGKILLs of the whole stack (40 leads, seed 7)', async ({ signal }) => {
    const result = await runChaos(
      {
        kills: 5,
        leads: 40,
        allocations: 10,
        seed: 7,
        maxUptimeMs: 3_000,
        startupKillShare: 0.2,
        settleSeconds: 150,
      },
      { signal, log: () => undefined },
    );
    const report = renderReport(result);
    process.stdout.write(`${report}\n`);
    expect(result.kills).toHaveLength(5);
    // The money path must really run through the kills (a new gate refusing every approval would leave the
    // money invariants true of nothing).
    const done = (outcome: string | undefined, kind: string) => outcome?.startsWith(`${kind} done`) === true;
    expect(
      result.leads.filter((track) => done(track.financeOutcome, 'approve')).length,
      report,
    ).toBeGreaterThan(0);
    expect(result.leads.filter((track) => done(track.payOutcome, 'pay')).length, report).toBeGreaterThan(0);
    expect(
      result.invariants.filter((invariant) => !invariant.ok).map((invariant) => invariant.name),
      report,
    ).toEqual([]);
  }, 330_000);
});
