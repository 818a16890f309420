/**
 * Runs in a fresh Node process per export: imports the export's handler (on the local cloud's engines,
 * through the environment the parent passes) and answers one API Gateway event, then prints the time and
 * the process's peak resident set size on a marker line. Started by bench/exports.ts.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [entry, eventFile] = process.argv.slice(2);
if (entry === undefined || eventFile === undefined) throw new Error('usage: exports-child <entry> <event>');
const event: unknown = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  functionName: 'bench-export',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:000000000000:function:bench-export',
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '1024',
  awsRequestId: 'bench-request',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 29_000,
};
const module = (await import(pathToFileURL(entry).href)) as {
  handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;
};
const rssBefore = process.resourceUsage().maxRSS;
// What the resident set is made of at its highest sample: the V8 heap, buffers outside it, the rest.
let peak = process.memoryUsage();
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > peak.rss) peak = now;
}, 10);
const started = performance.now();
const result = await module.handler(event, context);
const ms = performance.now() - started;
clearInterval(sampler);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const atPeak = {
  rss: mb(peak.rss),
  heapTotal: mb(peak.heapTotal),
  heapUsed: mb(peak.heapUsed),
  external: mb(peak.external),
};
process.stderr.write(
  `@@BENCH ${JSON.stringify({ status: result.statusCode, ms, bodyChars: result.body?.length ?? 0, maxRssKb: process.resourceUsage().maxRSS, rssBeforeKb: rssBefore, atPeak })}\n`,
);
process.exit(0);
