import * as z from 'zod';
import { hasRole, type Principal, sectorsOf } from '#shared/auth/principal.ts';
import { SECTOR_CODE_PATTERN } from '#shared/domain/sectors.ts';
import { ForbiddenError, ValidationError } from '#shared/errors.ts';
import type { LeadStore } from '#shared/ports/leads.ts';
import { SECTOR_CODE } from '#shared/schemas/lead.ts';
import { LEAD_STATUSES, type LeadRecord, LeadStatusSchema } from '#shared/schemas/lead-record.ts';
import { oneOf } from '#shared/schemas/zod-text.ts';
import {
  checkRange,
  cursorParam,
  instantParam,
  limitParam,
  unwrapCursor,
  wrapCursor,
} from './query-params.ts';

export interface ListLeadsDeps {
  readonly leads: Pick<LeadStore, 'list'>;
}

/** `GET /leads` query parameters (from/to on the submission time). */
export const ListLeadsQuerySchema = z
  .object({
    sector: z.string().regex(SECTOR_CODE_PATTERN, SECTOR_CODE).optional(),
    status: z.enum(LEAD_STATUSES, { error: oneOf(LEAD_STATUSES) }).optional(),
    from: instantParam('start').optional(),
    to: instantParam('end').optional(),
    cursor: cursorParam.optional(),
    limit: limitParam.optional(),
  })
  .strict();
export type ListLeadsQuery = z.output<typeof ListLeadsQuerySchema>;

/** One lead in a list: enough to pick it, nothing personal. */
export const LeadSummarySchema = z.object({
  leadId: z.string(),
  sector: z.string(),
  status: LeadStatusSchema,
  submittedAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  projectName: z.string(),
  investorName: z.string(),
  introducerType: z.string(),
  plannedInvestmentFen: z.number().int(),
  latestRevision: z.number().int().nonnegative(),
  duplicateOf: z.string().nullable(),
  evaluationFailed: z.boolean(),
});
export type LeadSummary = z.infer<typeof LeadSummarySchema>;

export const LeadListSchema = z.object({
  items: z.array(LeadSummarySchema),
  nextCursor: z.string().nullable(),
});
export type LeadList = z.infer<typeof LeadListSchema>;

/**
 * Lists leads newest first through the store's indexes. A sector team is held to its own sector:
 * without `sector` it gets its sector's leads, asking for another sector is 403 (not an empty list,
 * which would read as "that sector has no leads").
 */
export async function listLeads(
  deps: ListLeadsDeps,
  command: { readonly principal: Principal; readonly query: ListLeadsQuery },
): Promise<LeadList> {
  const { query } = command;
  checkRange(query.from, query.to);
  const sector = scopedSector(command.principal, query.sector);
  const filters = { sector, status: query.status, from: query.from, to: query.to };
  const page = await deps.leads.list({
    ...filters,
    cursor: unwrapCursor(query.cursor, filters),
    limit: query.limit ?? 20,
  });
  return { items: page.leads.map(summaryOf), nextCursor: wrapCursor(page.nextCursor, filters) };
}

function scopedSector(principal: Principal, asked: string | undefined): string | undefined {
  if (hasRole(principal, 'finance') || hasRole(principal, 'auditor')) return asked;
  const own = sectorsOf(principal);
  if (asked !== undefined) {
    if (!own.includes(asked)) {
      throw new ForbiddenError({
        zh: `专班 ${asked} 不是您所属的专班：招商专班只能查看本专班的线索。`,
        en: `Sector ${asked} is not yours: a sector team lists its own sector's leads only.`,
      });
    }
    return asked;
  }
  if (own.length === 1) return own[0];
  throw new ValidationError([
    {
      field: 'sector',
      message: {
        zh: `必填：您的令牌属于多个专班（${own.join('、')}）`,
        en: `is required: your token holds several sectors (${own.join(', ')})`,
      },
    },
  ]);
}

function summaryOf(record: LeadRecord): LeadSummary {
  return {
    leadId: record.leadId,
    sector: record.sector,
    status: record.status,
    submittedAt: record.submittedAt,
    updatedAt: record.updatedAt,
    projectName: record.lead.projectName,
    investorName: record.lead.investor.name,
    introducerType: record.lead.introducer.type,
    plannedInvestmentFen: record.lead.plannedInvestment,
    latestRevision: record.latestRevision,
    duplicateOf: record.duplicateOf,
    evaluationFailed: record.evaluationFailure !== null,
  };
}
