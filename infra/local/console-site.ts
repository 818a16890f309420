import { realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { consoleSecurityHeaders } from '../console-headers.ts';
import type { DevRole } from './dev-identity.ts';
import type { LocalLog } from './log.ts';

/**
 * What the local gateway answers itself, beside the API's routes (local-only: never in
 * `infra/resources.ts`): the console's static build under `/console/` as CloudFront serves it in the
 * cloud (same security headers, same caching, every path without a file extension answered with
 * index.html so deep links open), `/console/config.json` for the local stack, `/` → `/console/`, and
 * DEV-ONLY `GET /dev/sign-in`, which signs a browser in with a dev token.
 */

/** Answers a request it knows and resolves true; resolves false to leave it to the API's routes. */
export type LocalHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export interface DevSignIn {
  /** The local cloud's `tokenFor`. */
  readonly tokenFor: (role: DevRole, userId: string | undefined, ttlSeconds: number) => Promise<string>;
  readonly sectorCodes: readonly string[];
}

export interface ConsoleSiteOptions {
  /** The console's build (`console/dist`). */
  readonly distDir: string;
  /** Served as `/console/config.json` (the console's RuntimeConfig). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Present only in the local stack. */
  readonly devSignIn?: DevSignIn;
  readonly log: LocalLog;
}

const BASE = '/console/';
/** A browser session from /dev/sign-in lasts a working day. */
export const DEV_SIGN_IN_TTL_SECONDS = 8 * 3600;
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Hashed file names never change content: a year, immutable. Everything else is checked each time. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const SECURITY_HEADERS = consoleSecurityHeaders();

function answer(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string = '',
): true {
  request.resume();
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-length': String(bytes.length) });
  response.end(request.method === 'HEAD' ? undefined : bytes);
  return true;
}

function redirect(request: IncomingMessage, response: ServerResponse, location: string): true {
  return answer(request, response, 302, { location, 'cache-control': 'no-store' });
}

function notFound(request: IncomingMessage, response: ServerResponse): true {
  return answer(
    request,
    response,
    404,
    { 'content-type': 'text/plain; charset=utf-8', 'cache-control': REVALIDATE },
    'Not Found\n',
  );
}

/**
 * The file a path under /console/ names, or undefined when it could name something outside the build
 * (`..`, an encoded `..` or separator, a NUL, a dot file, a link that leads out).
 */
function fileFor(distDir: string, relative: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment.startsWith('.'))) return undefined;
  const file = resolve(distDir, ...segments);
  return file.startsWith(distDir + sep) ? file : undefined;
}

async function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: string,
  distDir: string,
  cacheControl: string,
): Promise<boolean> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
    // A link inside the build that leads out of it is not part of the build.
    if (!info.isFile() || !realpathSync(file).startsWith(realpathSync(distDir) + sep)) return false;
  } catch {
    return false;
  }
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    etag,
  };
  if (request.headers['if-none-match'] === etag) {
    request.resume();
    response.writeHead(304, { ...SECURITY_HEADERS, ...headers });
    response.end();
    return true;
  }
  if (request.method === 'HEAD') {
    request.resume();
    response.writeHead(200, { ...SECURITY_HEADERS, ...headers, 'content-length': String(info.size) });
    response.end();
    return true;
  }
  return answer(request, response, 200, headers, await readFile(file));
}

