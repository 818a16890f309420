/**
 * `npm run chaos -- [--kills 50] [--leads 200] [--allocations 50] [--seed 7]`: the crash loop of issue 13.
 * Options: `--max-uptime-ms 3000` (a kill falls within this long after health ok), `--startup-kills 0.15`
 * (share of kills during start-up), `--settle-seconds 180` (after the last restart), `--keep` (keep the
 * data dir and the stack log), `--json FILE` (the whole result). Exits 1 when an invariant fails, 2 on
 * bad options, 3 when the run itself could not complete (the stack did not come back, say).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runChaos } from './crash-loop.ts';
import { renderReport } from './report.ts';
import type { ChaosSettings } from './workload.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    kills: { type: 'string', default: '50' },
    leads: { type: 'string', default: '200' },
    allocations: { type: 'string', default: '50' },
    seed: { type: 'string', default: '7' },
    'max-uptime-ms': { type: 'string', default: '3000' },
    'startup-kills': { type: 'string', default: '0.15' },
    'settle-seconds': { type: 'string', default: '180' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
  strict: true,
});

const whole = (name: keyof typeof values, min: number): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) fail(`--${name} must be a whole number ≥ ${min}`);
  return value;
};
const startupShare = Number(values['startup-kills']);
if (!(startupShare >= 0 && startupShare <= 1)) fail('--startup-kills must be between 0 and 1');

const settings: ChaosSettings = {
  kills: whole('kills', 0),
  leads: whole('leads', 1),
  allocations: whole('allocations', 1),
  seed: whole('seed', 0),
  maxUptimeMs: whole('max-uptime-ms', 100),
  startupKillShare: startupShare,
  settleSeconds: whole('settle-seconds', 5),
};

const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // The first signal stops the run cleanly; a second one exits at once (the exit hook kills the stack).
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write(`${signal}: stopping the stack…\n`);
    abort.abort();
  });
}

try {
  const result = await runChaos(settings, { keep: values.keep, signal: abort.signal });
  process.stdout.write(`\n${renderReport(result)}\n`);
  if (values.json !== undefined) {
    const { observation: _observation, ...rest } = result;
    writeFileSync(
      values.json,
      `${JSON.stringify(rest, (_key, value) => (value instanceof Set ? [...value] : value), 2)}\n`,
    );
  }
  process.exit(result.invariants.every((invariant) => invariant.ok) ? 0 : 1);
} catch (error) {
  process.stderr.write(
    `the crash loop could not complete: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(3);
}
