/**
 * Who is calling, read from the JWT claims that API Gateway's authorizer (or the local gateway, which
 * behaves the same) has already verified. Groups are the roles: by default the Cognito groups
 * `sector-<code>`, `finance`, `auditor`, `admin` in `cognito:groups`; the claim and a group → role mapping
 * are settings of the deployment (shared/auth/role-claims.ts), for any OIDC provider. Inside the code a
 * sector role reads `sector:<code>`.
 */
import { getRoleClaimSettings } from '#shared/config.ts';
import { claimAt, groupsIn, type RoleClaimSettings } from './role-claims.ts';

/** `finance-head` (财政负责人): the second sign-off of an approval above the first tier (issue 17). */
export type Role = `sector:${string}` | 'finance' | 'finance-head' | 'auditor' | 'admin';

export interface Principal {
  readonly userId: string;
  readonly roles: readonly Role[];
}

const GROUP_PATTERN = /^(sector-[a-z][a-z0-9_]{1,39}|finance|finance-head|auditor|admin)$/;

export function roleOfGroup(group: string): Role | undefined {
  if (!GROUP_PATTERN.test(group)) return undefined;
  return group.startsWith('sector-') ? `sector:${group.slice('sector-'.length)}` : (group as Role);
}

export function groupOfRole(role: Role): string {
  return role.startsWith('sector:') ? `sector-${role.slice('sector:'.length)}` : role;
}

/**
 * The caller from verified claims: `sub`, and the roles of the groups in the configured claim (API Gateway
 * passes array claims flattened to a string, `"[sector-food finance]"`). Settings default to the
 * deployment's, read once from the configuration.
 */
export function principalFromClaims(
  claims: Readonly<Record<string, unknown>> | undefined,
  settings: RoleClaimSettings = getRoleClaimSettings(),
): Principal | undefined {
  const userId = claims?.sub;
  if (claims === undefined || typeof userId !== 'string' || userId.length === 0) return undefined;
  const { groupRoles } = settings;
  const roles = groupsIn(claimAt(claims, settings.claim))
    .map((group) => (groupRoles === undefined ? roleOfGroup(group) : groupRoles.get(group)))
    .filter((role): role is Role => role !== undefined);
  return { userId, roles: [...new Set(roles)] };
}

export function sectorsOf(principal: Principal): string[] {
  return principal.roles
    .filter((role) => role.startsWith('sector:'))
    .map((role) => role.slice('sector:'.length));
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role);
}

/** Who may call a route: `public` needs no token; `sector` means any sector team. */
export type RouteAccess = 'public' | readonly ('sector' | 'finance' | 'finance-head' | 'auditor' | 'admin')[];

/** The route's access by its API Gateway route key (`POST /leads`); undefined for an undeclared route. */
export type RouteAccessLookup = (routeKey: string) => RouteAccess | undefined;

export function mayCall(principal: Principal, allowed: Exclude<RouteAccess, 'public'>): boolean {
  return allowed.some((kind) =>
    kind === 'sector' ? sectorsOf(principal).length > 0 : principal.roles.includes(kind),
  );
}
