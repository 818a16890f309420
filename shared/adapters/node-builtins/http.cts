// `node:http` for the Lambda bundles, loaded as CommonJS: see ESBUILD_ALIAS in infra/constructs/kfq-function.ts.
// Importing a built-in as ESM builds its namespace by reading every export, and `http`'s lazy getters
// WebSocket, CloseEvent and MessageEvent then load undici (10–15 ms of a cold start, for nothing).
module.exports = process.getBuiltinModule('node:http');
