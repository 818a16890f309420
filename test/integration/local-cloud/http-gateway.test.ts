import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type DevIdentity, loadDevIdentity } from '#infra/local/dev-identity.ts';
import { repoRoot } from '#infra/local/paths.ts';

const cloud = inject('localCloud');
let identity: DevIdentity;

beforeAll(async () => {
  identity = await loadDevIdentity();
});

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}) {
  return {
    iss: cloud.issuer,
    aud: cloud.audience,
    sub: 'user-finance-1',
    'cognito:groups': ['finance', 'sector-food'],
    'cognito:username': 'user-finance-1',
    token_use: 'id',
    iat: now(),
    exp: now() + 600,
    ...overrides,
  };
}

function get(path: string, token?: string, headers: Record<string, string> = {}) {
  return fetch(`${cloud.baseUrl}${path}`, {
    headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
  });
}

describe('the HTTP gateway', () => {
  it('answers GET /health with every store up, without a token', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', dynamodb: 'up', sqs: 'up' });
  });

  it('answers 404 Not Found for an unknown route, as API Gateway does', async () => {
    const response = await get('/no/such/route');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('answers 500 Internal Server Error when the function throws', async () => {
    const response = await get('/_test/throws');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('maps a bare object result to a 200 JSON answer', async () => {
    const response = await get('/_test/bare');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ hello: 'world' });
  });
});

describe('the JWT authorizer', () => {
  it('refuses a request without a token with 401 before the function runs', async () => {
    const response = await get('/_test/protected/1');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('refuses an expired token', async () => {
    const token = await identity.sign(claims({ iat: now() - 7200, exp: now() - 3600 }));
    expect((await get('/_test/protected/1', token)).status).toBe(401);
  });

  it('refuses a token signed with another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    expect((await get('/_test/protected/1', token)).status).toBe(401);
  });

  it('refuses a token from another issuer', async () => {
    const token = await identity.sign(claims({ iss: 'https://evil.example' }));
    expect((await get('/_test/protected/1', token)).status).toBe(401);
  });

  it('refuses a token for another audience', async () => {
    const token = await identity.sign(claims({ aud: 'another-app' }));
    expect((await get('/_test/protected/1', token)).status).toBe(401);
  });

  it('refuses a token without an expiry and a malformed token', async () => {
    const { exp: _ignored, ...withoutExpiry } = claims();
    expect((await get('/_test/protected/1', await identity.sign(withoutExpiry))).status).toBe(401);
    expect((await get('/_test/protected/1', 'not.a.jwt')).status).toBe(401);
  });

  it('passes a valid token to the function with claims flattened to strings as API Gateway does', async () => {
    const token = await identity.sign(claims());
    const response = await get('/_test/protected/lead-42?b=2&a=1&a=3', token, { cookie: 'c1=v1; c2=v2' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('echo=1; Path=/');
    const event = APIGatewayProxyEventV2Schema.parse(await response.json());
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /_test/protected/{id}');
    expect(event.requestContext.routeKey).toBe('GET /_test/protected/{id}');
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.http.method).toBe('GET');
    expect(event.rawPath).toBe('/_test/protected/lead-42');
    expect(event.rawQueryString).toBe('b=2&a=1&a=3');
    expect(event.queryStringParameters).toEqual({ a: '1,3', b: '2' });
    expect(event.pathParameters).toEqual({ id: 'lead-42' });
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers.authorization).toBe(`Bearer ${token}`);
    const jwt = event.requestContext.authorizer?.jwt;
    expect(jwt?.claims).toMatchObject({
      sub: 'user-finance-1',
      'cognito:groups': '[finance sector-food]',
      iss: cloud.issuer,
      aud: cloud.audience,
      token_use: 'id',
    });
    expect(typeof jwt?.claims.exp).toBe('string');
    expect(jwt?.claims.exp).toMatch(/^\d+$/);
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('accepts a token printed by `cli token`', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['infra/cli/main.ts', 'token', '--role', 'auditor', '--user', 'aud-7'],
      { cwd: repoRoot },
    );
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const response = await get('/_test/protected/1', stdout.trim());
    expect(response.status).toBe(200);
    const event = APIGatewayProxyEventV2Schema.parse(await response.json());
    expect(event.requestContext.authorizer?.jwt?.claims).toMatchObject({
      sub: 'aud-7',
      'cognito:groups': '[auditor]',
    });
  });
});

describe('the payload 2.0 event', () => {
  it('carries a JSON body as text and has no authorizer block on a public route', async () => {
    const response = await fetch(`${cloud.baseUrl}/_test/public/a/b%20c`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Custom': 'One' },
      body: JSON.stringify({ hello: '世界' }),
    });
    expect(response.status).toBe(200);
    const event = APIGatewayProxyEventV2Schema.parse(await response.json());
    expect(event.routeKey).toBe('POST /_test/public/{proxy+}');
    expect(event.pathParameters).toEqual({ proxy: 'a/b c' });
    expect(event.headers['x-custom']).toBe('One');
    expect(event.isBase64Encoded).toBe(false);
    expect(JSON.parse(event.body ?? '')).toEqual({ hello: '世界' });
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
  });

  it('base64-encodes a binary body', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const response = await fetch(`${cloud.baseUrl}/_test/public/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const event = APIGatewayProxyEventV2Schema.parse(await response.json());
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });
});
