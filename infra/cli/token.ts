import { parseArgs } from 'node:util';
import { loadDevIdentity, parseDevRole } from '../local/dev-identity.ts';
import { localIdentityFromEnv } from '../local/oidc-issuer.ts';
import { readStackEnv } from '../local/stack-file.ts';

/**
 * `npm run --silent cli -- token --role <role> [--user <id>] [--ttl <seconds>] [--data-dir <dir>]`:
 * prints a DEV-ONLY JWT that the local stack accepts (same key file as `npm start`; pass the same
 * `--data-dir` as the stack if it was started with one). Prints the token and a newline, nothing else.
 * The caller's group goes in the claim the running stack reads roles from (its AUTH_ROLES_CLAIM and
 * AUTH_GROUP_ROLES; with no stack running, this shell's).
 */
export async function run(args: string[]): Promise<number> {
  let values: { role?: string; user?: string; ttl?: string; 'data-dir'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        role: { type: 'string' },
        user: { type: 'string' },
        ttl: { type: 'string' },
        'data-dir': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (values.role === undefined) {
    process.stderr.write(
      'usage: token --role <sector:<code>|finance|auditor|admin> [--user <id>] [--ttl <seconds>]\n',
    );
    return 2;
  }
  const parsed = parseDevRole(values.role);
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const ttlSeconds = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    process.stderr.write('--ttl must be a positive number of seconds\n');
    return 2;
  }
  if (values.user !== undefined && values.user.trim().length === 0) {
    process.stderr.write('--user must not be empty\n');
    return 2;
  }
  let token: string;
  try {
    const { roleClaims } = localIdentityFromEnv(readStackEnv(values['data-dir']) ?? process.env);
    const identity = await loadDevIdentity({
      ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
      roleClaims,
    });
    token = await identity.issue({
      role: parsed.role,
      ttlSeconds,
      ...(values.user === undefined ? {} : { userId: values.user }),
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`${token}\n`);
  return 0;
}
