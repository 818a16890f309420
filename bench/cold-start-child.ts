/**
 * Runs in a fresh Node process per sample: imports one bundle and answers one event, then prints the
 * timings on a marker line. Started by bench/cold-start.ts; not meant to be run by hand.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile, functionId] = process.argv.slice(2);
if (bundle === undefined || eventFile === undefined)
  throw new Error('usage: cold-start-child <bundle> <event>');
const event: unknown = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  functionName: functionId ?? 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws-cn:lambda:cn-north-1:000000000000:function:${functionId ?? 'bench'}`,
  memoryLimitInMB: '512',
  awsRequestId: 'bench-request',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
};

const started = performance.now();
const module = (await import(pathToFileURL(bundle).href)) as {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
};
const imported = performance.now();
let outcome: string;
try {
  const result = (await module.handler(event, context)) as {
    statusCode?: number;
    batchItemFailures?: unknown[];
  };
  outcome =
    result?.statusCode !== undefined
      ? `HTTP ${result.statusCode}`
      : result?.batchItemFailures !== undefined
        ? `${result.batchItemFailures.length} batch item failure(s)`
        : JSON.stringify(result);
} catch (error) {
  outcome = `threw ${(error as Error).name}`;
}
const answered = performance.now();
process.stderr.write(
  `@@BENCH ${JSON.stringify({ importMs: imported - started, invokeMs: answered - imported, totalMs: answered - started, outcome, uptimeMs: process.uptime() * 1000 })}\n`,
);
process.exit(0);
