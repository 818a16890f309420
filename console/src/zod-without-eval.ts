import { config } from 'zod';

// The console's CSP allows no 'unsafe-eval'. zod compiles object parsers with `new Function` unless told
// not to, and merely probing for it is reported as a CSP violation. The shared domain code the console
// bundles (money, identifiers, the policy template) parses with zod's plain parsers instead: main.tsx
// imports this module first, before anything that builds a schema.
config({ jitless: true });
