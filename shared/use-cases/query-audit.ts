import * as z from 'zod';
import type { AuditTrail } from '#shared/ports/audit-trail.ts';
import { AuditEntrySchema } from '#shared/schemas/audit-entry.ts';
import { zodMessage } from '#shared/schemas/zod-text.ts';
import {
  checkRange,
  cursorParam,
  instantParam,
  limitParam,
  unwrapCursor,
  wrapCursor,
} from './query-params.ts';

export interface QueryAuditDeps {
  readonly audit: Pick<AuditTrail, 'query'>;
}

/** `GET /audit` query parameters: `subject` is a lead id (or another subject), `actor` a user id. */
export const AuditQuerySchema = z
  .object({
    subject: z.string().min(1).max(128).optional(),
    actor: z.string().min(1).max(128).optional(),
    action: z
      .string()
      .regex(
        /^[a-z][a-z0-9_.-]{0,63}$/,
        zodMessage({
          zh: '必须是操作名称，如 lead.received',
          en: 'must be an action name such as lead.received',
        }),
      )
      .optional(),
    from: instantParam('start').optional(),
    to: instantParam('end').optional(),
    cursor: cursorParam.optional(),
    limit: limitParam.optional(),
  })
  .strict();
export type AuditQueryParams = z.output<typeof AuditQuerySchema>;

export const AuditPageSchema = z.object({
  items: z.array(AuditEntrySchema),
  nextCursor: z.string().nullable(),
});
export type AuditPageView = z.infer<typeof AuditPageSchema>;

/** The audit history, newest first, filtered by subject, actor, action and period. */
export async function queryAudit(deps: QueryAuditDeps, query: AuditQueryParams): Promise<AuditPageView> {
  checkRange(query.from, query.to);
  const filters = {
    subject: query.subject,
    actor: query.actor,
    action: query.action,
    from: query.from,
    to: query.to,
  };
  const page = await deps.audit.query({
    ...filters,
    cursor: unwrapCursor(query.cursor, filters),
    limit: query.limit ?? 20,
  });
  return { items: [...page.entries], nextCursor: wrapCursor(page.nextCursor, filters) };
}
