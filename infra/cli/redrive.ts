import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readStackEnv } from '../local/stack-file.ts';
import { queues } from '../resources.ts';

/**
 * `npm run --silent cli -- redrive [--queue Evaluation|Allocation] [--data-dir DIR]`: moves dead-lettered
 * messages back to their queue once the cause is fixed. Against the running local stack by default; in
 * the cloud, with the queue URLs and AWS credentials in the environment.
 */
export async function run(args: string[]): Promise<number> {
  let values: { queue?: string; 'data-dir'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { queue: { type: 'string' }, 'data-dir': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const chosen = queues.filter((queue) => values.queue === undefined || queue.id === values.queue);
  if (chosen.length === 0) {
    process.stderr.write(`--queue must be one of ${queues.map((queue) => queue.id).join(', ')}\n`);
    return 2;
  }
  const env =
    process.env[chosen[0]?.envVar ?? ''] === undefined ? readStackEnv(values['data-dir']) : process.env;
  if (env === undefined) {
    process.stderr.write(
      'No running local stack found (start it with `npm start`), and no queue URLs in the environment.\n',
    );
    return 2;
  }
  Object.assign(process.env, env);
  // Imported once the environment points at the right engines.
  const { redriveDeadLetters } = await import('#shared/adapters/sqs/redrive.ts');
  const client = new SQSClient({});
  for (const queue of chosen) {
    const sourceQueueUrl = env[queue.envVar];
    const deadLetterQueueUrl = env[queue.deadLetterQueue.envVar];
    if (sourceQueueUrl === undefined || deadLetterQueueUrl === undefined) {
      process.stderr.write(`${queue.id}: queue URLs missing from the environment\n`);
      return 2;
    }
    const { moved } = await redriveDeadLetters(client, { deadLetterQueueUrl, sourceQueueUrl });
    process.stdout.write(`${queue.id}: moved ${moved} message(s) from ${queue.deadLetterQueue.id} back\n`);
  }
  return 0;
}
