/**
 * Which claim of a verified token carries the caller's groups, and how groups become our roles. A setting
 * of the deployment, not code: Cognito puts groups in `cognito:groups`; an external OIDC provider (a zone's
 * government single sign-on, Keycloak) in `groups`, in `realm_access.roles`, or in a namespaced claim.
 * Pure: no environment here (shared/config.ts reads the settings once; infra validates them at synth).
 */
import * as z from 'zod';
import { SECTOR_CODE_PATTERN } from '#shared/domain/sectors.ts';
import type { Role } from './principal.ts';

export interface RoleClaimSettings {
  /**
   * A claim name (`cognito:groups`, `groups`, `https://zone.example/roles`) or a dotted path into an
   * object claim (`realm_access.roles`). A claim with the whole name wins over the path.
   */
  readonly claim: string;
  /**
   * Group → role. Absent: groups carry our own names (`sector-<code>`, `finance`, `auditor`, `admin`).
   * Present: only the groups it names count, so a group that merely happens to be called `admin` in the
   * provider grants nothing.
   */
  readonly groupRoles?: ReadonlyMap<string, Role>;
}

export const COGNITO_ROLES_CLAIM = 'cognito:groups';
export const DEFAULT_ROLE_CLAIM_SETTINGS: RoleClaimSettings = { claim: COGNITO_ROLES_CLAIM };

const ROLE_PATTERN = new RegExp(
  `^(sector:${SECTOR_CODE_PATTERN.source.slice(1, -1)}|finance|finance-head|auditor|admin)$`,
);

export const RolesClaimSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s]+$/, 'a claim name or dotted path, without spaces');

/** `{"<group>": "<role>"}`, roles spelled as in the code: `sector:<code>`, `finance`, `auditor`, `admin`. */
export const GroupRolesSchema = z
  .record(
    z.string().min(1).max(256),
    z.string().regex(ROLE_PATTERN, 'a role: sector:<code>, finance, finance-head, auditor or admin'),
  )
  .refine((mapping) => Object.keys(mapping).length > 0, 'name at least one group');

/** Parses the group → role mapping from its JSON text (a setting); the error names the bad entry. */
export function parseGroupRoles(input: string | Readonly<Record<string, unknown>>): Map<string, Role> {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new Error('the group → role mapping is not JSON: expected {"<group>": "<role>", …}');
    }
  }
  const parsed = GroupRolesSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(mapping)'}: ${issue.message}`,
    );
    throw new Error(`the group → role mapping is invalid: ${problems.join('; ')}`);
  }
  return new Map(Object.entries(parsed.data) as [string, Role][]);
}

/** The mapping as the JSON text that carries it in settings (stable order). */
export function groupRolesText(mapping: ReadonlyMap<string, Role>): string {
  return JSON.stringify(Object.fromEntries([...mapping].sort(([a], [b]) => a.localeCompare(b))));
}

/**
 * A nested claim after API Gateway has flattened it to a string: JSON text, or the `{roles=[a, b]}` form
 * of a map; an object when it was never flattened (the local gateway keeps JSON text).
 */
function member(container: unknown, name: string): unknown {
  if (typeof container === 'object' && container !== null && !Array.isArray(container)) {
    return (container as Record<string, unknown>)[name];
  }
  if (typeof container !== 'string') return undefined;
  const text = container.trim();
  try {
    return member(JSON.parse(text), name);
  } catch {
    // Not JSON: the `{name=value, other=[a, b]}` rendering of a map.
  }
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`(?:^\\{|,\\s*)${escaped}=(\\[[^\\]]*\\]|[^,}]*)`).exec(text);
  return found?.[1];
}

/** The value of the configured claim: the claim of that whole name, else the dotted path into objects. */
export function claimAt(claims: Readonly<Record<string, unknown>>, claim: string): unknown {
  if (Object.hasOwn(claims, claim)) return claims[claim];
  const [first, ...rest] = claim.split('.');
  if (first === undefined || rest.length === 0) return undefined;
  let value: unknown = claims[first];
  for (const segment of rest) value = member(value, segment);
  return value;
}

/**
 * Group names from a claim value: an array, API Gateway's flattened `[a b]` (or `[a, b]`), a JSON array
 * in a string, or a space- or comma-separated string.
 */
export function groupsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return groupsIn(parsed);
    } catch {
      // API Gateway's `[a b]` is not JSON.
    }
  }
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return inner.split(/[\s,]+/).filter((group) => group.length > 0);
}

/**
 * The claims a token carries for these groups under these settings (the dev identity's tokens): the
 * groups under the claim name, or nested along its dotted path (`realm_access.roles` →
 * `{realm_access: {roles: [...]}}`). A name that is a URL or has a colon is one claim, never a path.
 */
export function claimsForGroups(
  settings: RoleClaimSettings,
  groups: readonly string[],
): Record<string, unknown> {
  const { claim } = settings;
  if (!claim.includes('.') || claim.includes(':')) return { [claim]: [...groups] };
  const segments = claim.split('.');
  let value: unknown = [...groups];
  for (const segment of segments.slice(1).reverse()) value = { [segment]: value };
  return { [segments[0] as string]: value };
}
