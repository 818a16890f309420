/**
 * The project name (项目名称) of each reward by decision (重奖), for the year's list and the 重奖清单: finance
 * knows projects by name, not by lead id. A reward records its lead's name at proposal; one proposed before
 * that has none, and its lead's name is read instead (once per lead). That is the name it was proposed
 * under, not a guess: a lead's project name is fixed at submission (no route renames it, a revision only
 * adds the actual investment or the referrer's registration). A lead not found leaves it absent (null in
 * the API), rather than a made-up name.
 */
import type { LeadStore } from '#shared/ports/leads.ts';
import type { DiscretionaryRewardRecord } from '#shared/schemas/discretionary-reward.ts';

/** Leads read at once for rewards without a recorded name (only those proposed before it was recorded). */
const READS_AT_ONCE = 16;

export async function withProjectNames(
  leads: Pick<LeadStore, 'get'>,
  records: readonly DiscretionaryRewardRecord[],
): Promise<DiscretionaryRewardRecord[]> {
  const unnamed = [...new Set(records.filter((r) => r.projectName === undefined).map((r) => r.leadId))];
  const names = new Map<string, string | undefined>();
  for (let i = 0; i < unnamed.length; i += READS_AT_ONCE) {
    const batch = unnamed.slice(i, i + READS_AT_ONCE);
    const read = await Promise.all(
      batch.map(async (leadId) => [leadId, (await leads.get(leadId))?.lead.projectName] as const),
    );
    for (const [leadId, projectName] of read) names.set(leadId, projectName);
  }
  return records.map((record) => {
    const projectName = record.projectName ?? names.get(record.leadId);
    return projectName === undefined ? record : { ...record, projectName };
  });
}