async function serveConsole(
  request: IncomingMessage,
  response: ServerResponse,
  options: ConsoleSiteOptions,
  relative: string,
): Promise<boolean> {
  const distDir = resolve(options.distDir);
  if (relative === 'config.json') {
    return answer(
      request,
      response,
      200,
      { 'content-type': 'application/json; charset=utf-8', 'cache-control': REVALIDATE },
      JSON.stringify(options.config),
    );
  }
  const index = resolve(distDir, 'index.html');
  const file = relative === '' ? index : fileFor(distDir, relative);
  if (file === undefined) return notFound(request, response);
  const immutable = file.startsWith(resolve(distDir, 'assets') + sep);
  if (await serveFile(request, response, file, distDir, immutable ? IMMUTABLE : REVALIDATE)) return true;
  // A console route (`/console/leads/ld_…`): the app; a missing file (`/console/assets/gone.js`): 404.
  if (extname(file) !== '' || immutable) return notFound(request, response);
  if (await serveFile(request, response, index, distDir, REVALIDATE)) return true;
  options.log('warn', 'the console is not built', { distDir });
  return answer(
    request,
    response,
    503,
    { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    '控制台尚未构建：请运行 npm run build:console\nThe console is not built: run npm run build:console\n',
  );
}

type Language = 'zh' | 'en';

/** Chinese unless the caller's first language is English (as the API reads Accept-Language). */
function languageOf(request: IncomingMessage): Language {
  const first = (request.headers['accept-language'] ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

interface SignInProblem {
  readonly status: 400 | 403 | 405;
  readonly field?: string;
  readonly zh: string;
  readonly en: string;
}

const PROBLEM_TITLES = {
  400: { zh: '请求无效', en: 'Invalid request', type: '/problems/validation' },
  403: { zh: '禁止访问', en: 'Forbidden', type: '/problems/forbidden' },
  405: { zh: '不支持的方法', en: 'Method not allowed', type: '/problems/method-not-allowed' },
} as const;

function problem(request: IncomingMessage, response: ServerResponse, found: SignInProblem): true {
  const language = languageOf(request);
  const titles = PROBLEM_TITLES[found.status];
  const detail = found[language];
  const body = {
    type: titles.type,
    title: titles[language],
    status: found.status,
    detail,
    ...(found.field === undefined ? {} : { errors: [{ field: found.field, message: detail }] }),
  };
  return answer(
    request,
    response,
    found.status,
    {
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': language === 'zh' ? 'zh-CN' : 'en',
      'cache-control': 'no-store',
      ...(found.status === 405 ? { allow: 'GET' } : {}),
    },
    JSON.stringify(body),
  );
}

function hostnameOf(host: string | undefined): string {
  if (host === undefined) return '';
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  return value.split(':')[0] ?? '';
}

/** The role named by `role` (and `sector`), or the problem with it. */
function roleOf(query: URLSearchParams, sectorCodes: readonly string[]): DevRole | SignInProblem {
  const role = query.get('role') ?? '';
  if (role === 'finance' || role === 'finance-head' || role === 'auditor' || role === 'admin') return role;
  const code =
    role === 'sector' ? (query.get('sector') ?? '') : role.startsWith('sector:') ? role.slice(7) : undefined;
  if (code === undefined) {
    return {
      status: 400,
      field: 'role',
      zh: `未知角色“${role.slice(0, 40)}”：请使用 sector:<专班代码>、finance、finance-head、auditor 或 admin`,
      en: `unknown role "${role.slice(0, 40)}": use sector:<code>, finance, finance-head, auditor or admin`,
    };
  }
  if (!sectorCodes.includes(code)) {
    return {
      status: 400,
      field: role === 'sector' ? 'sector' : 'role',
      zh: `未知专班代码“${code.slice(0, 40)}”；可用：${sectorCodes.join('、')}`,
      en: `unknown sector "${code.slice(0, 40)}"; known sectors: ${sectorCodes.join(', ')}`,
    };
  }
  return `sector:${code}`;
}

/**
 * Where to land after signing in: a path under /console/ of this origin, else /console/ (never another
 * site: `//evil.example`, `https://…`, `/console/../dev/…` and backslashes all fall back).
 */
export function landingOf(next: string | null): string {
  if (next === null || !next.startsWith(BASE) || next.includes('\\')) return BASE;
  if ([...next].some((character) => character.charCodeAt(0) < 0x20)) return BASE;
  let url: URL;
  try {
    url = new URL(next, 'http://127.0.0.1');
  } catch {
    return BASE;
  }
  if (url.origin !== 'http://127.0.0.1' || !url.pathname.startsWith(BASE)) return BASE;
  return `${url.pathname}${url.search}`;
}

async function devSignIn(
  request: IncomingMessage,
  response: ServerResponse,
  signIn: DevSignIn,
  query: URLSearchParams,
  log: LocalLog,
): Promise<true> {
  if (request.method !== 'GET') {
    return problem(request, response, {
      status: 405,
      zh: '开发登录仅支持 GET',
      en: 'dev sign-in answers GET only',
    });
  }
  // Only this machine's browser, reached by a loopback name: a page of another site that re-points its
  // own name at 127.0.0.1 (DNS rebinding) sends its own Host, and is refused.
  const remote = request.socket.remoteAddress ?? '';
  if (!LOOPBACK_ADDRESSES.has(remote) || !LOOPBACK_HOSTS.has(hostnameOf(request.headers.host))) {
    log('warn', 'dev sign-in refused: not loopback', { host: hostnameOf(request.headers.host) });
    return problem(request, response, {
      status: 403,
      zh: '开发登录仅限本机（127.0.0.1 或 localhost）使用',
      en: 'dev sign-in is for this machine only (127.0.0.1 or localhost)',
    });
  }
  const role = roleOf(query, signIn.sectorCodes);
  if (typeof role !== 'string') return problem(request, response, role);
  const user = query.get('user');
  if (user !== null && !USER_ID.test(user)) {
    return problem(request, response, {
      status: 400,
      field: 'user',
      zh: '用户标识须为 1–64 个字母、数字或 . _ @ -，以字母或数字开头',
      en: 'user must be 1–64 letters, digits or . _ @ -, starting with a letter or digit',
    });
  }
  let token: string;
  try {
    token = await signIn.tokenFor(role, user ?? undefined, DEV_SIGN_IN_TTL_SECONDS);
  } catch (error) {
    // A group → role mapping (AUTH_GROUP_ROLES) without a group for this role.
    return problem(request, response, {
      status: 400,
      field: 'role',
      zh: `无法为该角色签发开发令牌：${(error as Error).message}`,
      en: `no dev token for this role: ${(error as Error).message}`,
    });
  }
  log('info', 'dev sign-in', { role });
  // The token travels in the fragment: never sent to a server, read and removed by the console at once.
  return redirect(request, response, `${landingOf(query.get('next'))}#token=${token}`);
}

export function consoleSite(options: ConsoleSiteOptions): LocalHandler {
  return async (request, response) => {
    const url = request.url ?? '/';
    const questionMark = url.indexOf('?');
    const path = questionMark === -1 ? url : url.slice(0, questionMark);
    const method = (request.method ?? 'GET').toUpperCase();
    if (path === '/dev/sign-in' && options.devSignIn !== undefined) {
      const query = new URLSearchParams(questionMark === -1 ? '' : url.slice(questionMark + 1));
      return devSignIn(request, response, options.devSignIn, query, options.log);
    }
    const ours = path === '/' || path === '/console' || path.startsWith(BASE);
    if (!ours) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      // `/` and `/console/*` are the console's; the API has no route there.
      if (path === '/') return false;
      return answer(
        request,
        response,
        405,
        { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
        'Method Not Allowed\n',
      );
    }
    if (path === '/' || path === '/console') return redirect(request, response, BASE);
    return serveConsole(request, response, options, path.slice(BASE.length));
  };
}
