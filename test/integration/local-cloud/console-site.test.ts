import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contentSecurityPolicy } from '#infra/constructs/console-edge.ts';
import { consoleSite, DEV_SIGN_IN_TTL_SECONDS } from '#infra/local/console-site.ts';
import { DEFAULT_SECTOR_CODES, type DevRole } from '#infra/local/dev-identity.ts';
import { type HttpGateway, startHttpGateway } from '#infra/local/http-gateway.ts';

/**
 * The local gateway's own answers: the console's build under /console/ (types, caching, deep links,
 * security headers, no way out of the build), `/` → /console/, and DEV-ONLY /dev/sign-in (loopback only,
 * no open redirect). A gateway of its own on a build made here, beside a secret outside it; then the
 * shared local cloud, to see the same answers wired in.
 */

const root = mkdtempSync(join(tmpdir(), 'console-site-'));
const dist = join(root, 'dist');
const SECRET = 'SECRET-OUTSIDE-THE-BUILD';
const INDEX = '<!doctype html><title>console</title><div id="root"></div>';
const APP_JS = 'console.log("app")';

interface Minted {
  readonly role: DevRole;
  readonly userId: string | undefined;
  readonly ttlSeconds: number;
}
const minted: Minted[] = [];
let gateway: HttpGateway;

beforeAll(async () => {
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'app-Bx12ab.js'), APP_JS);
  writeFileSync(join(dist, 'assets', 'app-Bx12ab.css'), 'body{}');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dist, '.fingerprint'), 'abc');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  // Links inside the build that lead out of it.
  symlinkSync(join(root, 'secret.txt'), join(dist, 'leak.txt'));
  symlinkSync(root, join(dist, 'up'));
  const { publicKey } = await generateKeyPair('ES256');
  gateway = await startHttpGateway({
    port: 0,
    routes: [],
    authorizer: { issuer: 'https://test.invalid', audience: 'test', key: publicKey, algorithms: ['ES256'] },
    invoke: async () => ({ statusCode: 500 }),
    accountId: '000000000000',
    log: () => {},
    local: consoleSite({
      distDir: dist,
      config: { apiBaseUrl: '', auth: { mode: 'dev' } },
      devSignIn: {
        tokenFor: async (role, userId, ttlSeconds) => {
          minted.push({ role, userId, ttlSeconds });
          return `token-${minted.length}`;
        },
        sectorCodes: DEFAULT_SECTOR_CODES,
      },
      log: () => {},
    }),
  });
});

