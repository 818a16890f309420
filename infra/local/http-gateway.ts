import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  type CryptoKey,
  decodeJwt,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import type { LocalFunction } from './lambda-runtime.ts';
import { errorFields, type LocalLog } from './log.ts';

/**
 * The local stand-in for API Gateway HTTP API: payload format 2.0 events, a JWT authorizer that answers
 * 401 before any function runs, and API Gateway's own answers for what never reaches a function
 * (404 unknown route, 413 over 10 MB, 500 when the function fails).
 */

/** Payload 2.0 event; `authorizer.jwt` is present on protected routes, as API Gateway's JWT authorizer sends it. */
export type LocalHttpEvent = Omit<APIGatewayProxyEventV2, 'requestContext'> & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] | null } };
  };
};

export interface GatewayRoute {
  readonly method: string;
  /** API Gateway route path: literal segments, `{param}`, and a final greedy `{proxy+}`. */
  readonly path: string;
  readonly access: 'public' | readonly string[];
  readonly fn: LocalFunction;
}

/** One issuer the authorizer trusts: its tokens must name one of its audiences and verify with its keys. */
export interface JwtAuthorizerConfig {
  readonly issuer: string;
  /** As API Gateway: the token's `aud` must be one of these, or, when it has no `aud`, its `client_id`. */
  readonly audience: string | readonly string[];
  /** A key (the dev identity), or a key set resolved per token (an OIDC provider's JWKS). */
  readonly key: CryptoKey | JWTVerifyGetKey;
  readonly algorithms: readonly string[];
}

export interface HttpGatewayOptions {
  readonly host?: string;
  readonly port: number;
  readonly routes: readonly GatewayRoute[];
  /** The issuers trusted, chosen by the token's `iss` (API Gateway trusts one; the local cloud may add more). */
  readonly authorizer: JwtAuthorizerConfig | readonly JwtAuthorizerConfig[];
  readonly invoke: (fn: LocalFunction, event: LocalHttpEvent, requestId: string) => Promise<unknown>;
  readonly accountId: string;
  readonly log: LocalLog;
  /**
   * Milliseconds to hold the answer to a write (any method but GET/HEAD) after the function returned.
   * DynamoDB Local acknowledges a transaction a few milliseconds before it is durable on disk (a SIGKILL
   * 1–6 ms after the answer lost it; 10 ms or more after, never — measured by the crash loop), where
   * DynamoDB is durable when it answers. On a data dir the local cloud waits this long, so no client is
   * told "accepted" about a write a power cut can still take back.
   */
  readonly writeAckDelayMs?: number;
  /**
   * What the gateway answers itself before any route: the console's files and DEV-ONLY sign-in
   * (`console-site.ts`), local-only, never routes of `infra/resources.ts`. Resolves true when it answered.
   */
  readonly local?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
}

export interface HttpGateway {
  readonly baseUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** API Gateway's payload limit; our own 64 KiB limit is the handler's job. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const API_ID = 'local';

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

interface CompiledRoute {
  readonly route: GatewayRoute;
  readonly routeKey: string;
  readonly segments: readonly Segment[];
}

function compile(route: GatewayRoute): CompiledRoute {
  const parts = route.path.split('/').filter((part) => part.length > 0);
  const segments = parts.map((part, index): Segment => {
    const greedy = /^\{(\w+)\+\}$/.exec(part);
    if (greedy?.[1] !== undefined) {
      if (index !== parts.length - 1)
        throw new Error(`route ${route.path}: a greedy segment must be the last`);
      return { kind: 'greedy', name: greedy[1] };
    }
    const param = /^\{(\w+)\}$/.exec(part);
    if (param?.[1] !== undefined) return { kind: 'param', name: param[1] };
    return { kind: 'literal', value: part };
  });
  return { route, routeKey: `${route.method.toUpperCase()} ${route.path}`, segments };
}

/** API Gateway picks the most specific route: more literal segments first, greedy routes last. */
function specificity(route: CompiledRoute): number[] {
  return [
    route.segments.some((segment) => segment.kind === 'greedy') ? 0 : 1,
    ...route.segments.map((segment) => (segment.kind === 'literal' ? 2 : segment.kind === 'param' ? 1 : 0)),
  ];
}

function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const left = specificity(a);
  const right = specificity(b);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (right[index] ?? -1) - (left[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function match(route: CompiledRoute, parts: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of route.segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      if (rest.length === 0) return undefined;
      parameters[segment.name] = rest.map(decode).join('/');
      return parameters;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal' && part !== segment.value) return undefined;
    if (segment.kind === 'param') parameters[segment.name] = decode(part);
  }
  return parts.length === route.segments.length ? parameters : undefined;
}

/** Claims as API Gateway HTTP API passes them: every value a string, arrays as `[a b]`. */
export function flattenClaims(payload: JWTPayload): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    if (typeof value === 'string') flat[name] = value;
    else if (Array.isArray(value)) flat[name] = `[${value.map((item) => String(item)).join(' ')}]`;
    else if (typeof value === 'object' && value !== null) flat[name] = JSON.stringify(value);
    else flat[name] = String(value);
  }
  return flat;
}

