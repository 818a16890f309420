import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import type { Principal, RouteAccessLookup } from '#shared/auth/principal.ts';
import { mayCall, principalFromClaims } from '#shared/auth/principal.ts';
import type { FieldProblem } from '#shared/errors.ts';
import {
  ForbiddenError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/errors.ts';
import { logger } from '#shared/observability.ts';
import { isPathParameterName, pathParameterSchemas } from '#shared/schemas/path-parameters.ts';
import { inBothLanguages, problemsFromZod } from '#shared/schemas/zod-text.ts';
import { parseQuery } from '#shared/use-cases/query-params.ts';
import { negotiateLanguage } from './language.ts';
import { PROBLEM_CONTENT_TYPE, problemOf } from './problem-json.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

type RawQuery = Readonly<Record<string, string>>;

/** What a thin HTTP handler sees: the caller, and the parts of the request it may need, already checked. */
export interface HttpRequest<TBody, TQuery = RawQuery> {
  readonly principal: Principal;
  readonly body: TBody;
  /** The JSON body as sent, before parsing (undefined for routes without a body). */
  readonly rawBody: unknown;
  /** The bytes of a binary body (routes declaring `binaryBody` only: an uploaded file). */
  readonly binaryBody?: Uint8Array;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Parsed by the route's query schema; the parameters as sent when it declares none. */
  readonly query: TQuery;
  readonly headers: Readonly<Record<string, string>>;
  readonly requestId: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A file to download instead of a JSON body (a sheet, a CSV export). */
  readonly file?: DownloadFile;
}

/** A file answered as an attachment: sent base64-encoded, as API Gateway expects binary bodies. */
export interface DownloadFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** The name the browser saves it under; may be Chinese (sent as RFC 6266 `filename*`). */
  readonly fileName: string;
}

export type BodyParseResult<TBody> =
  | { readonly ok: true; readonly value: TBody }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/**
 * Turns the JSON body into the use case's input, or lists every bad field; `schema` is the zod schema it
 * parses with, which the OpenAPI document must show (test/e2e/openapi-document.test.ts holds them equal).
 */
export interface BodyParser<TBody> {
  (json: unknown): BodyParseResult<TBody>;
  readonly schema: z.ZodType;
}

/** Parses the query parameters (see `parseQuery`: every bad or unknown one named); `schema` as for bodies. */
export interface QueryParser<TQuery> {
  (query: RawQuery): TQuery;
  readonly schema: z.ZodType;
}

/** The schemas a route parses its request with: what its OpenAPI operation is generated from. */
export interface HttpContract {
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
}

export interface HttpOptions<TBody, TQuery = RawQuery> {
  /** Who may call each route: the one route table's lookup (`routeAccess` of infra/resources.ts). */
  readonly access: RouteAccessLookup;
  /** Parser of the JSON body; omit for routes without a body. */
  readonly body?: BodyParser<TBody>;
  /** Parser of the query parameters; omit for routes that read none. */
  readonly query?: QueryParser<TQuery>;
  readonly maxBodyBytes?: number;
  /**
   * Takes the body as raw bytes (an uploaded file) instead of JSON: one of `contentTypes`, at most
   * `maxBytes` (415 and 413 otherwise). The handler reads it as `binaryBody`.
   */
  readonly binaryBody?: { readonly contentTypes: readonly string[]; readonly maxBytes: number };
}

/** A body parser from a zod schema, naming each bad field by its dotted path. */
export function zodBody<TSchema extends z.ZodType>(schema: TSchema): BodyParser<z.output<TSchema>> {
  return bodyParser(schema, (json) => {
    const parsed = schema.safeParse(json, inBothLanguages);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, problems: problemsFromZod(parsed.error) };
  });
}

/** A body parser that checks more than its schema can say (configuration, say), named by that schema. */
export function bodyParser<TBody>(
  schema: z.ZodType,
  parse: (json: unknown) => BodyParseResult<TBody>,
): BodyParser<TBody> {
  return Object.assign(parse, { schema });
}

