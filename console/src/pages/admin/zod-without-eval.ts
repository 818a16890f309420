import { config } from 'zod';

// The console's CSP allows no 'unsafe-eval'. zod compiles object parsers with `new Function` unless told
// not to, and merely probing for it is reported as a CSP violation: the policy template is parsed (by
// shared/policy/default-policy.ts) with zod's plain parsers instead. Imported before that module.
config({ jitless: true });
