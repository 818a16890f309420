import { parseArgs } from 'node:util';
import { ensureConsoleBuilt } from '../console-build.ts';
import { type RouteDefinition, routes } from '../resources.ts';
import type { DevRole } from './dev-identity.ts';
import { type LocalCloud, startLocalCloud } from './local-cloud.ts';
import { errorFields, jsonLog } from './log.ts';
import { type LocalIdentitySettings, localIdentityFromEnv } from './oidc-issuer.ts';
import { removeStackFile, writeStackFile } from './stack-file.ts';

/**
 * `npm start [-- --data-dir DIR] [--no-demo] [--port N]`: the whole pipeline on this machine.
 * Logs are JSON on stderr; the banner (URL, curl examples, one token per role) is on stdout.
 * Ctrl-C or SIGTERM stops everything it started, DynamoDB Local's Java process included.
 * Sign-in settings come from the environment (infra/local/oidc-issuer.ts): KFQ_OIDC_ISSUER,
 * KFQ_OIDC_AUDIENCE (and KFQ_OIDC_JWKS_URI) trust one more OIDC issuer beside the dev identity;
 * AUTH_ROLES_CLAIM and AUTH_GROUP_ROLES say where tokens carry groups and how groups map to roles.
 */

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    'data-dir': { type: 'string' },
    'no-demo': { type: 'boolean', default: false },
    port: { type: 'string' },
  },
  strict: true,
});

const log = jsonLog();
// biome-ignore lint/complexity/useLiteralKeys: PORT is an index-signature key
const portText = values.port ?? process.env['PORT'];
const port = portText === undefined ? 3000 : Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`invalid port: ${portText}\n`);
  process.exit(2);
}

let identitySettings: LocalIdentitySettings;
try {
  identitySettings = localIdentityFromEnv(process.env);
} catch (error) {
  process.stderr.write(`invalid sign-in settings: ${(error as Error).message}\n`);
  process.exit(2);
}

// Locally, metrics would only be EMF lines on stdout among the logs: off unless asked for.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const started = Date.now();
// The console is served from its build, made now only when its sources changed (a few seconds, beside
// the engines' start); a build that fails leaves the API running and says so in the banner.
const consoleBuild = ensureConsoleBuilt().then(
  (built) => ({ built, error: undefined }),
  (error: unknown) => ({ built: false, error: error as Error }),
);
const starting = startLocalCloud({
  port,
  seed: true,
  demo: !values['no-demo'],
  log,
  ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
  roleClaims: identitySettings.roleClaims,
  ...(identitySettings.oidc === undefined ? {} : { oidc: identitySettings.oidc }),
});

// Installed before the engines are up: a signal during start still stops whatever has started.
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log('info', 'stopping', { signal });
  starting
    .then((cloud) => cloud.stop())
    .then(() => removeStackFile(values['data-dir']))
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      log('error', 'stop failed', errorFields(error));
      process.exit(1);
    });
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));
// If whatever started us goes away without a signal reaching us (its parent killed outright), stop
// too, rather than leave DynamoDB Local running with nobody to stop it.
const startedBy = process.ppid;
setInterval(() => {
  if (process.ppid !== startedBy) shutdown('parent exited');
}, 1000).unref();

let cloud: LocalCloud;
try {
  cloud = await starting;
} catch (error) {
  // startLocalCloud has already stopped what it started.
  log('error', 'the local cloud could not start', errorFields(error));
  process.exit(1);
}

writeStackFile(values['data-dir'], cloud.env);
const consoleState = await consoleBuild;
if (consoleState.error !== undefined) {
  log('error', 'the console could not be built', errorFields(consoleState.error));
}

const roles: readonly DevRole[] = ['sector:optoelectronics', 'finance', 'auditor', 'admin'];
// Two finance users: the payer must not be the approver (maker-checker).
const DEV_SIGN_IN_LINKS: readonly (readonly [string, string])[] = [
  ['sector (optoelectronics)', 'role=sector:optoelectronics&user=officer-1'],
  ['sector (food)', 'role=sector:food&user=officer-food-1'],
  ['finance (approves)', 'role=finance&user=fin-1'],
  ['finance (pays)', 'role=finance&user=fin-2'],
  ['finance head (signs above 50万)', 'role=finance-head&user=head-1'],
  ['auditor', 'role=auditor&user=auditor-1'],
  ['admin', 'role=admin&user=admin-1'],
];
// A group → role mapping (AUTH_GROUP_ROLES) may leave a role without a group: no token for it, then.
const tokens = await Promise.all(
  roles.map((role) =>
    cloud
      .tokenFor(role, undefined, 12 * 3600)
      .catch((error: unknown) => `(none: ${(error as Error).message})`),
  ),
);
// An authenticated example from the route table: a protected GET without path parameters.
const protectedGet = (routes as readonly RouteDefinition[]).find(
  (route) => route.method === 'GET' && route.access !== 'public' && !route.path.includes('{'),
);
const firstAccess =
  protectedGet === undefined || protectedGet.access === 'public' ? undefined : protectedGet.access[0];
const example =
  protectedGet === undefined || firstAccess === undefined
    ? { role: 'finance', path: '/health' }
    : { role: firstAccess === 'sector' ? 'sector:optoelectronics' : firstAccess, path: protectedGet.path };
const dataDirFlag = values['data-dir'] === undefined ? '' : ` --data-dir ${values['data-dir']}`;

process.stdout.write(
  [
    '',
    `Local cloud ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${cloud.baseUrl}`,
    `  DynamoDB Local ${cloud.endpoints.dynamodb} (${values['data-dir'] === undefined ? 'in memory' : `data in ${values['data-dir']}`}, pid ${cloud.pids.dynamodb})`,
    `  SQS server     ${cloud.endpoints.sqs} (in memory${values['data-dir'] === undefined ? '' : '; queued messages saved to the data dir on stop'})`,
    '',
    consoleState.error === undefined
      ? `Console: ${cloud.baseUrl}/console/${consoleState.built ? ' (built now)' : ''}`
      : `Console: not built (${consoleState.error.message.split('\n')[0]}); npm run build:console shows why`,
    '  DEV-ONLY sign-in (this machine only), one link per role:',
    ...DEV_SIGN_IN_LINKS.map(
      ([label, query]) => `    ${label.padEnd(25)} ${cloud.baseUrl}/dev/sign-in?${query}`,
    ),
    '',
    'Try:',
    `  curl -s ${cloud.baseUrl}/health`,
    `  curl -s -H "Authorization: Bearer $(npm run --silent cli -- token --role ${example.role}${dataDirFlag})" ${cloud.baseUrl}${example.path}`,
    '',
    ...(cloud.identity.oidcIssuer === undefined
      ? []
      : [
          `Also trusted: tokens of ${cloud.identity.oidcIssuer} (KFQ_OIDC_ISSUER), roles from ${identitySettings.roleClaims.claim}`,
          '',
        ]),
    'DEV-ONLY tokens (12 h), one per role:',
    ...roles.flatMap((role, index) => [`  ${role}:`, `    ${tokens[index]}`]),
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