/** A query parser from a zod schema of string parameters. */
export function zodQuery<TSchema extends z.ZodType>(schema: TSchema): QueryParser<z.output<TSchema>> {
  return Object.assign((query: RawQuery) => parseQuery(schema, query), { schema });
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

function authorize(event: HttpEvent, accessOf: RouteAccessLookup): Principal {
  const access = accessOf(event.routeKey);
  if (access === undefined) {
    throw new ForbiddenError({
      zh: `接口 ${event.routeKey} 未在路由表中声明。`,
      en: `Route ${event.routeKey} is not declared.`,
    });
  }
  if (access === 'public') return { userId: 'anonymous', roles: [] };
  const principal = principalFromClaims(event.requestContext.authorizer?.jwt?.claims);
  if (principal === undefined) {
    throw new UnauthenticatedError({
      zh: '请先登录：请求须携带经验证的访问令牌（Bearer）。',
      en: 'A verified bearer token is required.',
    });
  }
  if (!mayCall(principal, access)) {
    throw new ForbiddenError({
      zh: `此接口仅限以下角色使用：${access.join('、')}；当前用户不具备该角色。`,
      en: `This route is for ${access.join(', ')}; the caller's roles do not include it.`,
    });
  }
  return principal;
}

/**
 * The path parameters, each checked against its schema (shared/schemas/path-parameters.ts) in this one
 * place: a handler only ever sees values its store can look up.
 */
function readPathParameters(event: HttpEvent): Record<string, string> {
  const given = definedOnly(event.pathParameters);
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(given)) {
    // A route whose parameter has no schema is a wiring bug (a test pins every route), not bad input.
    if (!isPathParameterName(name)) throw new Error(`Path parameter {${name}} has no schema`);
    const parsed = pathParameterSchemas[name].safeParse(value, inBothLanguages);
    if (!parsed.success) problems.push(...problemsFromZod(parsed.error, { root: name }).slice(0, 1));
  }
  if (problems.length > 0) {
    throw new ValidationError(problems, { zh: '路径参数有误：', en: 'The path has invalid parameters:' });
  }
  return given;
}

function readBody<TBody>(
  event: HttpEvent,
  parse: BodyParser<TBody>,
  maxBytes: number,
): { body: TBody; rawBody: unknown } {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > maxBytes) {
    throw new PayloadTooLargeError({
      zh: `请求体超过 ${maxBytes} 字节的上限。`,
      en: `The body is over ${maxBytes} bytes.`,
    });
  }
  const contentType = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new UnsupportedMediaTypeError({
      zh: '请求体须以 application/json 格式发送。',
      en: 'Send the body as application/json.',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new MalformedBodyError({ zh: '请求体不是有效的 JSON。', en: 'The body is not valid JSON.' });
  }
  const parsed = parse(json);
  if (!parsed.ok) throw new ValidationError(parsed.problems);
  return { body: parsed.value, rawBody: json };
}

function readBinaryBody(
  event: HttpEvent,
  accepted: NonNullable<HttpOptions<unknown>['binaryBody']>,
): Uint8Array {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > accepted.maxBytes) {
    throw new PayloadTooLargeError({
      zh: `上传的文件超过 ${accepted.maxBytes} 字节（${accepted.maxBytes / 1024 / 1024} MB）的上限。`,
      en: `The uploaded file is over ${accepted.maxBytes} bytes (${accepted.maxBytes / 1024 / 1024} MB).`,
    });
  }
  const contentType = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!accepted.contentTypes.includes(contentType)) {
    throw new UnsupportedMediaTypeError({
      zh: `请求体须是文件本身，类型为 ${accepted.contentTypes.join(' 或 ')}。`,
      en: `Send the file itself as the body, as ${accepted.contentTypes.join(' or ')}.`,
    });
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function toResult(response: HttpResponse): HttpResult {
  if (response.file !== undefined) return fileResult(response, response.file);
  const hasBody = response.body !== undefined;
  return {
    statusCode: response.statusCode,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...response.headers },
    body: hasBody ? JSON.stringify(response.body) : '',
  };
}

