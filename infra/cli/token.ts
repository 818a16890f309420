import { parseArgs } from 'node:util';
import { loadDevIdentity, parseDevRole } from '../local/dev-identity.ts';

/**
 * `npm run --silent cli -- token --role <role> [--user <id>] [--ttl <seconds>] [--data-dir <dir>]`:
 * prints a DEV-ONLY JWT that the local stack accepts (same key file as `npm start`; pass the same
 * `--data-dir` as the stack if it was started with one). Prints the token and a newline, nothing else.
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
  const identity = await loadDevIdentity(
    values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] },
  );
  const token = await identity.issue({
    role: parsed.role,
    ttlSeconds,
    ...(values.user === undefined ? {} : { userId: values.user }),
  });
  process.stdout.write(`${token}\n`);
  return 0;
}
