import type { Policy } from '#shared/policy/policy-schema.ts';
import type { AuditEntryDraft } from '#shared/schemas/audit-entry.ts';

/** Published policy versions; never edited, only added. */
export interface PolicyStore {
  all(): Promise<readonly Policy[]>;
  publish(policy: Policy): Promise<'published' | 'version_exists'>;
}

/** Publishes a policy version together with its audit entry; an existing version is never touched. */
export interface PolicyPublisher {
  publishAudited(policy: Policy, audit: AuditEntryDraft): Promise<'published' | 'version_exists'>;
}
