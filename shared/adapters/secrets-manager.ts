import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ReadSecret } from './identifier-keys.ts';

/**
 * A secret's text from Secrets Manager. The client is built on first use, not at module scope: a function
 * reads its secret once per execution environment, and its cold start should not pay for the client.
 */
export const readSecretsManagerSecret: ReadSecret = async (secretArn) => {
  const client = new SecretsManagerClient({ maxAttempts: 5 });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (SecretString === undefined) throw new Error(`Secret ${secretArn} holds no text (a binary secret?)`);
    return SecretString;
  } finally {
    client.destroy();
  }
};
