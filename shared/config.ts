import * as z from 'zod';
import {
  COGNITO_ROLES_CLAIM,
  parseGroupRoles,
  type RoleClaimSettings,
  RolesClaimSchema,
} from '#shared/auth/role-claims.ts';

/**
 * Who the caller is, from the claims the authorizer verified (shared/auth/principal.ts): the claim that
 * carries the caller's groups (`cognito:groups` for the Cognito user pool; `groups`, `realm_access.roles`
 * or whatever the deployment's OIDC provider uses) and, optionally, how its groups map to our roles
 * (JSON `{"<group>": "<role>"}`; without it groups carry our names: sector-<code>, finance, auditor, admin).
 */
function identitySchemaShape() {
  return {
    AUTH_ROLES_CLAIM: RolesClaimSchema.default(COGNITO_ROLES_CLAIM),
    AUTH_GROUP_ROLES: z.string().min(1).optional(),
  };
}

/**
 * The only reader of `process.env`. Local and cloud differ by these values, never by code paths:
 * the AWS SDK itself reads `AWS_REGION` and the endpoint overrides `AWS_ENDPOINT_URL_DYNAMODB` /
 * `AWS_ENDPOINT_URL_SQS`, which the local cloud sets to point the same clients at its engines.
 */
const ConfigSchema = z.object({
  AWS_REGION: z.string().min(1).default('cn-north-1'),
  LEADS_TABLE: z.string().min(1),
  AUDIT_TABLE: z.string().min(1),
  FUNDS_TABLE: z.string().min(1),
  PROJECTS_TABLE: z.string().min(1),
  REFERENCE_TABLE: z.string().min(1),
  EVALUATION_QUEUE_URL: z.string().url(),
  EVALUATION_DLQ_URL: z.string().url(),
  ALLOCATION_QUEUE_URL: z.string().url(),
  ALLOCATION_DLQ_URL: z.string().url(),
  /** Lead imports (issue 16): hints that an import has rows to turn into leads. */
  LEAD_IMPORT_QUEUE_URL: z.string().url(),
  LEAD_IMPORT_DLQ_URL: z.string().url(),
  /** Name of the audit trail; one per deployment (its chains are `<name>` and `<name>.<shard>`). */
  AUDIT_CHAIN: z.string().min(1).default('main'),
  /**
   * Hash chains the audit trail spreads over by a hash of each entry's subject (issue 18), so writers
   * for different subjects never race for one head. 1 is the single chain of before. Raise it freely
   * (a subject's older entries stay verifiable in the shard they were written to, since every chain up
   * to the setting is read); never lower it below what a digest names, or verification reports it.
   */
  AUDIT_SHARDS: z.coerce.number().int().min(1).max(256).default(32),
  /** Days each global audit digest stays locked (S3 Object Lock, compliance mode) in the digest bucket. */
  AUDIT_DIGEST_RETENTION_DAYS: z.coerce.number().int().positive().default(3650),
  /** In the cloud, the Object Lock bucket global audit digests go to; locally a folder stands in. */
  AUDIT_DIGEST_BUCKET: z.string().min(1).optional(),
  AUDIT_DIGEST_DIR: z.string().min(1).optional(),
  /**
   * The reconciler (functions/reconcile) sends again work that has waited in the tables longer than
   * this: a lead to evaluate, a decision whose allocation is not applied. Far longer than a message
   * takes; at most one round's interval (1 min), so the second round after a lost message sends it.
   */
  RECONCILE_AFTER_SECONDS: z.coerce.number().int().nonnegative().default(60),
  /** At most this many items of each kind are sent again per run, oldest first (the rest next run). */
  RECONCILE_BATCH: z.coerce.number().int().positive().default(500),
  /**
   * An item sent again is not sent again before RECONCILE_AFTER_SECONDS × 2^(times sent − 1), capped
   * here: work that keeps failing (a poison message) neither loops nor holds up the rest.
   */
  RECONCILE_MAX_BACKOFF_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Lambda sets this; the local cloud sets it to the function id. */
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default('kfq-incentives'),
  /**
   * The identifier keyring (the HMAC keys of personal identifiers inside hashes, see
   * shared/domain/identifier-keys.ts), exactly one of: in the cloud the ARN of the Secrets Manager secret
   * holding it (read once per cold start by the functions granted it); in the local cloud the keyring
   * itself, from the dev identity folder.
   */
  IDENTIFIER_KEYS_SECRET_ARN: z.string().min(1).optional(),
  IDENTIFIER_KEYS: z.string().min(1).optional(),
  /**
   * Exports (issue 16). In the cloud, the bucket a file too big for a Lambda response goes to (6 MB
   * payload, base64 makes a file 4/3 larger): above EXPORT_INLINE_MAX_BYTES of file the API answers
   * 303 with a pre-signed GET URL that expires after EXPORT_LINK_SECONDS (at most 15 minutes). The local
   * cloud sets no bucket: its gateway has no size limit, so every export is answered inline.
   */
  EXPORTS_BUCKET: z.string().min(1).optional(),
  EXPORT_INLINE_MAX_BYTES: z.coerce.number().int().positive().max(4_500_000).default(4_000_000),
  EXPORT_LINK_SECONDS: z.coerce.number().int().positive().max(900).default(900),
  /** 填报单位 on a zone-wide sheet (a sector team's own sheet names its 专班). */
  EXPORT_UNIT: z.string().min(1).default('开发区管委会'),
  ...identitySchemaShape(),
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

/** Parsed once, on first use; throws a readable error naming every missing or bad variable. */
export function getConfig(): Config {
  if (cached === undefined) {
    const parsed = ConfigSchema.safeParse(process.env);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`Invalid configuration: ${fields.join('; ')}`);
    }
    if (
      (parsed.data.IDENTIFIER_KEYS_SECRET_ARN === undefined) ===
      (parsed.data.IDENTIFIER_KEYS === undefined)
    ) {
      throw new Error(
        'Invalid configuration: set exactly one of IDENTIFIER_KEYS_SECRET_ARN (cloud) and IDENTIFIER_KEYS (local cloud)',
      );
    }
    // A bad group → role mapping fails here, at the first use of the configuration, not on a first call.
    getRoleClaimSettings();
    cached = parsed.data;
  }
  return cached;
}

let cachedRoleClaims: RoleClaimSettings | undefined;

/**
 * The role-claim settings, parsed once, on first use, from `AUTH_ROLES_CLAIM` and `AUTH_GROUP_ROLES` only
 * (they are needed where the rest of the configuration is not: the principal of every HTTP call).
 */
export function getRoleClaimSettings(): RoleClaimSettings {
  if (cachedRoleClaims === undefined) {
    const parsed = z.object(identitySchemaShape()).safeParse(process.env);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`Invalid configuration: ${fields.join('; ')}`);
    }
    let groupRoles: RoleClaimSettings['groupRoles'];
    try {
      groupRoles =
        parsed.data.AUTH_GROUP_ROLES === undefined
          ? undefined
          : parseGroupRoles(parsed.data.AUTH_GROUP_ROLES);
    } catch (error) {
      throw new Error(`Invalid configuration: AUTH_GROUP_ROLES: ${(error as Error).message}`);
    }
    cachedRoleClaims = {
      claim: parsed.data.AUTH_ROLES_CLAIM,
      ...(groupRoles === undefined ? {} : { groupRoles }),
    };
  }
  return cachedRoleClaims;
}
