/**
 * Lead import (issue 16). `importLeads` checks an uploaded .xlsx and every row at once (the same parsing
 * and sector rule as `POST /leads`), stores the accepted rows as a pending import beside the leads and
 * sends a hint; `createImportedLeads` (the queue worker) turns each row into a lead exactly as
 * `POST /leads` does (submitLead, with a per-row key scoped to the sector team); `getImport` shows the
 * progress. The tables are the truth: a lost hint is sent again by the reconciler, a redelivered one or a
 * crash between rows creates nothing twice.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '#shared/auth/principal.ts';
import { sectorsOf } from '#shared/auth/principal.ts';
import { sha256Hex } from '#shared/domain/canonical-json.ts';
import type { Sector } from '#shared/domain/sectors.ts';
import { ForbiddenError, NotFoundError, type RowProblem, UnprocessableContentError } from '#shared/errors.ts';
import { inspectWorkbookFile } from '#shared/lead-import/inspect-workbook-file.ts';
import { columnOfField, type LeadColumn } from '#shared/lead-import/lead-columns.ts';
import { readLeadSheet, type SheetRow } from '#shared/lead-import/read-lead-sheet.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';
import type { LeadImportQueue, LeadImportStore } from '#shared/ports/lead-imports.ts';
import { parseLead } from '#shared/schemas/lead.ts';
import type {
  ImportAnswer,
  ImportMode,
  ImportRowRecord,
  ImportView,
  LeadImportRecord,
} from '#shared/schemas/lead-import.ts';
import { importedLeadIdentity } from './create-imported-leads.ts';

export interface ImportLeadsDeps {
  readonly imports: LeadImportStore;
  readonly importQueue: LeadImportQueue;
  readonly identifierKeys: IdentifierKeys;
  readonly clock: Clock;
  /** The configured sector list (default: the 10 default teams), as POST /leads checks it. */
  readonly sectors?: readonly Sector[];
}

/** The answer of an upload; refused rows in both languages (the handler picks the caller's). */
export interface ImportLeadsResult extends Omit<ImportAnswer, 'refused'> {
  readonly refused: readonly RowProblem[];
  /** The same file was imported before by this team: nothing new was stored. */
  readonly replayed: boolean;
}

/** The sector team(s) of the uploader, in one order: the scope of the import's idempotency. */
function teamOf(principal: Principal): string[] {
  return [...new Set(sectorsOf(principal))].sort();
}

/**
 * Checks the file and every row, stores the accepted ones as a pending import and sends the hint that
 * creates their leads. Throws (nothing stored) on a bad file, a refused row in all-or-nothing mode, or
 * when no row can be accepted.
 */
export async function importLeads(
  deps: ImportLeadsDeps,
  command: { readonly principal: Principal; readonly bytes: Uint8Array; readonly mode: ImportMode },
): Promise<ImportLeadsResult> {
  const { principal, bytes, mode } = command;
  const team = teamOf(principal);
  if (team.length === 0) {
    throw new ForbiddenError({
      zh: '只有招商专班可以导入线索。',
      en: 'Only a sector team can import leads.',
    });
  }
  await inspectWorkbookFile(bytes);
  const sheet = await readLeadSheet(bytes, deps.sectors === undefined ? {} : { sectors: deps.sectors });

  const checked = sheet.rows.map((row) => checkRow(row, sheet.columns, team, deps.sectors));
  const refused = checked.flatMap((row) => (row.kind === 'refused' ? [row.problem] : []));
  const valid = checked.flatMap((row) => (row.kind === 'valid' ? [row] : []));
  const skipped = sheet.rows
    .filter((row) => row.isExample)
    .map((row) => ({ row: row.row, reason: 'template_example' as const }));

  if (mode === 'all-or-nothing' && refused.length > 0) {
    throw new UnprocessableContentError(
      {
        zh: `有 ${refused.length} 行不符合要求（全部或全不模式）：未导入任何一行。请修改后重新上传。`,
        en: `${refused.length} row(s) are invalid (all-or-nothing mode): nothing was imported. Correct them and upload again.`,
      },
      rowFieldProblems(refused),
      refused,
    );
  }
  if (valid.length === 0) {
    throw new UnprocessableContentError(
      refused.length === 0
        ? { zh: '文件中没有可导入的数据行。', en: 'The file holds no data row to import.' }
        : {
            zh: `没有一行符合要求（${refused.length} 行被拒绝）：未导入任何一行。`,
            en: `No row is valid (${refused.length} refused): nothing was imported.`,
          },
      rowFieldProblems(refused),
      refused,
    );
  }

  // The same file from the same team is the same import: found by a digest only the table holds.
  const fileDigest = createHash('sha256').update(bytes).digest('hex');
  const fileKey = sha256Hex(`lead-import\n${team.join(',')}\n${fileDigest}`);
  const keyring = await deps.identifierKeys.keyring();
  const importId =
    (await deps.imports.importOfFile(fileKey)) ??
    `im_${keyring.current.mac(`lead-import\n${fileKey}`).slice(0, 24)}`;
  const existing = await deps.imports.get(importId);
  if (existing !== undefined) return replay(deps, existing, refused, skipped);

  const rows: ImportRowRecord[] = valid.map((row) => ({
    importId,
    row: row.row,
    leadId: importedLeadIdentity(team, importId, row.row).leadId,
    body: row.body,
    state: 'PENDING',
  }));
  const record: LeadImportRecord = {
    importId,
    team,
    uploadedBy: { userId: principal.userId, roles: [...principal.roles] },
    mode,
    rowCount: sheet.rows.length,
    createdAt: deps.clock.now().toISOString(),
    status: 'QUEUED',
    completedAt: null,
    accepted: rows.map(({ row, leadId }) => ({ row, leadId })),
    refusedRows: refused.map((row) => row.row),
    skippedRows: skipped.map((row) => row.row),
  };
  const outcome = await deps.imports.create(record, rows, fileKey);
  if (outcome === 'import_exists') {
    const stored = await deps.imports.get(importId);
    if (stored === undefined)
      throw new Error(`Import ${importId}: stored by another request, then not found`);
    return replay(deps, stored, refused, skipped);
  }
  // If this send fails the request fails; its retry (or the reconciler) sends it again.
  await deps.importQueue.send({ schemaVersion: 1, importId });
  return answerOf(record, refused, skipped, false);
}