afterAll(async () => {
  await gateway?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request sent as written: fetch would resolve `..` in the path before sending it. */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      {
        host: '127.0.0.1',
        port: gateway.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

describe('the console under /console/', () => {
  it('serves index.html with the security headers CloudFront sends, checked on every load', async () => {
    const answer = await raw('/console/');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(INDEX);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-cache');
    // The very policy CloudFront sends, with nothing to add locally (the API is on the same origin).
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toBe(contentSecurityPolicy({ connect: [], formAction: [] }));
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ]) {
      expect(csp.split('; '), directive).toContain(directive);
    }
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['referrer-policy']).toBe('same-origin');
  });

  it('serves hashed assets with their types, cached for a year as immutable', async () => {
    const script = await raw('/console/assets/app-Bx12ab.js');
    expect(script.status).toBe(200);
    expect(script.body).toBe(APP_JS);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['content-security-policy']).toBe(
      contentSecurityPolicy({ connect: [], formAction: [] }),
    );
    const style = await raw('/console/assets/app-Bx12ab.css');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await raw('/console/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a deep link (a path without a file extension) with the app, so the route opens', async () => {
    for (const path of [
      '/console/leads/ld_0123456789abcdef01234567',
      '/console/funds/',
      '/console/audit?x=1',
    ]) {
      const answer = await raw(path);
      expect(answer.status, path).toBe(200);
      expect(answer.body, path).toBe(INDEX);
      expect(answer.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('answers 404 for a file that is not in the build', async () => {
    for (const path of ['/console/assets/gone-Bx12ab.js', '/console/missing.png', '/console/assets/noext']) {
      const answer = await raw(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toBe(INDEX);
    }
  });

  it('generates config.json for the local stack: same origin, dev sign-in', async () => {
    const answer = await raw('/console/config.json');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.body)).toEqual({ apiBaseUrl: '', auth: { mode: 'dev' } });
  });

  it('answers HEAD with the headers and no body, and 304 to a matching If-None-Match', async () => {
    const head = await raw('/console/assets/app-Bx12ab.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(APP_JS.length));
    expect(head.body).toBe('');
    const etag = String(head.headers.etag);
    const again = await raw('/console/assets/app-Bx12ab.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('refuses other methods with 405', async () => {
    const answer = await raw('/console/leads', { method: 'POST' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });

  it('never answers with a file outside the build, nor a dot file in it', async () => {
    const attempts = [
      '/console/../secret.txt',
      '/console/assets/../../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/..%2fsecret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/%2E%2E%2F%2E%2E%2Fsecret.txt',
      '/console/..%5csecret.txt',
      '/console/assets%5c..%5c..%5csecret.txt',
      '/console/%252e%252e/secret.txt',
      '/console/secret.txt%00.js',
      '/console/%00',
      '/console/%',
      `/console//${join(root, 'secret.txt')}`,
      '/console/leak.txt',
      '/console/up/secret.txt',
      '/console/up/dist/index.html',
      '/console/.fingerprint',
      '/console/assets/.%2e/.%2e/secret.txt',
    ];
    for (const path of attempts) {
      const answer = await raw(path);
      expect(answer.body, path).not.toContain(SECRET);
      expect(answer.body, path).not.toBe('abc');
      expect([200, 400, 404], path).toContain(answer.status);
      // A path that still reads as a console route may get the app itself, nothing else.
      if (answer.status === 200) expect(answer.body, path).toBe(INDEX);
    }
  });

  it('redirects / and /console to /console/', async () => {
    for (const path of ['/', '/console']) {
      const answer = await raw(path);
      expect(answer.status, path).toBe(302);
      expect(answer.headers.location, path).toBe('/console/');
    }
  });
});

describe('GET /dev/sign-in (local stack only)', () => {
  const signIn = (query: string, headers: Record<string, string> = {}, localAddress?: string) =>
    raw(`/dev/sign-in?${query}`, { headers, ...(localAddress === undefined ? {} : { localAddress }) });

  it('mints an 8-hour dev token and redirects to /console/ with it in the fragment', async () => {
    const answer = await signIn('role=finance&user=fin-1');
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(`/console/#token=token-${minted.length}`);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(minted.at(-1)).toEqual({ role: 'finance', userId: 'fin-1', ttlSeconds: DEV_SIGN_IN_TTL_SECONDS });
    expect(DEV_SIGN_IN_TTL_SECONDS).toBe(8 * 3600);
  });

  it('takes every role: sector:<code>, sector with &sector=, finance, auditor, admin', async () => {
    const cases: [string, DevRole][] = [
      ['role=sector:food&user=a', 'sector:food'],
      ['role=sector%3Aoptoelectronics&user=a', 'sector:optoelectronics'],
      ['role=sector&sector=logistics&user=a', 'sector:logistics'],
      ['role=finance&user=a', 'finance'],
      ['role=auditor&user=a', 'auditor'],
      ['role=admin&user=a', 'admin'],
    ];
    for (const [query, role] of cases) {
      expect((await signIn(query)).status, query).toBe(302);
      expect(minted.at(-1)?.role, query).toBe(role);
    }
  });

  it('lands on `next` when it is a path under /console/, keeping its query', async () => {
    const answer = await signIn(
      `role=auditor&user=aud-1&next=${encodeURIComponent('/console/leads/ld_abc?tab=history')}`,
    );
    expect(answer.headers.location).toBe(`/console/leads/ld_abc?tab=history#token=token-${minted.length}`);
  });

  it('ignores any other `next`: no open redirect', async () => {
    const offSite = [
      'https://evil.example/console/',
      '//evil.example/console/',
      '/\\evil.example/console/',
      '/console/../dev/sign-in?role=admin',
      '/console/%2e%2e/dev/sign-in',
      '/console\\..\\..\\evil',
      '/consolex/',
      'javascript:alert(1)',
      '/console/\r\nSet-Cookie: a=b',
      '',
    ];
    for (const next of offSite) {
      const answer = await signIn(`role=finance&user=fin-1&next=${encodeURIComponent(next)}`);
      expect(answer.status, next).toBe(302);
      expect(answer.headers.location, next).toBe(`/console/#token=token-${minted.length}`);
    }
  });

  it('refuses a bad role or user id with a 400 problem in Chinese (English when asked)', async () => {
    const before = minted.length;
    const badRole = await signIn('role=superuser&user=a');
    expect(badRole.status).toBe(400);
    expect(badRole.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const problem = JSON.parse(badRole.body);
    expect(problem).toMatchObject({ type: '/problems/validation', title: '请求无效', status: 400 });
    expect(problem.errors[0].field).toBe('role');
    expect(problem.detail).toContain('未知角色');

    const english = await signIn('role=superuser&user=a', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(JSON.parse(english.body)).toMatchObject({ title: 'Invalid request', status: 400 });
    expect(JSON.parse(english.body).detail).toContain('unknown role');

    const badSector = JSON.parse((await signIn('role=sector:nowhere&user=a')).body);
    expect(badSector.errors[0].field).toBe('role');
    expect(badSector.detail).toContain('未知专班代码');
    const missingSector = JSON.parse((await signIn('role=sector&user=a')).body);
    expect(missingSector.errors[0].field).toBe('sector');

    for (const user of ['', '-x', 'a b', 'x'.repeat(65), '用户', 'a/b', 'a%00']) {
      const answer = await signIn(`role=finance&user=${encodeURIComponent(user)}`);
      expect(answer.status, user).toBe(400);
      expect(JSON.parse(answer.body).errors[0].field, user).toBe('user');
    }
    expect(minted.length).toBe(before);
  });

  it('refuses a Host that is not a loopback name (DNS rebinding) with 403', async () => {
    const before = minted.length;
    for (const host of ['evil.example', 'evil.example:3000', '127.0.0.1.nip.io', 'localhost.evil.example']) {
      const answer = await signIn('role=admin&user=a', { host });
      expect(answer.status, host).toBe(403);
      expect(answer.headers.location, host).toBeUndefined();
      expect(JSON.parse(answer.body).detail, host).toContain('仅限本机');
    }
    for (const host of ['localhost:3000', `127.0.0.1:${gateway.port}`, '[::1]:3000']) {
      expect((await signIn('role=admin&user=a', { host })).status, host).toBe(302);
    }
    expect(minted.length).toBe(before + 3);
  });

  it('refuses a caller whose address is not 127.0.0.1 or ::1', async () => {
    // 127.0.0.2 reaches the gateway over the loopback interface but is not the address a browser here uses.
    const answer = await signIn('role=admin&user=a', {}, '127.0.0.2');
    expect(answer.status).toBe(403);
  });

  it('answers only GET', async () => {
    const answer = await raw('/dev/sign-in?role=admin&user=a', { method: 'POST' });
    expect(answer.status).toBe(405);
  });
});

describe('the local cloud', () => {
  const cloud = inject('localCloud');

  it('redirects / to the console and serves its config', async () => {
    const root = await fetch(`${cloud.baseUrl}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    const config = await fetch(`${cloud.baseUrl}/console/config.json`);
    expect(await config.json()).toEqual({ apiBaseUrl: '', auth: { mode: 'dev' } });
  });

  it('signs a browser in with a token the API accepts for that user and role', async () => {
    const answer = await fetch(`${cloud.baseUrl}/dev/sign-in?role=sector:food&user=officer-9`, {
      redirect: 'manual',
    });
    expect(answer.status).toBe(302);
    const token = new URL(answer.headers.get('location') ?? '', cloud.baseUrl).hash.replace('#token=', '');
    const me = await fetch(`${cloud.baseUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId: 'officer-9', roles: ['sector:food'] });
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(8 * 3600);
  });
});
