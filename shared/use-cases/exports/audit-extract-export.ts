/**
 * `GET /audit/export?from=&to=&subject=&format=xlsx|csv` (auditors): the 审计摘录, the entries asked for
 * (newest first, as `GET /audit`) with their hashes, read page by page and written as they arrive. The
 * whole chain is verified first (`GET /audit/verify`) and its digest read (`GET /audit/digest`): the
 * sheet states both above the table; a CSV, which is one table, carries them in the response headers
 * `audit-verification` and `audit-digest` ({@link auditHeaders}).
 */
import * as z from 'zod';
import type { ChainVerification } from '#shared/domain/audit-chain.ts';
import { canonicalJson } from '#shared/domain/canonical-json.ts';
import { shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import type { AuditTrail } from '#shared/ports/audit-trail.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { ExportFile } from '#shared/ports/export-delivery.ts';
import type { AuditEntry } from '#shared/schemas/audit-entry.ts';
import type { Column } from '#shared/sheets/columns.ts';
import { AuditQuerySchema } from '#shared/use-cases/query-audit.ts';
import { checkRange, instantParam } from '#shared/use-cases/query-params.ts';
import {
  auditDigest,
  type Digest,
  type VerifiableAuditTrail,
  verifyAuditTrail,
} from '#shared/use-cases/verify-audit-trail.ts';
import { dayOfInstant, ExportFormatSchema, tableFile } from './export-format.ts';

export const AuditExportQuerySchema = z
  .object({
    from: instantParam('start').optional(),
    to: instantParam('end').optional(),
    subject: AuditQuerySchema.shape.subject,
    format: ExportFormatSchema,
  })
  .strict();
export type AuditExportQuery = z.output<typeof AuditExportQuerySchema>;

export interface AuditExtractDeps {
  readonly audit: VerifiableAuditTrail & Pick<AuditTrail, 'query'>;
  readonly clock: Clock;
  readonly zoneUnit: string;
}

const PAGE_SIZE = 500;

export const AUDIT_EXTRACT_COLUMNS: readonly Column<AuditEntry>[] = [
  { header: '序号', en: 'Sequence number', kind: 'count', value: (entry) => entry.seq },
  {
    header: '时间（UTC，原样）',
    en: 'At (UTC, as hashed)',
    kind: 'text',
    value: (entry) => entry.at,
    width: 26,
  },
  { header: '操作人', en: 'Actor', kind: 'text', value: (entry) => entry.actor.userId },
  { header: '角色', en: 'Role', kind: 'text', value: (entry) => entry.actor.role, width: 14 },
  { header: '操作', en: 'Action', kind: 'text', value: (entry) => entry.action, width: 22 },
  { header: '对象', en: 'Subject', kind: 'text', value: (entry) => entry.subject, width: 30 },
  {
    header: '策略版本',
    en: 'Policy version',
    kind: 'text',
    value: (entry) => entry.policyVersion,
    width: 12,
  },
  {
    header: '明细',
    en: 'Details (canonical JSON)',
    kind: 'text',
    value: (entry) => canonicalJson(entry.details),
    width: 40,
  },
  { header: '输入哈希', en: 'Input hash', kind: 'text', value: (entry) => entry.inputHash, width: 66 },
  { header: '前一哈希', en: 'Previous hash', kind: 'text', value: (entry) => entry.prevHash, width: 66 },
  { header: '哈希', en: 'Hash', kind: 'text', value: (entry) => entry.hash, width: 66 },
];

/** The entries asked for, newest first, one page at a time; the next page is read while this one is written. */
async function* auditRows(deps: AuditExtractDeps, query: AuditExportQuery): AsyncIterable<AuditEntry> {
  const pageAt = (cursor: string | undefined) =>
    deps.audit.query({
      ...(query.subject === undefined ? {} : { subject: query.subject }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(cursor === undefined ? {} : { cursor }),
      limit: PAGE_SIZE,
    });
  let next: ReturnType<typeof pageAt> | undefined = pageAt(undefined);
  while (next !== undefined) {
    const page: Awaited<ReturnType<typeof pageAt>> = await next;
    next = page.nextCursor === null || page.nextCursor === undefined ? undefined : pageAt(page.nextCursor);
    // If the writer stops first, a failure of this read must not surface as an unhandled rejection.
    next?.catch(() => undefined);
    yield* page.entries;
  }
}

function verificationLine(verification: ChainVerification): string {
  return verification.ok
    ? `校验结果：通过（整条审计链已校验 ${verification.checked} 条，链头序号 ${verification.head.seq}）`
    : `校验结果：未通过（自第 ${verification.firstBrokenSeq} 条起：${verification.reason}，${verification.detail}）`;
}

function digestLine(digest: Digest): string {
  return `摘要：链 ${digest.chain}，序号 ${digest.seq}，哈希 ${digest.hash}，读取于 ${digest.takenAt}`;
}

/** The verification result and the digest as ASCII header values (a CSV has no place above its table). */
export function auditHeaders(verification: ChainVerification, digest: Digest): Record<string, string> {
  const verified = verification.ok
    ? `ok; checked=${verification.checked}; headSeq=${verification.head.seq}`
    : `broken; checked=${verification.checked}; firstBrokenSeq=${verification.firstBrokenSeq}; reason=${verification.reason}`;
  return {
    'audit-verification': verified,
    'audit-digest': `chain=${encodeURIComponent(digest.chain)}; seq=${digest.seq}; hash=${digest.hash}; takenAt=${digest.takenAt}`,
  };
}

export async function exportAuditExtract(
  deps: AuditExtractDeps,
  query: AuditExportQuery,
): Promise<{ file: ExportFile; headers: Record<string, string> }> {
  checkRange(query.from, query.to);
  const digest = await auditDigest(deps);
  const verification = await verifyAuditTrail(deps);
  const today = shanghaiDateOf(deps.clock.now());
  const from = query.from === undefined ? '不限' : dayOfInstant(query.from);
  const to = query.to === undefined ? today : dayOfInstant(query.to);
  const scope = query.subject === undefined ? '' : `，对象 ${query.subject}`;
  const file = await tableFile(
    query.format,
    `审计摘录-${from}-${to}`,
    {
      title: `审计摘录（${from} 至 ${to}${scope}）`,
      unit: deps.zoneUnit,
      date: today,
      sheetName: '审计摘录',
      columns: AUDIT_EXTRACT_COLUMNS,
      preamble: [verificationLine(verification), digestLine(digest)],
    },
    auditRows(deps, query),
  );
  return { file, headers: auditHeaders(verification, digest) };
}
