/**
 * What CloudFront does in front of the console, kept apart from the construct so tests can run it: the
 * viewer-request function (deep links, `/` → `/console/`) and the Content-Security-Policy.
 */

/** Where the console lives in the bucket and on the distribution (Vite's `base`). */
export const CONSOLE_BASE = '/console/';

/**
 * CloudFront Function (JavaScript runtime 2.0), viewer request. A path under /console/ whose last segment
 * has no extension is a route of the single-page app (`/console/leads/L-1`, `/console/callback`): serve
 * index.html and let the router read the address. `/` and `/console` go to `/console/`. Everything else
 * (the hashed assets, config.json) is fetched as it is.
 */
export const VIEWER_REQUEST_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '' || uri === '/console') {
    return {
      statusCode: 302,
      statusDescription: 'Found',
      headers: { location: { value: '/console/' }, 'cache-control': { value: 'no-cache' } },
    };
  }
  if (uri.indexOf('/console/') === 0) {
    var last = uri.substring(uri.lastIndexOf('/') + 1);
    if (last.indexOf('.') === -1) request.uri = '/console/index.html';
  }
  return request;
}
`;

/**
 * The root page where CloudFront Functions do not exist (the China regions): a redirect by meta refresh,
 * which the CSP allows (no script).
 */
export const ROOT_REDIRECT_HTML = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="UTF-8" />
    <meta http-equiv="refresh" content="0; url=/console/" />
    <title>招商引资奖励管理 · KFQ incentives</title>
  </head>
  <body><a href="/console/">/console/</a></body>
</html>
`;

export interface CspSources {
  /** Origins the console may call: the API, the OIDC issuer (discovery, keys) and its token endpoint. */
  readonly connect: readonly string[];
  /** Origins a form may post to: the sign-in pages. */
  readonly formAction: readonly string[];
}

/**
 * The console's Content-Security-Policy: scripts only from the console's origin (Vite emits no inline
 * script), styles from it plus inline (antd writes its CSS-in-JS into <style> elements at run time), images
 * from it and data: URLs (antd's icons and empty states), no plugins, no framing, no <base> tricks.
 */
export function contentSecurityPolicy(sources: CspSources): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...sources.connect].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action ${["'self'", ...sources.formAction].join(' ')}`,
    "object-src 'none'",
  ].join('; ');
}

/**
 * A second policy, as a <meta> element in index.html, that narrows connect-src to the API's exact origin.
 * The header's policy cannot name it: the API's CORS names the distribution, so the distribution's headers
 * cannot also name the API (CloudFormation would see a cycle); the header allows API Gateway endpoints of
 * the region, and the browser enforces both policies (every fetch must pass each).
 */
export function connectPolicyMeta(connect: readonly string[]): string {
  const policy = `connect-src ${["'self'", ...connect].join(' ')}`;
  return `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
}

/** Puts the meta policy first in <head>, before any script or link it must govern. */
export function withConnectPolicy(indexHtml: string, connect: readonly string[]): string {
  const head = /<head[^>]*>/i.exec(indexHtml);
  if (head === null) throw new Error('console/dist/index.html has no <head>');
  const at = head.index + head[0].length;
  return `${indexHtml.slice(0, at)}\n    ${connectPolicyMeta(connect)}${indexHtml.slice(at)}`;
}