const TEXT_TYPES = [
  /^text\//,
  /^application\/(.+\+)?json/,
  /^application\/(.+\+)?xml/,
  /^application\/javascript/,
  /^application\/x-www-form-urlencoded/,
];

function isText(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.toLowerCase().trim();
  return TEXT_TYPES.some((pattern) => pattern.test(type));
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  extra: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'apigw-requestid': requestId,
    ...extra,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function sourceIpOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

export interface BuiltEventInput {
  readonly request: IncomingMessage;
  readonly body: Buffer;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
  readonly claims: Record<string, string> | undefined;
  readonly requestId: string;
  readonly accountId: string;
}

export function buildHttpEvent(input: BuiltEventInput): LocalHttpEvent {
  const { request } = input;
  const url = request.url ?? '/';
  const questionMark = url.indexOf('?');
  const rawPath = questionMark === -1 ? url : url.slice(0, questionMark);
  const rawQueryString = questionMark === -1 ? '' : url.slice(questionMark + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] ?? '').toLowerCase();
    const value = request.rawHeaders[index + 1] ?? '';
    if (name === 'cookie') {
      // Payload 2.0 moves cookies out of the headers into their own array.
      cookies = [...(cookies ?? []), ...value.split(/;\s*/).filter((cookie) => cookie.length > 0)];
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  headers['x-forwarded-for'] ??= sourceIpOf(request);
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(request.socket.localPort ?? '');

  let queryStringParameters: Record<string, string> | undefined;
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    queryStringParameters ??= {};
    const seen = queryStringParameters[name];
    queryStringParameters[name] = seen === undefined ? value : `${seen},${value}`;
  }

  const domainName = (headers.host ?? '127.0.0.1').split(':')[0] ?? '127.0.0.1';
  const now = new Date();
  const text = isText(headers['content-type']);
  const hasBody = input.body.length > 0;
  const method = (request.method ?? 'GET').toUpperCase();

  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    ...(Object.keys(input.pathParameters).length === 0 ? {} : { pathParameters: input.pathParameters }),
    requestContext: {
      accountId: input.accountId,
      apiId: API_ID,
      // Public routes have no authorizer block; protected ones carry the verified, flattened claims.
      ...(input.claims === undefined ? {} : { authorizer: { jwt: { claims: input.claims, scopes: null } } }),
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: sourceIpOf(request),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: formatApiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(hasBody ? { body: text ? input.body.toString('utf8') : input.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, as in API Gateway's requestContext.time. */
function formatApiGatewayTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

interface MappedResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/**
 * Payload 2.0 response mapping: a result with `statusCode` is used as given; anything else valid JSON is
 * the body of a 200 `application/json` answer, as API Gateway assumes.
 */
export function mapResult(result: unknown): MappedResponse {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const structured = result as {
      statusCode: unknown;
      headers?: Record<string, unknown>;
      body?: unknown;
      isBase64Encoded?: unknown;
      cookies?: unknown;
    };
    const statusCode = Number(structured.statusCode);
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
      throw new Error(`invalid statusCode ${String(structured.statusCode)}`);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(structured.headers ?? {})) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
    const rawBody = structured.body === undefined || structured.body === null ? '' : String(structured.body);
    const body =
      structured.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody, 'utf8');
    const cookies = Array.isArray(structured.cookies) ? structured.cookies.map(String) : [];
    return { statusCode, headers, cookies, body };
  }
  const text = result === undefined ? '' : JSON.stringify(result);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(text),
  };
}

/** An issuer's keys could not be fetched: the token cannot be verified (401, as API Gateway answers). */
export class IssuerKeysUnavailableError extends Error {}

/** API Gateway's audience rule: `aud` when the token has one, else `client_id`. */
function audienceMatches(payload: JWTPayload, audience: string | readonly string[]): boolean {
  const accepted: readonly string[] = typeof audience === 'string' ? [audience] : audience;
  if (payload.aud !== undefined) {
    const named = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    return named.some((value) => accepted.includes(value));
  }
  const clientId = payload.client_id;
  return typeof clientId === 'string' && accepted.includes(clientId);
}

