import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readStackEnv } from '../local/stack-file.ts';

/**
 * `npm run --silent cli -- backfill-lead-list [--data-dir DIR]`: gives the leads stored before the
 * `newestFirst` index its keys (shared/adapters/dynamodb/lead-list-backfill.ts). Against the running local
 * stack by default; in the cloud, with LEADS_TABLE and AWS credentials in the environment. Run it once
 * after the deployment that adds the index; running it again changes nothing.
 */
export async function run(args: string[]): Promise<number> {
  let values: { 'data-dir'?: string };
  try {
    ({ values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } }, strict: true }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const env = process.env.LEADS_TABLE === undefined ? readStackEnv(values['data-dir']) : process.env;
  const table = env?.LEADS_TABLE;
  if (env === undefined || table === undefined) {
    process.stderr.write(
      'No running local stack found (start it with `npm start`), and no LEADS_TABLE in the environment.\n',
    );
    return 2;
  }
  Object.assign(process.env, env);
  const { backfillLeadList } = await import('#shared/adapters/dynamodb/lead-list-backfill.ts');
  const client = new DynamoDBClient({});
  try {
    const { found, updated } = await backfillLeadList(client, table);
    process.stdout.write(
      `线索列表索引：找到 ${found} 条缺少索引键的线索，已补 ${updated} 条。\nLead list index: ${found} leads without its keys found, ${updated} given them.\n`,
    );
    return 0;
  } finally {
    client.destroy();
  }
}
