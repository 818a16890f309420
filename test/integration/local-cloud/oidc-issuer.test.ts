import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '#infra/local/local-cloud.ts';
import { jsonLog } from '#infra/local/log.ts';
import { localIdentityFromEnv } from '#infra/local/oidc-issuer.ts';

/**
 * Any OIDC issuer, not only Cognito (issue 19): a Keycloak-like provider on loopback (discovery document
 * and JWKS, RS256, roles in `realm_access.roles`) whose tokens the local stack accepts when `npm start`'s
 * settings name it, and refuses when they do not (the shared test stack trusts only the dev identity).
 */

const shared = inject('localCloud');
const CLIENT_ID = 'kfq-console';
const GROUP_ROLES = {
  'kfq-finance': 'finance',
  'kfq-audit': 'auditor',
  'kfq-admin': 'admin',
  'kfq-team-food': 'sector:food',
};

interface FakeProvider {
  readonly issuer: string;
  sign(claims: JWTPayload, options?: { kid?: string; key?: CryptoKey }): Promise<string>;
  stop(): Promise<void>;
}

/** A stand-in for Keycloak: `<issuer>/.well-known/openid-configuration` names `jwks_uri`, which serves one RSA key. */
async function startFakeProvider(): Promise<FakeProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server: Server = createServer((request, response) => {
    const body =
      request.url === '/realms/kfq/.well-known/openid-configuration'
        ? { issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }
        : request.url === '/realms/kfq/protocol/openid-connect/certs'
          ? { keys: [jwk] }
          : undefined;
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/kfq`;
  return {
    issuer,
    sign: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'JWT' })
        .sign(options.key ?? privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let provider: FakeProvider;
let cloud: LocalCloud;

beforeAll(async () => {
  provider = await startFakeProvider();
  // The settings exactly as `npm start` reads them from its environment.
  const settings = localIdentityFromEnv({
    KFQ_OIDC_ISSUER: provider.issuer,
    KFQ_OIDC_AUDIENCE: `${CLIENT_ID},kfq-cli`,
    AUTH_ROLES_CLAIM: 'realm_access.roles',
    AUTH_GROUP_ROLES: JSON.stringify(GROUP_ROLES),
  });
  cloud = await startLocalCloud({
    port: 0,
    log: jsonLog('error'),
    schedules: false,
    roleClaims: settings.roleClaims,
    ...(settings.oidc === undefined ? {} : { oidc: settings.oidc }),
  });
}, 90_000);

afterAll(async () => {
  await cloud?.stop();
  await provider?.stop();
});

const now = () => Math.floor(Date.now() / 1000);

/** An access token as Keycloak issues it, with an audience mapper for the console's client id. */
function keycloakClaims(roles: readonly string[], overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: provider.issuer,
    aud: CLIENT_ID,
    azp: CLIENT_ID,
    sub: 'f3b1c0de-0000-4000-8000-000000000001',
    preferred_username: 'li.wei',
    realm_access: { roles: [...roles, 'offline_access', 'uma_authorization'] },
    scope: 'openid profile',
    iat: now(),
    exp: now() + 300,
    ...overrides,
  };
}

const call = (baseUrl: string, path: string, token: string) =>
  fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('a non-Cognito OIDC issuer, roles in realm_access.roles', () => {
  it('is trusted by the local stack configured for it: the mapped group is the role', async () => {
    const finance = await provider.sign(keycloakClaims(['kfq-finance']));
    const rewards = await call(cloud.baseUrl, '/rewards', finance);
    expect(rewards.status).toBe(200);
    expect(cloud.identity.oidcIssuer).toBe(provider.issuer);

    const auditor = await provider.sign(keycloakClaims(['kfq-audit']));
    expect((await call(cloud.baseUrl, '/audit/verify', auditor)).status).toBe(200);
    const team = await provider.sign(keycloakClaims(['kfq-team-food']));
    expect((await call(cloud.baseUrl, '/leads?limit=5', team)).status).toBe(200);
  });

  it('grants only what the mapping names: another role is 403, an unmapped group or the Cognito claim nothing', async () => {
    const auditor = await provider.sign(keycloakClaims(['kfq-audit']));
    const forbidden = await call(cloud.baseUrl, '/rewards', auditor);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    // A group called plainly `finance` is not mapped: it grants nothing.
    const unmapped = await provider.sign(keycloakClaims(['finance']));
    expect((await call(cloud.baseUrl, '/rewards', unmapped)).status).toBe(403);
    // Roles are read from the configured claim only.
    const cognitoShaped = await provider.sign({
      ...keycloakClaims([]),
      realm_access: { roles: [] },
      'cognito:groups': ['finance', 'kfq-finance'],
    });
    expect((await call(cloud.baseUrl, '/rewards', cognitoShaped)).status).toBe(403);
  });

  it('checks the audience as API Gateway does: aud, or client_id when the token has no aud', async () => {
    const otherClient = await provider.sign(keycloakClaims(['kfq-finance'], { aud: 'account' }));
    expect((await call(cloud.baseUrl, '/rewards', otherClient)).status).toBe(401);
    const { aud: _none, ...withoutAud } = keycloakClaims(['kfq-finance']);
    const byClientId = await provider.sign({ ...withoutAud, client_id: 'kfq-cli' });
    expect((await call(cloud.baseUrl, '/rewards', byClientId)).status).toBe(200);
  });

  it('refuses an expired token and one signed by a key not in the issuer key set', async () => {
    const expired = await provider.sign(
      keycloakClaims(['kfq-finance'], { iat: now() - 900, exp: now() - 600 }),
    );
    expect((await call(cloud.baseUrl, '/rewards', expired)).status).toBe(401);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await provider.sign(keycloakClaims(['kfq-finance']), { key: privateKey });
    expect((await call(cloud.baseUrl, '/rewards', forged)).status).toBe(401);
    const unknownKid = await provider.sign(keycloakClaims(['kfq-finance']), { kid: 'rotated-away' });
    expect((await call(cloud.baseUrl, '/rewards', unknownKid)).status).toBe(401);
  });

  it('keeps the dev identity trusted beside it, issuing its tokens the same way (realm_access.roles, mapped group)', async () => {
    const token = await cloud.tokenFor('finance', 'fin-dev');
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as JWTPayload;
    expect(payload.realm_access).toEqual({ roles: ['kfq-finance'] });
    expect(payload['cognito:groups']).toBeUndefined();
    expect((await call(cloud.baseUrl, '/rewards', token)).status).toBe(200);
  });

  it('is refused by a local stack not configured for it (the shared test stack): 401 before any function runs', async () => {
    const finance = await provider.sign(keycloakClaims(['kfq-finance'], { aud: shared.audience }));
    const refused = await call(shared.baseUrl, '/rewards', finance);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: 'Unauthorized' });
  });
});