async function replay(
  deps: ImportLeadsDeps,
  stored: LeadImportRecord,
  refused: readonly RowProblem[],
  skipped: ImportAnswer['skipped'],
): Promise<ImportLeadsResult> {
  // The first request may have stopped between storing and sending: send the hint again (harmless).
  if (stored.status === 'QUEUED')
    await deps.importQueue.send({ schemaVersion: 1, importId: stored.importId });
  return answerOf(stored, refused, skipped, true);
}

function answerOf(
  record: LeadImportRecord,
  refused: readonly RowProblem[],
  skipped: ImportAnswer['skipped'],
  replayed: boolean,
): ImportLeadsResult {
  return {
    importId: record.importId,
    status: record.status,
    mode: record.mode,
    rowCount: record.rowCount,
    accepted: record.accepted,
    refused,
    skipped,
    replayed,
  };
}

/** `第5行 项目名称`: a refused row's errors as the fields of a problem. */
function rowFieldProblems(refused: readonly RowProblem[]) {
  return refused.flatMap((row) =>
    row.errors.map((error) => ({ field: `第${row.row}行 ${error.column}`, message: error.message })),
  );
}

type CheckedRow =
  | { readonly kind: 'skipped' }
  | { readonly kind: 'refused'; readonly problem: RowProblem }
  | { readonly kind: 'valid'; readonly row: number; readonly body: Record<string, unknown> };

/** A row as POST /leads would take its body: the lead schema with the configured sectors, then the team. */
function checkRow(
  row: SheetRow,
  columns: readonly LeadColumn[],
  team: readonly string[],
  sectors: readonly Sector[] | undefined,
): CheckedRow {
  if (row.isExample) return { kind: 'skipped' };
  const parsed = parseLead(row.body, sectors === undefined ? {} : { sectors });
  // A cell that could not be read is named once, by its own message, not again by the schema's "required".
  const unreadable = new Set(row.cellProblems.map((problem) => problem.field));
  const schemaProblems = parsed.ok
    ? []
    : parsed.problems
        .filter(
          (problem) =>
            ![...unreadable].some(
              (field) => problem.field === field || problem.field.startsWith(`${field}.`),
            ),
        )
        .map((problem) => ({ ...problem, column: columnOfField(columns, problem.field)?.header ?? '' }));
  const errors = [...row.cellProblems, ...schemaProblems];
  if (errors.length > 0 || !parsed.ok)
    return { kind: 'refused', problem: { row: row.row, status: 400, errors } };
  if (!team.includes(parsed.lead.sector)) {
    const sectorColumn = columnOfField(columns, 'sector')?.header ?? 'sector';
    return {
      kind: 'refused',
      problem: {
        row: row.row,
        status: 403,
        errors: [
          {
            field: 'sector',
            column: sectorColumn,
            message: {
              zh: `${parsed.lead.sector} 专班的线索只能由该专班导入。`,
              en: `A lead for sector ${parsed.lead.sector} can only be imported by that sector's team.`,
            },
          },
        ],
      },
    };
  }
  return { kind: 'valid', row: row.row, body: row.body };
}

export interface GetImportDeps {
  readonly imports: LeadImportStore;
}

/** An import and its progress; only its own sector team may read it (any other caller: not found). */
export async function getImport(
  deps: GetImportDeps,
  query: { readonly principal: Principal; readonly importId: string },
): Promise<ImportView> {
  const record = await deps.imports.get(query.importId);
  const team = new Set(sectorsOf(query.principal));
  if (record === undefined || !record.team.every((sector) => team.has(sector))) {
    throw new NotFoundError({
      zh: `没有编号为 ${query.importId} 的本专班导入。`,
      en: `No import ${query.importId} of your sector team.`,
    });
  }
  const existing = await deps.imports.existingLeads(record.accepted.map((row) => row.leadId));
  return {
    importId: record.importId,
    status: record.status,
    mode: record.mode,
    rowCount: record.rowCount,
    createdAt: record.createdAt,
    completedAt: record.completedAt,
    accepted: record.accepted.map((row) => ({ ...row, created: existing.has(row.leadId) })),
    refusedRows: record.refusedRows,
    skippedRows: record.skippedRows,
  };
}
