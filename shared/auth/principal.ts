/**
 * Who is calling, read from the JWT claims that API Gateway's authorizer (or the local gateway, which
 * behaves the same) has already verified. Cognito groups are the roles: `sector-<code>`, `finance`,
 * `auditor`, `admin`; inside the code a sector role reads `sector:<code>`.
 */

export type Role = `sector:${string}` | 'finance' | 'auditor' | 'admin';

export interface Principal {
  readonly userId: string;
  readonly roles: readonly Role[];
}

const GROUP_PATTERN = /^(sector-[a-z][a-z0-9_]{1,39}|finance|auditor|admin)$/;

/** API Gateway HTTP API passes array claims flattened to a string: `"[sector-food finance]"`. */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  const trimmed = claim.trim();
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return inner.split(/[\s,]+/).filter((group) => group.length > 0);
}

export function roleOfGroup(group: string): Role | undefined {
  if (!GROUP_PATTERN.test(group)) return undefined;
  return group.startsWith('sector-') ? `sector:${group.slice('sector-'.length)}` : (group as Role);
}

export function groupOfRole(role: Role): string {
  return role.startsWith('sector:') ? `sector-${role.slice('sector:'.length)}` : role;
}

export function principalFromClaims(
  claims: Readonly<Record<string, unknown>> | undefined,
): Principal | undefined {
  const userId = claims?.sub;
  if (typeof userId !== 'string' || userId.length === 0) return undefined;
  const roles = groupsOf(claims?.['cognito:groups'])
    .map(roleOfGroup)
    .filter((role): role is Role => role !== undefined);
  return { userId, roles };
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
export type RouteAccess = 'public' | readonly ('sector' | 'finance' | 'auditor' | 'admin')[];

/** The route's access by its API Gateway route key (`POST /leads`); undefined for an undeclared route. */
export type RouteAccessLookup = (routeKey: string) => RouteAccess | undefined;

export function mayCall(principal: Principal, allowed: Exclude<RouteAccess, 'public'>): boolean {
  return allowed.some((kind) =>
    kind === 'sector' ? sectorsOf(principal).length > 0 : principal.roles.includes(kind),
  );
}
