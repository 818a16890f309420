import { contentSecurityPolicy } from './constructs/console-edge.ts';

/**
 * The security headers the local gateway serves the console with: those of CloudFront's response headers
 * policy (infra/constructs/console-hosting.ts), from the same CSP function, so a violation shows up on a
 * developer's machine first. Locally the API shares the console's origin and sign-in is the dev
 * sign-in on that origin: no other source to allow. No HSTS over plain HTTP on loopback.
 */
export function consoleSecurityHeaders(): Readonly<Record<string, string>> {
  return {
    'content-security-policy': contentSecurityPolicy({ connect: [], formAction: [] }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Lead ids are in the console's paths: they never leave in a Referer.
    'referrer-policy': 'same-origin',
  };
}
