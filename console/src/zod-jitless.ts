import { config } from 'zod/v4';

// The console's CSP allows no 'unsafe-eval'. zod compiles object parsers with `new Function` unless told
// not to, and merely probing for it is reported as a CSP violation. Every `import … from 'zod'` the console
// bundles (the shared domain code: money, identifiers, the policy template) resolves to this module (see
// vite.config.ts), so zod is told before any schema is built, and loads only with the pages that use it.
config({ jitless: true });

export * from 'zod/v4';
