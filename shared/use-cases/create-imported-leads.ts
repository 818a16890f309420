/**
 * The import's second half (issue 16): the worker that turns an import's stored rows into leads. Kept apart
 * from the upload's checks so that the queue consumer loads no workbook reader (exceljs) at its cold start.
 */
import type { Principal, Role } from '#shared/auth/principal.ts';
import { leadIdFor } from '#shared/domain/lead-outcome.ts';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/errors.ts';
import type { LeadImportStore } from '#shared/ports/lead-imports.ts';
import { parseLead } from '#shared/schemas/lead.ts';
import { type SubmitLeadDeps, submitLead } from './submit-lead.ts';

/** Leads of an import are the team's, keyed per (import, row): the same file finds the same leads. */
export function importedLeadIdentity(team: readonly string[], importId: string, row: number) {
  const idempotencyScope = `lead-import/${team.join(',')}`;
  const idempotencyKey = `${importId}/row/${row}`;
  return { idempotencyScope, idempotencyKey, leadId: leadIdFor(idempotencyScope, idempotencyKey) };
}

export type CreateImportedLeadsDeps = SubmitLeadDeps & { readonly imports: LeadImportStore };

export type CreateImportedLeadsOutcome = 'complete' | 'paused' | 'not_found';

/**
 * Creates the leads of an import's pending rows, one after another, each through submitLead with its
 * (team, import, row) key: a row whose lead already exists is answered by that lead, so a redelivered
 * hint or a second worker creates nothing twice. `shouldPause` lets the worker stop between rows before
 * its time runs out ('paused': send a hint to go on).
 */
export async function createImportedLeads(
  deps: CreateImportedLeadsDeps,
  importId: string,
  options: { readonly shouldPause?: () => boolean } = {},
): Promise<CreateImportedLeadsOutcome> {
  const record = await deps.imports.get(importId);
  if (record === undefined) return 'not_found';
  if (record.status === 'COMPLETE') return 'complete';
  const principal: Principal = { userId: record.uploadedBy.userId, roles: record.uploadedBy.roles as Role[] };
  for (const row of await deps.imports.rows(importId)) {
    if (row.state !== 'PENDING') continue;
    if (options.shouldPause?.() === true) return 'paused';
    const identity = importedLeadIdentity(record.team, importId, row.row);
    const parsed = parseLead(row.body);
    if (!parsed.ok) {
      // Checked when uploaded; only a change of the sector list since can refuse it now.
      await deps.imports.rowSettled(
        importId,
        row.row,
        'REFUSED',
        parsed.problems.map((p) => p.field).join(', '),
      );
      continue;
    }
    try {
      const result = await submitLead(deps, {
        principal,
        idempotencyKey: identity.idempotencyKey,
        idempotencyScope: identity.idempotencyScope,
        lead: parsed.lead,
        rawBody: row.body,
      });
      if (result.leadId !== row.leadId) throw new Error(`Import ${importId} row ${row.row}: lead id differs`);
      await deps.imports.rowSettled(importId, row.row, 'CREATED');
    } catch (error) {
      // What POST /leads would answer with a 4xx can never succeed on a retry: the row is settled refused.
      if (
        error instanceof ForbiddenError ||
        error instanceof ConflictError ||
        error instanceof ValidationError
      ) {
        await deps.imports.rowSettled(importId, row.row, 'REFUSED', error.message.slice(0, 300));
        continue;
      }
      throw error;
    }
  }
  await deps.imports.complete(importId, deps.clock.now().toISOString());
  return 'complete';
}
