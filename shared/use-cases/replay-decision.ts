import * as z from 'zod';
import { canonicalJson } from '#shared/domain/canonical-json.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { evaluateLead, policyHash } from '#shared/policy/evaluate-lead.ts';
import { leadHash, recordedInputHashing } from '#shared/policy/input-hash.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { PolicyStore } from '#shared/ports/policies.ts';
import { DecisionSchema } from '#shared/schemas/decision.ts';

export interface ReplayDecisionDeps {
  readonly leads: Pick<LeadStore, 'decisions'>;
  readonly policies: Pick<PolicyStore, 'all'>;
  readonly identifierKeys: IdentifierKeys;
}

export const ReplaySchema = z.object({
  leadId: z.string(),
  revision: z.number().int().positive(),
  policyVersion: z.string(),
  /** The replayed decision is byte-for-byte the recorded one (canonical JSON). */
  identical: z.boolean(),
  /** The recorded policy version is still published. */
  policyFound: z.boolean(),
  /** The published version hashes to the `policyHash` the decision recorded. */
  policyHashMatches: z.boolean(),
  /** The recorded inputs hash to the `inputHash` the decision recorded. */
  inputHashMatches: z.boolean(),
  recorded: DecisionSchema,
  /** null when the recorded policy version cannot be found. */
  replayed: DecisionSchema.nullable(),
});
export type Replay = z.infer<typeof ReplaySchema>;

/** Reads the `{revision}` path parameter. */
export function revisionOf(raw: string | undefined): number {
  if (raw === undefined || !/^[1-9]\d{0,8}$/.test(raw)) {
    throw new ValidationError([
      { field: 'revision', message: { zh: '必须是正整数', en: 'must be a positive whole number' } },
    ]);
  }
  return Number(raw);
}

/**
 * Recomputes decision revision N of a lead from the inputs it recorded, the policy version it recorded
 * (not the one in force today) and the input-hash form and key it recorded (form 1 for decisions made
 * before form 2), and compares the two as canonical JSON. Evaluation records the input hash stored with the
 * lead revision at intake without hashing the lead again; here it is made again from the recorded lead, so a
 * stored hash that is not the lead's shows as `inputHashMatches: false` (and not identical).
 */
export async function replayDecision(
  deps: ReplayDecisionDeps,
  command: { readonly leadId: string; readonly revision: number },
): Promise<Replay> {
  const decisions = await deps.leads.decisions(command.leadId);
  const record = decisions.find((decision) => decision.revision === command.revision);
  if (record === undefined) {
    throw new NotFoundError({
      zh: `线索 ${command.leadId} 没有第 ${command.revision} 版决定。`,
      en: `Lead ${command.leadId} has no decision revision ${command.revision}.`,
    });
  }
  const recorded = record.decision;
  const hashing = recordedInputHashing(recorded.inputHashForm, await deps.identifierKeys.keyring());
  if (hashing === undefined) {
    // A deployment fault, not the caller's: keys must never leave the keyring (docs/deploy.md).
    throw new Error(`Identifier key ${recorded.inputHashForm?.keyId} is no longer in the keyring.`);
  }
  const policy = (await deps.policies.all()).find((candidate) => candidate.version === record.policyVersion);
  const replayed = policy === undefined ? null : evaluateLead(record.lead, policy, hashing);
  return {
    leadId: record.leadId,
    revision: record.revision,
    policyVersion: record.policyVersion,
    identical: replayed !== null && canonicalJson(replayed) === canonicalJson(recorded),
    policyFound: policy !== undefined,
    policyHashMatches: policy !== undefined && policyHash(policy) === recorded.policyHash,
    inputHashMatches: leadHash(record.lead, hashing) === recorded.inputHash,
    recorded,
    replayed,
  };
}
