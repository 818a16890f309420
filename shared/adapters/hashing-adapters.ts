import { dynamoDbClient } from './aws-clients.ts';
import { productionAdapters } from './composition.ts';
import { DynamoPolicyStore } from './dynamodb/dynamo-policy-store.ts';
import { configuredIdentifierKeys } from './identifier-keys.ts';
import { readSecretsManagerSecret } from './secrets-manager.ts';

/**
 * The composition root of the functions that hash leads (intake, evaluation, the actual-investment report,
 * replay): every production adapter, and the identifier keyring read from its secret in the cloud. Apart
 * from composition.ts so that only these bundles carry the Secrets Manager client, as only these
 * functions are granted the secret (infra/resources.ts).
 */
export function keyedHashingAdapters() {
  const adapters = productionAdapters();
  return { ...adapters, identifierKeys: configuredIdentifierKeys(adapters.config, readSecretsManagerSecret) };
}

/**
 * For a replay: the policies read as stored on every call, never a version this process parsed before, so
 * a policy document changed in the table replays as changed (`policyHashMatches: false`).
 */
export function withPoliciesAsStored<T extends ReturnType<typeof keyedHashingAdapters>>(adapters: T): T {
  return {
    ...adapters,
    policies: new DynamoPolicyStore(dynamoDbClient, adapters.config.REFERENCE_TABLE, { reuseParsed: false }),
  };
}
