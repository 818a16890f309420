import { afterEach, describe, expect, it, vi } from 'vitest';
import { groupOfDevRole } from '#infra/local/dev-identity.ts';
import { localIdentityFromEnv } from '#infra/local/oidc-issuer.ts';
import { principalFromClaims } from '#shared/auth/principal.ts';
import {
  claimAt,
  claimsForGroups,
  groupRolesText,
  groupsIn,
  parseGroupRoles,
  type RoleClaimSettings,
} from '#shared/auth/role-claims.ts';

const KEYCLOAK: RoleClaimSettings = {
  claim: 'realm_access.roles',
  groupRoles: parseGroupRoles({ 'kfq-finance': 'finance', 'kfq-team-food': 'sector:food' }),
};

describe('roles from any OIDC provider (the claim and the group mapping are settings)', () => {
  it('reads a plain `groups` claim with our group names, as an array or flattened by API Gateway', () => {
    const settings = { claim: 'groups' };
    expect(principalFromClaims({ sub: 'u', groups: ['finance', 'sector-food'] }, settings)?.roles).toEqual([
      'finance',
      'sector:food',
    ]);
    expect(principalFromClaims({ sub: 'u', groups: '[finance sector-food]' }, settings)?.roles).toEqual([
      'finance',
      'sector:food',
    ]);
    // The Cognito claim is not read when another is configured.
    expect(principalFromClaims({ sub: 'u', 'cognito:groups': '[finance]' }, settings)?.roles).toEqual([]);
  });

  it('reads Keycloak realm roles nested in realm_access, whichever way the object reached the handler', () => {
    const forms: unknown[] = [
      { roles: ['kfq-finance', 'offline_access'] }, // the token itself
      '{"roles":["kfq-finance","offline_access"]}', // JSON text (the local gateway's flattening)
      '{roles=[kfq-finance, offline_access]}', // a map rendered as text
    ];
    for (const realmAccess of forms) {
      expect(
        principalFromClaims({ sub: 'u', realm_access: realmAccess }, KEYCLOAK),
        String(realmAccess),
      ).toEqual({ userId: 'u', roles: ['finance'] });
    }
  });

  it('counts only the groups the mapping names, maps many groups to one role once', () => {
    const settings: RoleClaimSettings = {
      claim: 'groups',
      groupRoles: parseGroupRoles({ '/kfq/finance': 'finance', '/kfq/treasury': 'finance' }),
    };
    expect(
      principalFromClaims(
        { sub: 'u', groups: ['/kfq/finance', '/kfq/treasury', 'admin', 'finance'] },
        settings,
      )?.roles,
    ).toEqual(['finance']);
  });

  it('takes a claim whose name has dots or a URL as one claim before any path', () => {
    const settings = { claim: 'https://zone.example.gov.cn/roles' };
    expect(
      principalFromClaims({ sub: 'u', 'https://zone.example.gov.cn/roles': ['auditor'] }, settings)?.roles,
    ).toEqual(['auditor']);
    expect(claimAt({ 'a.b': 'whole', a: { b: 'path' } }, 'a.b')).toBe('whole');
    expect(claimAt({ a: { b: 'path' } }, 'a.b')).toBe('path');
    expect(claimAt({ a: 'not an object' }, 'a.b')).toBeUndefined();
    expect(groupsIn('["a","b"]')).toEqual(['a', 'b']);
    expect(groupsIn('a, b c')).toEqual(['a', 'b', 'c']);
    expect(groupsIn(42)).toEqual([]);
  });

  it('issues dev tokens the way it reads them: the claim nested along its path, the mapped group', () => {
    const group = groupOfDevRole('sector:food', KEYCLOAK);
    expect(group).toBe('kfq-team-food');
    const claims = claimsForGroups(KEYCLOAK, [group]);
    expect(claims).toEqual({ realm_access: { roles: ['kfq-team-food'] } });
    expect(principalFromClaims({ sub: 'u', ...claims }, KEYCLOAK)?.roles).toEqual(['sector:food']);
    expect(claimsForGroups({ claim: 'cognito:groups' }, ['finance'])).toEqual({
      'cognito:groups': ['finance'],
    });
    expect(groupOfDevRole('sector:food')).toBe('sector-food');
    expect(() => groupOfDevRole('admin', KEYCLOAK)).toThrow(/maps no group to admin/);
  });

  it('refuses a mapping that is not JSON, names no group, or names something that is not a role', () => {
    expect(() => parseGroupRoles('finance')).toThrow(/not JSON/);
    expect(() => parseGroupRoles('{}')).toThrow(/at least one group/);
    expect(() => parseGroupRoles('{"kfq-boss":"superuser"}')).toThrow(/kfq-boss.*a role/);
    expect(() => parseGroupRoles('{"kfq-x":"sector:Food"}')).toThrow(/kfq-x/);
    expect(groupRolesText(parseGroupRoles('{"b":"admin","a":"finance"}'))).toBe(
      '{"a":"finance","b":"admin"}',
    );
  });
});

