import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maskResidentId } from '#shared/domain/identifiers.ts';
import { httpEvent, lambdaContext, sqsEvent } from '#test/fixtures/events.ts';
import { makeValidResidentId, makeValidUscc } from '#test/fixtures/identifiers.ts';
import { leadInput } from '#test/fixtures/leads.ts';
import { eventually, useLocalCloudEnv } from '#test/support/api.ts';

/**
 * Logs are structured JSON without personal identifiers: a natural person's resident ID goes through
 * intake, a refusal and evaluation with every log line captured at DEBUG, and never appears whole.
 */

const captured: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);
const realErrorWrite = process.stderr.write.bind(process.stderr);

beforeAll(() => {
  useLocalCloudEnv();
  // Read when the logger is built: the handlers are imported below, after this.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  const capture = (chunk: unknown) => {
    captured.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
});

afterEach(() => {
  process.stdout.write = realWrite;
  process.stderr.write = realErrorWrite;
});

describe('the logs', () => {
  it('never carry a resident ID whole, on success, refusal or evaluation', async () => {
    const residentId = makeValidResidentId('371502', '19850412', '337');
    const seed = randomUUID()
      .replace(/[^0-9]/g, '')
      .padEnd(7, '5')
      .slice(0, 7);
    const lead = leadInput({
      sector: 'new_materials',
      investor: { name: '聊城新材料科技有限公司', uscc: makeValidUscc(`91371500MA${seed}`) },
      introducer: { type: 'natural_person', name: '张三', residentId },
    });
    const claims = { sub: 'officer-pii', 'cognito:groups': '[sector-new_materials]' };
    const { handler: submit } = await import('#functions/submit-lead/handler.ts');
    const { handler: evaluate } = await import('#functions/evaluate-lead/handler.ts');

    const accepted = await submit(
      httpEvent({
        routeKey: 'POST /leads',
        body: lead,
        claims,
        headers: { 'idempotency-key': randomUUID() },
      }),
      lambdaContext('submit-lead'),
    );
    expect(accepted.statusCode).toBe(202);
    const { leadId } = JSON.parse(accepted.body ?? '{}') as { leadId: string };

    const wrongCheckDigit = `${residentId.slice(0, 17)}${residentId.endsWith('0') ? '1' : '0'}`;
    const refused = await submit(
      httpEvent({
        routeKey: 'POST /leads',
        body: { ...lead, introducer: { type: 'natural_person', name: '张三', residentId: wrongCheckDigit } },
        claims,
        headers: { 'idempotency-key': randomUUID() },
      }),
      lambdaContext('submit-lead'),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain(wrongCheckDigit);

    // The poller of the shared stack may evaluate it first; either way this delivery logs too.
    await evaluate(sqsEvent([{ schemaVersion: 1, leadId, revision: 1 }]), lambdaContext('evaluate-lead'));
    await eventually(async () =>
      captured.some((line) => line.includes('lead evaluated')) ? true : undefined,
    );

    const output = captured.join('');
    expect(output).toContain(leadId); // the logs do say what happened…
    expect(output).not.toContain(residentId); // …without the person's identifier
    expect(output).not.toContain(wrongCheckDigit);
    expect(maskResidentId(residentId)).not.toBe(residentId);
  });
});
