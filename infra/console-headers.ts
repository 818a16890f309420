/**
 * The security headers the console is served with: by the local gateway (`npm start`, so a violation
 * shows up on a developer's machine first) and, in the cloud, by CloudFront's response headers policy.
 * One definition for both, so the two cannot drift apart.
 */

/** Content-Security-Policy directives; `connect-src` gains the API's origin when it is another one. */
export function consoleCspDirectives(apiOrigin?: string): ReadonlyArray<readonly [string, string]> {
  return [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    // antd writes its styles at run time (CSS-in-JS <style> elements): inline styles, never inline scripts.
    ['style-src', "'self' 'unsafe-inline'"],
    ['img-src', "'self' data:"],
    ['connect-src', apiOrigin === undefined || apiOrigin === '' ? "'self'" : `'self' ${apiOrigin}`],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['object-src', "'none'"],
  ];
}

export function consoleCsp(apiOrigin?: string): string {
  return consoleCspDirectives(apiOrigin)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** Every security header of a console answer (HSTS only where the console is served over HTTPS). */
export function consoleSecurityHeaders(
  options: { readonly apiOrigin?: string; readonly https?: boolean } = {},
): Readonly<Record<string, string>> {
  return {
    'content-security-policy': consoleCsp(options.apiOrigin),
    'x-content-type-options': 'nosniff',
    // Lead ids are in the console's paths: they never leave in a Referer.
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    ...(options.https === true ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}