describe('the settings, read from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['AUTH_ROLES_CLAIM', 'AUTH_GROUP_ROLES']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    vi.resetModules();
  });

  it('are parsed once by the configuration, and a bad mapping names its variable', async () => {
    process.env.AUTH_ROLES_CLAIM = 'realm_access.roles';
    process.env.AUTH_GROUP_ROLES = '{"kfq-finance":"finance"}';
    vi.resetModules();
    const config = await import('#shared/config.ts');
    const settings = config.getRoleClaimSettings();
    expect(settings.claim).toBe('realm_access.roles');
    expect([...(settings.groupRoles ?? [])]).toEqual([['kfq-finance', 'finance']]);
    process.env.AUTH_ROLES_CLAIM = 'groups';
    expect(config.getRoleClaimSettings()).toBe(settings);

    process.env.AUTH_GROUP_ROLES = '{"kfq-finance":"cashier"}';
    vi.resetModules();
    const fresh = await import('#shared/config.ts');
    expect(() => fresh.getRoleClaimSettings()).toThrow(/AUTH_GROUP_ROLES: .*kfq-finance/);
  });

  it('default to Cognito without any variable', async () => {
    delete process.env.AUTH_ROLES_CLAIM;
    delete process.env.AUTH_GROUP_ROLES;
    vi.resetModules();
    const config = await import('#shared/config.ts');
    expect(config.getRoleClaimSettings()).toEqual({ claim: 'cognito:groups' });
  });

  it('for npm start: an issuer needs an audience, and every bad value is named', () => {
    expect(localIdentityFromEnv({})).toEqual({ roleClaims: { claim: 'cognito:groups' } });
    expect(
      localIdentityFromEnv({ KFQ_OIDC_ISSUER: 'https://sso.example/realms/kfq', KFQ_OIDC_AUDIENCE: 'a, b' }),
    ).toEqual({
      roleClaims: { claim: 'cognito:groups' },
      oidc: { issuer: 'https://sso.example/realms/kfq', audience: ['a', 'b'] },
    });
    expect(() => localIdentityFromEnv({ KFQ_OIDC_ISSUER: 'https://sso.example' })).toThrow(
      /KFQ_OIDC_AUDIENCE/,
    );
    expect(() => localIdentityFromEnv({ KFQ_OIDC_AUDIENCE: 'a' })).toThrow(/need KFQ_OIDC_ISSUER/);
    expect(() => localIdentityFromEnv({ KFQ_OIDC_ISSUER: 'not a url', KFQ_OIDC_AUDIENCE: 'a' })).toThrow(
      /KFQ_OIDC_ISSUER/,
    );
    expect(() => localIdentityFromEnv({ AUTH_ROLES_CLAIM: 'two words' })).toThrow(/AUTH_ROLES_CLAIM/);
    expect(() => localIdentityFromEnv({ AUTH_GROUP_ROLES: '[]' })).toThrow(/AUTH_GROUP_ROLES/);
  });
});
