import * as z from 'zod';
import { SECTOR_CODE_PATTERN } from '#shared/domain/sectors.ts';
import { SECTOR_CODE } from '#shared/schemas/lead.ts';
import { LEAD_STATUSES } from '#shared/schemas/lead-record.ts';
import { oneOf } from '#shared/schemas/zod-text.ts';
import { cursorParam, instantParam, limitParam } from './query-params.ts';

/**
 * `GET /rewards` query parameters, parsed like the other list routes' (unknown parameters refused, each
 * bad one named). `from`/`to` bound the submission time (a month's leads: its first and last day). The
 * cursor is the store's own: the lead store checks it against the query it resumes.
 */
export const RewardsQuerySchema = z
  .object({
    status: z.enum(LEAD_STATUSES, { error: oneOf(LEAD_STATUSES) }).default('PENDING_FINANCE'),
    sector: z.string().regex(SECTOR_CODE_PATTERN, SECTOR_CODE).optional(),
    from: instantParam('start').optional(),
    to: instantParam('end').optional(),
    cursor: cursorParam.optional(),
    limit: limitParam,
  })
  .strict();
export type RewardsQuery = z.output<typeof RewardsQuerySchema>;
