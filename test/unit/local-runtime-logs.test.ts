import { InvokeStore } from '@aws/lambda-invoke-store';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvoker, type LambdaHandler, type LocalFunction } from '#infra/local/lambda-runtime.ts';
import { withHttp } from '#shared/middleware/with-http.ts';
import { logger } from '#shared/observability.ts';
import { httpEvent } from '#test/fixtures/events.ts';

/**
 * Issue 12, defect 8: every handler of the local cloud runs in one Node process and shares the one
 * Powertools logger. Two different functions invoked at the same time must still each log their own
 * function_name, request id and keys, as they would in their own Lambda environments.
 */

const captured: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);

beforeEach(() => {
  captured.length = 0;
  process.stdout.write = ((chunk: unknown) => {
    captured.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});
afterEach(() => {
  process.stdout.write = realWrite;
});

/** Resolves once both functions have started, so each one's second line comes after the other's start. */
function rendezvous(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === parties) release();
    return all;
  };
}

describe('the local Lambda runtime', () => {
  it('gives each of two concurrent invocations of different functions its own function_name and keys', async () => {
    const bothStarted = rendezvous(2);
    // An HTTP function through the production middy chain, and a scheduled one built as the reconciler is.
    const httpFunction: LocalFunction = {
      id: 'function-http',
      timeoutSeconds: 5,
      handler: withHttp({ access: () => 'public' }, async () => {
        logger.appendKeys({ leadId: 'lead-of-http' });
        logger.info('step one', { expected: 'function-http' });
        await bothStarted();
        logger.info('step two', { expected: 'function-http' });
        return { statusCode: 200, body: { ok: true } };
      }) as LambdaHandler,
    };
    const scheduled = middy<ScheduledEvent, { ok: boolean }, Error, Context>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler(async () => {
        logger.appendKeys({ leadId: 'lead-of-scheduled' });
        logger.info('step one', { expected: 'function-scheduled' });
        await bothStarted();
        logger.info('step two', { expected: 'function-scheduled' });
        return { ok: true };
      });
    const scheduledFunction: LocalFunction = {
      id: 'function-scheduled',
      timeoutSeconds: 5,
      handler: scheduled as LambdaHandler,
    };
    // As the AWS SDK does on its first request, before any invocation: a single-context store appears.
    await InvokeStore.getInstanceAsync();
    const invoker = createInvoker({ region: 'cn-north-1', accountId: '000000000000' });

    const [answer] = await Promise.all([
      invoker.invoke(httpFunction, httpEvent({ routeKey: 'GET /anything' }), 'request-http'),
      invoker.invoke(scheduledFunction, {}, 'request-scheduled'),
    ]);
    expect(answer).toMatchObject({ statusCode: 200 });

    const lines = captured
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => typeof line.expected === 'string');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      const http = line.expected === 'function-http';
      expect(line, JSON.stringify(line)).toMatchObject({
        function_name: line.expected,
        function_request_id: http ? 'request-http' : 'request-scheduled',
        leadId: http ? 'lead-of-http' : 'lead-of-scheduled',
      });
      // The HTTP chain's own keys stay on its lines.
      expect(line.route).toBe(http ? 'GET /anything' : undefined);
    }
  });
});