async function authorize(
  request: IncomingMessage,
  trusted: readonly JwtAuthorizerConfig[],
  log: LocalLog,
): Promise<Record<string, string> | undefined> {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const token = header.replace(/^Bearer\s+/i, '').trim();
  if (token.length === 0) return undefined;
  try {
    // The unverified `iss` only picks which issuer's keys to verify with; nothing else is read unverified.
    const claimedIssuer = decodeJwt(token).iss;
    const config = trusted.find((candidate) => candidate.issuer === claimedIssuer);
    if (config === undefined) return undefined;
    const options = {
      issuer: config.issuer,
      algorithms: [...config.algorithms],
      requiredClaims: ['exp'],
    };
    const { payload } =
      typeof config.key === 'function'
        ? await jwtVerify(token, config.key, options)
        : await jwtVerify(token, config.key, options);
    return audienceMatches(payload, config.audience) ? flattenClaims(payload) : undefined;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return undefined;
    if (error instanceof IssuerKeysUnavailableError) {
      log('warn', 'issuer keys unavailable: 401', { error: error.message });
      return undefined;
    }
    throw error;
  }
}

export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const host = options.host ?? '127.0.0.1';
  const compiled = options.routes.map(compile).sort(compareSpecificity);
  const trusted: readonly JwtAuthorizerConfig[] = Array.isArray(options.authorizer)
    ? options.authorizer
    : [options.authorizer as JwtAuthorizerConfig];
  const inFlight = new Set<Promise<void>>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = `${randomBytes(6).toString('base64url')}${Date.now().toString(36)}`;
    const method = (request.method ?? 'GET').toUpperCase();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (options.local !== undefined && (await options.local(request, response))) return;
    const parts = path.split('/').filter((part) => part.length > 0);
    let found: { compiled: CompiledRoute; parameters: Record<string, string> } | undefined;
    for (const candidate of compiled) {
      if (candidate.route.method.toUpperCase() !== method) continue;
      const parameters = match(candidate, parts);
      if (parameters !== undefined) {
        found = { compiled: candidate, parameters };
        break;
      }
    }
    if (found === undefined) {
      request.resume();
      send(response, 404, { message: 'Not Found' }, requestId);
      return;
    }
    const { route, routeKey } = found.compiled;
    let claims: Record<string, string> | undefined;
    if (route.access !== 'public') {
      claims = await authorize(request, trusted, options.log);
      if (claims === undefined) {
        request.resume();
        send(response, 401, { message: 'Unauthorized' }, requestId, { 'www-authenticate': 'Bearer' });
        return;
      }
    }
    const body = await readBody(request);
    if (body === 'too-large') {
      send(response, 413, { message: 'Request Entity Too Large' }, requestId, { connection: 'close' });
      request.destroy();
      return;
    }
    const event = buildHttpEvent({
      request,
      body,
      routeKey,
      pathParameters: found.parameters,
      claims,
      requestId,
      accountId: options.accountId,
    });
    const started = Date.now();
    let mapped: MappedResponse;
    try {
      mapped = mapResult(await options.invoke(route.fn, event, randomUUID()));
    } catch (error) {
      options.log('error', 'function failed: 500', {
        routeKey,
        function: route.fn.id,
        requestId,
        ...errorFields(error),
      });
      send(response, 500, { message: 'Internal Server Error' }, requestId);
      return;
    }
    options.log('debug', 'request', {
      routeKey,
      status: mapped.statusCode,
      ms: Date.now() - started,
      requestId,
    });
    const headers: Record<string, string | string[]> = {
      ...mapped.headers,
      'content-length': String(mapped.body.length),
      'apigw-requestid': requestId,
    };
    if (mapped.cookies.length > 0) headers['set-cookie'] = [...mapped.cookies];
    const ackDelay = options.writeAckDelayMs ?? 0;
    if (ackDelay > 0 && method !== 'GET' && method !== 'HEAD') await sleep(ackDelay);
    response.writeHead(mapped.statusCode, headers);
    response.end(mapped.body);
  };

  const server: Server = createServer((request, response) => {
    const task = handle(request, response)
      .catch((error: unknown) => {
        options.log('error', 'gateway error', errorFields(error));
        if (!response.headersSent) send(response, 500, { message: 'Internal Server Error' }, 'gateway');
        else response.end();
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host}:${port}`;
  options.log('info', 'HTTP gateway ready', { baseUrl, routes: compiled.map((route) => route.routeKey) });
  return {
    baseUrl,
    port,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Let requests already inside a function finish (as a Lambda invocation would), then cut the rest.
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => setTimeout(resolve, 10_000)),
      ]);
      server.closeAllConnections();
      await closed;
      options.log('info', 'HTTP gateway stopped', { baseUrl });
    },
  };
}
