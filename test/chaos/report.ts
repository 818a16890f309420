import type { ChaosResult, KillRecord } from './crash-loop.ts';
import { yuan } from './invariants.ts';

/** The crash loop's table: each kill and where it fell, the leads, the last recovery, each invariant. */

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** What the clients and the pipeline were doing at a kill; a kill may fall in several. */
export function whereFell(kill: KillRecord): string[] {
  const places: string[] = [];
  // Before health ok the start serves nothing; after it, until its banner, it is still finishing its
  // start (seeders, the start-up reconcile) while it serves.
  if (!kill.wasHealthy) places.push('start-up');
  else if (!kill.wasReady) places.push('before ready');
  if (kill.inFlight.submit > 0) places.push('intake');
  if ((kill.phase?.evaluationNew ?? 0) + (kill.phase?.evaluationAgain ?? 0) > 0) places.push('evaluation');
  if ((kill.phase?.allocation ?? 0) > 0) places.push('allocation');
  if (kill.inFlight.approve + kill.inFlight.reject + kill.inFlight.pay + kill.inFlight.report > 0)
    places.push('review');
  if (places.length === 0) places.push('idle');
  return places;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) => `| ${row.map((cell, column) => pad(cell, widths[column] ?? 0)).join(' | ')} |`)
    .flatMap((line, i) =>
      i === 0 ? [line, `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`] : [line],
    );
}

function tally(values: readonly (string | undefined)[]): string {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  return (
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([value, n]) => `${n} ${value}`)
      .join(', ') || 'none'
  );
}

export function renderReport(
  result: ChaosResult,
  options: { readonly problemsPerInvariant?: number } = {},
): string {
  const { settings } = result;
  const lines: string[] = [];
  const accepted = result.leads.filter((lead) => lead.leadId !== undefined);
  lines.push(
    `crash loop — seed ${settings.seed}: ${settings.leads} leads from 10 teams, ${settings.kills} kills, fund ${result.fund.fundId} ${yuan(result.fund.totalFen)} = ${settings.allocations} × ${yuan(result.fund.requestFen)}; ${seconds(result.durationMs)}`,
    '',
  );
  if (result.kills.length > 0) {
    lines.push(
      ...table([
        [
          'kill',
          'at',
          'up',
          'fell during',
          'in flight (submit/report/approve/reject/pay/read)',
          'waiting evaluation (new/again)',
          'waiting allocation',
          'kill → health ok',
        ],
        ...result.kills.map((kill) => [
          String(kill.index),
          seconds(kill.atMs),
          kill.wasHealthy ? seconds(kill.upMs) : `${seconds(kill.upMs)} after spawn`,
          whereFell(kill).join(', '),
          `${kill.inFlight.submit}/${kill.inFlight.report}/${kill.inFlight.approve}/${kill.inFlight.reject}/${kill.inFlight.pay}/${kill.inFlight.read}`,
          kill.phase === undefined ? '?' : `${kill.phase.evaluationNew}/${kill.phase.evaluationAgain}`,
          kill.phase === undefined ? '?' : String(kill.phase.allocation),
          seconds(kill.recoveryMs),
        ]),
      ]),
      '',
    );
    const places = ['start-up', 'before ready', 'intake', 'evaluation', 'allocation', 'review', 'idle'];
    const fell = places.map(
      (place) => `${place} ${result.kills.filter((kill) => whereFell(kill).includes(place)).length}`,
    );
    lines.push(`kills fell during (a kill may count in several): ${fell.join(', ')}`);
  }
  const duplicates = result.leads.filter((lead) => lead.plan.repeats !== undefined).length;
  lines.push(
    `leads: ${accepted.length}/${result.leads.length} accepted with ${result.leads.reduce((n, lead) => n + lead.posts, 0)} POST /leads (${result.leads.filter((lead) => lead.replayed).length} answered by replay: stored before the kill, answer lost), ${duplicates} repeat another team's project`,
    `  actual investment: ${tally(result.leads.map((lead) => lead.reportOutcome))}`,
    `  finance: ${tally(result.leads.map((lead) => lead.financeOutcome))}`,
    `  payment: ${tally(result.leads.map((lead) => lead.payOutcome))}`,
    `requests: ${result.client.requests}, no answer ${result.client.networkErrors}, 5xx ${result.client.serverErrors}, retries ${result.client.retries}`,
    `last recovery: kill → health ok ${seconds(result.lastRecovery.healthMs)} → pipeline settled ${result.lastRecovery.settledMs === undefined ? `not within ${settings.settleSeconds} s of the restart` : seconds(result.lastRecovery.settledMs)}`,
  );
  if (result.settleProblems.length > 0) {
    lines.push(
      `  not settled: ${result.settleProblems.slice(0, 5).join('; ')}${result.settleProblems.length > 5 ? ` … (${result.settleProblems.length})` : ''}`,
    );
  }
  if (result.stackLog.length > 0) {
    lines.push('stack log (warnings and errors, most frequent first):');
    for (const { count, line } of result.stackLog.slice(0, 8)) lines.push(`  ${count} × ${line}`);
  }
  lines.push(
    '',
    ...table([
      ['invariant', 'result', 'checked'],
      ...result.invariants.map((inv) => [
        inv.name,
        inv.ok ? 'pass' : `FAIL (${inv.problems.length})`,
        inv.checked,
      ]),
    ]),
  );
  const limit = options.problemsPerInvariant ?? 12;
  for (const invariant of result.invariants.filter((inv) => !inv.ok)) {
    lines.push('', `FAIL ${invariant.name}:`);
    for (const problem of invariant.problems.slice(0, limit)) lines.push(`  - ${problem}`);
    if (invariant.problems.length > limit) lines.push(`  … and ${invariant.problems.length - limit} more`);
  }
  const failed = result.invariants.filter((inv) => !inv.ok).length;
  lines.push('', failed === 0 ? 'every invariant held' : `${failed} invariant(s) failed`);
  return lines.join('\n');
}
