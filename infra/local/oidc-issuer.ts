import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import {
  COGNITO_ROLES_CLAIM,
  groupRolesText,
  parseGroupRoles,
  type RoleClaimSettings,
  RolesClaimSchema,
} from '#shared/auth/role-claims.ts';
import { IssuerKeysUnavailableError, type JwtAuthorizerConfig } from './http-gateway.ts';

/**
 * The local stack's sign-in settings, the same kind as the cloud's: an OIDC issuer the gateway trusts
 * beside the dev identity (for `npm start`: KFQ_OIDC_ISSUER, KFQ_OIDC_AUDIENCE, optional
 * KFQ_OIDC_JWKS_URI), and the claim and group → role mapping the handlers read roles with
 * (AUTH_ROLES_CLAIM, AUTH_GROUP_ROLES, as in the functions' environment in the cloud).
 */

export interface OidcIssuerSettings {
  /** Exactly the `iss` of its tokens. */
  readonly issuer: string;
  /** Client ids: a token's `aud` (or, without `aud`, its `client_id`) must be one of them. */
  readonly audience: readonly string[];
  /** Default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`, as API Gateway finds it. */
  readonly jwksUri?: string;
}

export interface LocalIdentitySettings {
  readonly roleClaims: RoleClaimSettings;
  readonly oidc?: OidcIssuerSettings;
}

/** The algorithms API Gateway's JWT authorizers accept (RSA and ECDSA; never HMAC, never `none`). */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;

/**
 * Reads the settings from an environment; throws naming the variable on a bad value. An issuer without an
 * audience (or the reverse) is refused: API Gateway's JWT authorizer needs both.
 */
export function localIdentityFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): LocalIdentitySettings {
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text === undefined || text.length === 0 ? undefined : text;
  };
  const claimText = value('AUTH_ROLES_CLAIM');
  const claim = claimText === undefined ? COGNITO_ROLES_CLAIM : RolesClaimSchema.safeParse(claimText);
  if (typeof claim !== 'string' && !claim.success) {
    throw new Error(`AUTH_ROLES_CLAIM: ${claim.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const mappingText = value('AUTH_GROUP_ROLES');
  let groupRoles: RoleClaimSettings['groupRoles'];
  if (mappingText !== undefined) {
    try {
      groupRoles = parseGroupRoles(mappingText);
    } catch (error) {
      throw new Error(`AUTH_GROUP_ROLES: ${(error as Error).message}`);
    }
  }
  const roleClaims: RoleClaimSettings = {
    claim: typeof claim === 'string' ? claim : claim.data,
    ...(groupRoles === undefined ? {} : { groupRoles }),
  };

  const issuer = value('KFQ_OIDC_ISSUER');
  const audience = value('KFQ_OIDC_AUDIENCE')
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  const jwksUri = value('KFQ_OIDC_JWKS_URI');
  if (issuer === undefined) {
    if (audience !== undefined || jwksUri !== undefined) {
      throw new Error('KFQ_OIDC_AUDIENCE and KFQ_OIDC_JWKS_URI need KFQ_OIDC_ISSUER');
    }
    return { roleClaims };
  }
  if (!URL.canParse(issuer)) throw new Error(`KFQ_OIDC_ISSUER: ${issuer} is not a URL`);
  if (audience === undefined || audience.length === 0) {
    throw new Error('KFQ_OIDC_AUDIENCE: name the client id(s) whose tokens the local stack accepts');
  }
  if (jwksUri !== undefined && !URL.canParse(jwksUri)) throw new Error(`KFQ_OIDC_JWKS_URI: not a URL`);
  return { roleClaims, oidc: { issuer, audience, ...(jwksUri === undefined ? {} : { jwksUri }) } };
}

/** The settings as the handlers' environment carries them. */
export function roleClaimsEnv(settings: RoleClaimSettings): Record<string, string> {
  return {
    AUTH_ROLES_CLAIM: settings.claim,
    ...(settings.groupRoles === undefined ? {} : { AUTH_GROUP_ROLES: groupRolesText(settings.groupRoles) }),
  };
}

/** Finds the key set as API Gateway does: the issuer's discovery document names `jwks_uri`. */
async function discoverJwksUri(issuer: string): Promise<string> {
  const discovery = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw new IssuerKeysUnavailableError(`${discovery}: ${(error as Error).message}`);
  }
  const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
    throw new IssuerKeysUnavailableError(`${discovery} names no jwks_uri`);
  }
  return jwksUri;
}

/**
 * The gateway's trust in an external OIDC issuer: keys fetched from its JWKS on first use (and again on
 * an unknown `kid`, which is how a provider's key rotation reaches us), audience as configured.
 */
export function oidcAuthorizer(settings: OidcIssuerSettings): JwtAuthorizerConfig {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const keySet = () => {
    keys ??= (
      settings.jwksUri === undefined ? discoverJwksUri(settings.issuer) : Promise.resolve(settings.jwksUri)
    )
      .then((uri) => createRemoteJWKSet(new URL(uri)))
      .catch((error: unknown) => {
        keys = undefined; // try again on the next token
        throw error;
      });
    return keys;
  };
  const key: JWTVerifyGetKey = async (header, token) => {
    const resolve = await keySet();
    try {
      return await resolve(header, token);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_JWKS_TIMEOUT' || error instanceof TypeError) {
        throw new IssuerKeysUnavailableError(`${settings.issuer}: ${(error as Error).message}`);
      }
      throw error;
    }
  };
  return { issuer: settings.issuer, audience: settings.audience, key, algorithms: [...OIDC_ALGORITHMS] };
}
