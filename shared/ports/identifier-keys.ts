import type { IdentifierKeyring } from '#shared/domain/identifier-keys.ts';

/**
 * The deployment's identifier keyring (shared/domain/identifier-keys.ts): a secret, read once per cold
 * start and kept in memory. Asked for only by the use cases that hash a lead.
 */
export interface IdentifierKeys {
  keyring(): Promise<IdentifierKeyring>;
}
