import type { Principal } from '#shared/auth/principal.ts';
import { sectorsOf } from '#shared/auth/principal.ts';
import { canonicalJson, sha256Hex } from '#shared/domain/canonical-json.ts';
import type { IdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import { leadIdFor, projectKeyOf } from '#shared/domain/lead-outcome.ts';
import { ConflictError, ForbiddenError } from '#shared/errors.ts';
import { currentInputHashing, leadHash } from '#shared/policy/input-hash.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import type { EvaluationQueue } from '#shared/ports/queues.ts';
import type { Lead } from '#shared/schemas/lead.ts';
import type { LeadRecord, LeadStatus } from '#shared/schemas/lead-record.ts';

export interface SubmitLeadDeps {
  readonly leads: LeadStore;
  readonly evaluationQueue: EvaluationQueue;
  readonly clock: Clock;
  readonly identifierKeys: IdentifierKeys;
}

export interface SubmitLeadCommand {
  readonly principal: Principal;
  readonly idempotencyKey: string;
  /**
   * Whose keys `idempotencyKey` is one of (default: the caller's own). A lead import passes its sector
   * team, so a colleague uploading the same file finds the same leads instead of making new ones.
   */
  readonly idempotencyScope?: string;
  readonly lead: Lead;
  /** The body as sent (before parsing), to tell a retry from another request under the same key. */
  readonly rawBody: unknown;
}

export interface SubmitLeadResult {
  readonly leadId: string;
  readonly status: LeadStatus;
  readonly duplicateOf: string | null;
  /** True when this answers a retry of an earlier request with the same key. */
  readonly replayed: boolean;
}

const MAX_ATTEMPTS = 4;

/**
 * Stores a lead with its audit entry, then asks for its evaluation. The same key and body answer the same
 * lead (and finish a submission a crash interrupted); the same key with another body is a conflict.
 */
export async function submitLead(
  deps: SubmitLeadDeps,
  command: SubmitLeadCommand,
): Promise<SubmitLeadResult> {
  const { principal, lead } = command;
  const sectorRole = sectorsOf(principal).find((sector) => sector === lead.sector);
  if (sectorRole === undefined) {
    throw new ForbiddenError({
      zh: `${lead.sector} 专班的线索只能由该专班提交。`,
      en: `A lead for sector ${lead.sector} can only be submitted by that sector's team.`,
    });
  }
  const leadId = leadIdFor(command.idempotencyScope ?? principal.userId, command.idempotencyKey);
  const keyring = await deps.identifierKeys.keyring();
  const hashing = currentInputHashing(keyring);
  // The body holds the resident ID as sent: its hash is keyed too (see requestHashOf).
  const bodyText = canonicalJson(command.rawBody);
  const projectKey = projectKeyOf(lead);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    // The first attempt reads nothing: the write's own conditions refuse it when this key's lead exists (a
    // retry) or another lead holds the project (a duplicate), and the next attempt reads which it was.
    // Most submissions are new leads of new projects: one transaction instead of two reads and it.
    let duplicateOf: string | null = null;
    if (attempt > 0) {
      const existing = await deps.leads.get(leadId);
      if (existing !== undefined) return replay(deps, existing, requestHashOf(bodyText, existing, keyring));
      duplicateOf = (await deps.leads.projectOwner(projectKey)) ?? null;
    }
    const now = deps.clock.now().toISOString();
    const record: LeadRecord = {
      leadId,
      sector: lead.sector,
      status: 'RECEIVED',
      submittedAt: now,
      submittedBy: { userId: principal.userId, role: `sector:${lead.sector}` },
      requestHash: keyring.current.mac(bodyText),
      requestHashKeyId: keyring.current.keyId,
      lead,
      inputHash: leadHash(lead, hashing),
      inputHashForm: hashing.form,
      projectKey,
      duplicateOf,
      latestRevision: 0,
      evaluationFailure: null,
      updatedAt: now,
    };
    const outcome = await deps.leads.create(record, {
      at: now,
      actor: record.submittedBy,
      action: 'lead.received',
      subject: leadId,
      inputHash: record.inputHash,
      policyVersion: null,
      details: { sector: lead.sector, status: 'RECEIVED', duplicateOf },
    });
    if (outcome === 'created') {
      // If this send fails the request fails; a retry with the same key (or the reconciler) sends it again.
      await deps.evaluationQueue.send({ schemaVersion: 1, leadId, revision: 1 });
      return { leadId, status: 'RECEIVED', duplicateOf, replayed: false };
    }
    // 'lead_exists': a concurrent request with the same key won; 'project_taken': another team's lead
    // took the project a moment ago. Either way, look again.
  }
  throw new Error(`Lead ${leadId}: could not be stored after ${MAX_ATTEMPTS} attempts`);
}

/**
 * The request hash of this body in the form the stored lead's was made: HMAC-SHA-256 under the key it
 * names, or SHA-256 for leads stored before request hashes were keyed.
 */
function requestHashOf(bodyText: string, existing: LeadRecord, keyring: IdentifierKeyring): string {
  if (existing.requestHashKeyId === undefined) return sha256Hex(bodyText);
  const key = keyring.byKeyId(existing.requestHashKeyId);
  if (key === undefined) {
    throw new Error(
      `Identifier key ${existing.requestHashKeyId} is no longer in the keyring (keys must stay).`,
    );
  }
  return key.mac(bodyText);
}

async function replay(
  deps: SubmitLeadDeps,
  existing: LeadRecord,
  requestHash: string,
): Promise<SubmitLeadResult> {
  if (existing.requestHash !== requestHash) {
    throw new ConflictError('idempotency_key_reused', {
      zh: '此 Idempotency-Key 已用于内容不同的另一次提交。新线索请使用新的键。',
      en: 'This Idempotency-Key was already used with another body. Use a new key for a new lead.',
    });
  }
  if (existing.status === 'RECEIVED' && existing.latestRevision === 0) {
    // The first request may have stopped between the write and the send: finish it. The consumer is
    // idempotent per (lead, revision), so a second message changes nothing.
    await deps.evaluationQueue.send({ schemaVersion: 1, leadId: existing.leadId, revision: 1 });
  }
  return { leadId: existing.leadId, status: 'RECEIVED', duplicateOf: existing.duplicateOf, replayed: true };
}
