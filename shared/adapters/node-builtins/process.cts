// `node:process` for the Lambda bundles, loaded as CommonJS: see ESBUILD_ALIAS in infra/constructs/kfq-function.ts.
// Importing it as ESM reads every property of `process`, so the lazy getters `stdin` (opens a stream)
// and `allowedNodeEnvironmentFlags` (builds a set of every Node flag) run at import for nothing.
module.exports = process.getBuiltinModule('node:process');
