/**
 * The one HTTP test client: a user's view of the local cloud (signed dev tokens, JSON calls to the
 * gateway, lead submission and waiting for evaluation), plus what tests beside it need: the local
 * cloud's environment for handlers imported in-process, polling, and the few direct store handles (the
 * default policy, a separate audit chain). Shared by `test/e2e` and `test/integration`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { type DevIdentity, type DevRole, loadDevIdentity } from '#infra/local/dev-identity.ts';
import { DynamoPolicyStore } from '#shared/adapters/dynamodb/dynamo-policy-store.ts';
import { USCC_ALPHABET } from '#shared/domain/identifiers.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import type { LeadInput } from '#shared/schemas/lead.ts';
import { makeValidUscc } from '#test/fixtures/identifiers.ts';
import { leadInput } from '#test/fixtures/leads.ts';

export const cloud = inject('localCloud');

let identity: Promise<DevIdentity> | undefined;

/** A dev token for a role, as `cli token` prints it; a user of its own unless one is named. */
export async function tokenFor(
  role: DevRole,
  userId = `${role.replace(':', '-')}-${randomUUID().slice(0, 8)}`,
): Promise<string> {
  identity ??= loadDevIdentity();
  return (await identity).issue({ role, userId });
}

export interface ApiAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface ApiCall {
  readonly token?: string | undefined;
  /** Sent as JSON; a string is sent as it is (to send malformed JSON, say). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One call to the local gateway; the answer's body parsed as JSON when it is JSON (`{}` when empty). */
export async function api<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: ApiCall = {},
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${cloud.baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = {};
  try {
    if (text !== '') body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** Copies the local cloud's environment into this worker, so adapters and handlers reach its engines. */
export function useLocalCloudEnv(): void {
  Object.assign(process.env, cloud.env);
}

/** Polls until `probe` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A random valid USCC, so every test's investor (and so its project) is its own. */
export function randomUscc(): string {
  const bytes = randomBytes(17);
  const seed = [...bytes].map((byte) => USCC_ALPHABET[byte % USCC_ALPHABET.length]).join('');
  return makeValidUscc(`9137${seed.slice(4)}`);
}

/** A valid lead for a sector, with an investor nobody else used. */
export function freshLead(sector: string, overrides: Partial<LeadInput> = {}): LeadInput {
  return leadInput({
    sector,
    projectName: `测试项目 ${randomUUID().slice(0, 8)}`,
    investor: { name: '聊城测试投资有限公司', uscc: randomUscc() },
    ...overrides,
  });
}

export async function submit(token: string, lead: LeadInput, key = randomUUID()): Promise<string> {
  const answer = await api<{ leadId: string; status: string }>('POST', '/leads', {
    token,
    body: lead,
    headers: { 'idempotency-key': key },
  });
  if (answer.status !== 202) throw new Error(`submit: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.leadId;
}

const SETTLED = new Set(['PENDING_FINANCE', 'PENDING_CASE_REVIEW']);

/** Polls GET /leads/{id} until the pipeline has evaluated the lead (about a second locally). */
export async function waitForEvaluation(token: string, leadId: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await api<{ status: string }>('GET', `/leads/${leadId}`, { token });
    if (answer.status === 200 && SETTLED.has(answer.body.status)) return answer;
    if (Date.now() > deadline) {
      throw new Error(
        `lead ${leadId} not evaluated in ${timeoutMs} ms: ${answer.status} ${answer.body.status}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** A DynamoDB client on the local engine, with the handlers' credentials and region. */
export function localDynamoDb(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: cloud.endpoints.dynamodb,
    region: cloud.env.AWS_REGION ?? 'cn-north-1',
    credentials: {
      accessKeyId: cloud.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: cloud.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  });
}

export function tableName(envVar: 'LEADS_TABLE' | 'AUDIT_TABLE' | 'REFERENCE_TABLE'): string {
  const name = cloud.env[envVar];
  if (name === undefined) throw new Error(`the local cloud sets no ${envVar}`);
  return name;
}

/** Publishes kfq-2019 unless a seeder already did ('version_exists' then). */
export async function ensureDefaultPolicy(client: DynamoDBClient): Promise<void> {
  await new DynamoPolicyStore(client, tableName('REFERENCE_TABLE')).publish(DEFAULT_POLICY);
}