function fileResult(response: HttpResponse, file: DownloadFile): HttpResult {
  return {
    statusCode: response.statusCode,
    headers: {
      'content-type': file.contentType,
      'content-disposition': contentDisposition(file.fileName),
      // Exports hold personal data: no shared or browser cache keeps a copy.
      'cache-control': 'no-store',
      ...response.headers,
    },
    body: Buffer.from(file.bytes).toString('base64'),
    isBase64Encoded: true,
  };
}

/** RFC 6266: an ASCII fallback name for old clients, the UTF-8 name (RFC 8187) for the rest. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRFC8187(fileName)}`;
}

function encodeRFC8187(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Answers every error as RFC 9457 problem+json in the caller's language (`Accept-Language`, see
 * `negotiateLanguage`); registered last so it sees every failure.
 */
const problemJson = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const language = negotiateLanguage(request.event.headers?.['accept-language']);
    const problem = { ...problemOf(request.error, language), instance: request.event.rawPath };
    if (problem.status >= 500) logger.error('request failed', { error: request.error as Error });
    else logger.info('request refused', { status: problem.status, problem: problem.type });
    request.response = {
      statusCode: problem.status,
      headers: {
        'content-type': PROBLEM_CONTENT_TYPE,
        'content-language': language,
        // The same request in another language gets another text: caches must key on it.
        vary: 'Accept-Language',
      },
      body: JSON.stringify(problem),
    };
  },
});

/**
 * The one middy chain for API Gateway HTTP API routes: logger → handler, errors last. (Request counts,
 * latency and 4xx/5xx come from API Gateway's own metrics; the 5xx alarm watches them.)
 * Authentication happened in the authorizer; here the route's roles are checked and the body parsed.
 */
export function withHttp<TBody = undefined, TQuery = RawQuery>(
  options: HttpOptions<TBody, TQuery>,
  handle: (request: HttpRequest<TBody, TQuery>) => Promise<HttpResponse>,
) {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const contract: HttpContract = { body: options.body?.schema, query: options.query?.schema };
  const chain = middy<HttpEvent, HttpResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problemJson())
    .handler(async (event) => {
      const principal = authorize(event, options.access);
      const pathParameters = readPathParameters(event);
      const rawQuery = definedOnly(event.queryStringParameters);
      const query = options.query === undefined ? (rawQuery as TQuery) : options.query(rawQuery);
      const { body, rawBody } =
        options.body === undefined
          ? { body: undefined as TBody, rawBody: undefined }
          : readBody(event, options.body, maxBodyBytes);
      const binaryBody =
        options.binaryBody === undefined ? undefined : readBinaryBody(event, options.binaryBody);
      logger.appendKeys({ route: event.routeKey, requestId: event.requestContext.requestId });
      const response = await handle({
        principal,
        body,
        rawBody,
        ...(binaryBody === undefined ? {} : { binaryBody }),
        pathParameters,
        query,
        headers: definedOnly(event.headers),
        requestId: event.requestContext.requestId,
      });
      return toResult(response);
    });
  return Object.assign(chain, { contract });
}

function definedOnly(
  record: Readonly<Record<string, string | undefined>> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) result[key] = value;
  return result;
}

/**
 * One function serving several routes: each route key has its own `withHttp` chain; a route key the
 * function does not serve is a 404 problem (the route table sent it elsewhere, so this is a wiring bug).
 */
export function byRoute(
  routes: Readonly<
    Record<string, ((event: HttpEvent, context: Context) => Promise<HttpResult>) & { contract: HttpContract }>
  >,
  access: HttpOptions<undefined>['access'],
) {
  const unknown = withHttp({ access }, async ({ requestId }) => {
    throw new NotFoundError({
      zh: `此函数不处理该接口（请求 ${requestId}）。`,
      en: `No handler for this route in this function (request ${requestId}).`,
    });
  });
  const dispatch = (event: HttpEvent, context: Context): Promise<HttpResult> =>
    (routes[event.routeKey] ?? unknown)(event, context);
  const contracts: Readonly<Record<string, HttpContract>> = Object.fromEntries(
    Object.entries(routes).map(([routeKey, route]) => [routeKey, route.contract]),
  );
  return Object.assign(dispatch, { contracts });
}
