import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import {
  claimsForGroups,
  DEFAULT_ROLE_CLAIM_SETTINGS,
  type RoleClaimSettings,
} from '#shared/auth/role-claims.ts';
import { DEFAULT_SECTORS } from '#shared/domain/sectors.ts';
import { devIdentityDirectory } from './paths.ts';

/**
 * DEV ONLY. A local token issuer standing in for the deployment's identity provider, one more issuer of
 * the same kind: by default it signs ID tokens shaped like Cognito's (`cognito:groups`, `token_use: id`);
 * with other role-claim settings (AUTH_ROLES_CLAIM, AUTH_GROUP_ROLES) it puts the caller's group in that
 * claim, as the zone's OIDC provider would. ES256 key kept on disk in
 * `<data dir>/dev-identity/signing-key.json` (default `.data/dev-identity/`, gitignored). The key is
 * created by whichever of `npm start` or `cli token` runs first, so both agree without talking to each
 * other. Nothing here is used in the cloud, where API Gateway's JWT authorizer trusts the user pool or
 * the deployment's OIDC provider.
 */

export const DEV_ISSUER = 'https://dev-identity.kfq-incentives.local';
export const DEV_AUDIENCE = 'kfq-incentives-local';
export const DEV_ALGORITHM = 'ES256';

/** The default sector teams (configuration in `shared/domain/sectors.ts`). */
export const DEFAULT_SECTOR_CODES: readonly string[] = DEFAULT_SECTORS.map((sector) => sector.code);

export type DevRole = `sector:${string}` | 'finance' | 'finance-head' | 'auditor' | 'admin';

/** Checks a role name from the command line; returns an error message for a bad one. */
export function parseDevRole(
  input: string,
  sectorCodes: readonly string[] = DEFAULT_SECTOR_CODES,
): { role: DevRole } | { error: string } {
  if (input === 'finance' || input === 'finance-head' || input === 'auditor' || input === 'admin')
    return { role: input };
  if (input.startsWith('sector:')) {
    const code = input.slice('sector:'.length);
    if (sectorCodes.includes(code)) return { role: `sector:${code}` };
    return { error: `unknown sector "${code}"; known sectors: ${sectorCodes.join(', ')}` };
  }
  return { error: `unknown role "${input}"; use sector:<code>, finance, finance-head, auditor or admin` };
}

/**
 * The group that stands for a role: under a group → role mapping, the first group mapped to it; else our
 * own name (`sector:food` → `sector-food`). Throws when the mapping has no group for the role.
 */
export function groupOfDevRole(
  role: DevRole,
  settings: RoleClaimSettings = DEFAULT_ROLE_CLAIM_SETTINGS,
): string {
  if (settings.groupRoles !== undefined) {
    const group = [...settings.groupRoles].find(([, mapped]) => mapped === role)?.[0];
    if (group === undefined) {
      throw new Error(
        `the group → role mapping (AUTH_GROUP_ROLES) maps no group to ${role}: no dev token for it`,
      );
    }
    return group;
  }
  return role.startsWith('sector:') ? `sector-${role.slice('sector:'.length)}` : role;
}

export interface TokenRequest {
  readonly role: DevRole;
  readonly userId?: string;
  readonly ttlSeconds?: number;
}

export interface DevIdentity {
  readonly issuer: string;
  readonly audience: string;
  /** Where its tokens carry the caller's group (the deployment's setting). */
  readonly roleClaims: RoleClaimSettings;
  readonly keyFile: string;
  /** The public key, as the gateway's JWT authorizer uses it. */
  readonly verificationKey: CryptoKey;
  readonly publicJwk: JWK;
  issue(request: TokenRequest): Promise<string>;
  /** Signs arbitrary claims with the dev key (tests build expired or wrong-audience tokens with it). */
  sign(claims: JWTPayload): Promise<string>;
}

export function identityDirectory(dataDir?: string): string {
  return devIdentityDirectory(dataDir);
}

interface StoredKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  readonly note: string;
}

/** Reads the key pair, creating it atomically (link fails if another process won the race) if absent. */
async function loadOrCreateKey(directory: string): Promise<StoredKey> {
  const file = join(directory, 'signing-key.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(directory, { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const stored: StoredKey = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: DEV_ALGORITHM },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: DEV_ALGORITHM },
    note: 'DEV ONLY: local token issuer key for the local cloud. Never use it anywhere else.',
  };
  const temporary = `${file}.${process.pid}.${kid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
}

export async function loadDevIdentity(
  options: {
    readonly dataDir?: string;
    readonly issuer?: string;
    readonly audience?: string;
    readonly roleClaims?: RoleClaimSettings;
  } = {},
): Promise<DevIdentity> {
  const roleClaims = options.roleClaims ?? DEFAULT_ROLE_CLAIM_SETTINGS;
  const cognitoShaped = roleClaims.claim === DEFAULT_ROLE_CLAIM_SETTINGS.claim;
  const directory = identityDirectory(options.dataDir);
  const stored = await loadOrCreateKey(directory);
  const issuer = options.issuer ?? DEV_ISSUER;
  const audience = options.audience ?? DEV_AUDIENCE;
  const privateKey = await importJWK(stored.privateJwk, DEV_ALGORITHM);
  const verificationKey = await importJWK(stored.publicJwk, DEV_ALGORITHM);
  if (verificationKey instanceof Uint8Array) throw new Error('dev identity: public key did not import');

  const sign = (claims: JWTPayload) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: DEV_ALGORITHM, kid: stored.kid, typ: 'JWT' })
      .sign(privateKey);

  return {
    issuer,
    audience,
    roleClaims,
    keyFile: join(directory, 'signing-key.json'),
    verificationKey,
    publicJwk: stored.publicJwk,
    sign,
    issue: async ({ role, userId, ttlSeconds = 3600 }) => {
      const now = Math.floor(Date.now() / 1000);
      const user = userId ?? `dev-${role.replace(':', '-')}`;
      const groups = claimsForGroups(roleClaims, [groupOfDevRole(role, roleClaims)]);
      return sign({
        iss: issuer,
        aud: audience,
        sub: user,
        ...groups,
        ...(cognitoShaped ? { 'cognito:username': user, token_use: 'id' } : { preferred_username: user }),
        iat: now,
        exp: now + ttlSeconds,
      });
    },
  };
}
