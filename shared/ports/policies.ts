import type { Policy } from '#shared/policy/policy-schema.ts';

/** Published policy versions; never edited, only added. */
export interface PolicyStore {
  all(): Promise<readonly Policy[]>;
  publish(policy: Policy): Promise<'published' | 'version_exists'>;
}
