import type { Config } from '#shared/config.ts';
import {
  type IdentifierKeyring,
  IdentifierKeyringError,
  parseIdentifierKeyring,
} from '#shared/domain/identifier-keys.ts';
import type { IdentifierKeys } from '#shared/ports/identifier-keys.ts';

/** Reads a secret's text by its ARN (shared/adapters/secrets-manager.ts). */
export type ReadSecret = (secretArn: string) => Promise<string>;

/**
 * The identifier keyring as configured (shared/config.ts): the keyring given in IDENTIFIER_KEYS (the local
 * cloud), or the secret named by IDENTIFIER_KEYS_SECRET_ARN, read with `readSecret` on first use and kept
 * for the life of the execution environment (a failed read is tried again on the next use). Only the
 * functions that hash leads are given a reader (and the IAM grant): the others' bundles carry no Secrets
 * Manager client, and asking them for the keyring in the cloud is a programming error.
 */
export function configuredIdentifierKeys(
  config: Pick<Config, 'IDENTIFIER_KEYS' | 'IDENTIFIER_KEYS_SECRET_ARN'>,
  readSecret?: ReadSecret,
): IdentifierKeys {
  const load = async (): Promise<IdentifierKeyring> => {
    if (config.IDENTIFIER_KEYS !== undefined) return parseIdentifierKeyring(config.IDENTIFIER_KEYS);
    const arn = config.IDENTIFIER_KEYS_SECRET_ARN;
    if (arn === undefined || readSecret === undefined) {
      throw new IdentifierKeyringError('this function is not given the identifier key secret');
    }
    return parseIdentifierKeyring(await readSecret(arn));
  };
  let loading: Promise<IdentifierKeyring> | undefined;
  return {
    keyring: () => {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return loading;
    },
  };
}
