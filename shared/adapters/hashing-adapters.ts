import { productionAdapters } from './composition.ts';
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
