import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataRoot } from './paths.ts';

/**
 * While `npm start` runs, the environment it gives the handlers (endpoints, table names, queue URLs)
 * is written here, so other commands (`cli redrive`) reach the same engines on their ephemeral ports.
 */
function stackFile(dataDir: string | undefined): string {
  return join(dataDir ?? defaultDataRoot, 'local-stack.json');
}

export function writeStackFile(dataDir: string | undefined, env: Readonly<Record<string, string>>): void {
  mkdirSync(dataDir ?? defaultDataRoot, { recursive: true });
  // The environment holds the dev identifier keyring: readable by this user only, as its own file is.
  writeFileSync(stackFile(dataDir), `${JSON.stringify({ pid: process.pid, env }, null, 2)}\n`, {
    mode: 0o600,
  });
}

export function removeStackFile(dataDir: string | undefined): void {
  rmSync(stackFile(dataDir), { force: true });
}

/** The running stack's environment, or undefined when no stack is running. */
export function readStackEnv(dataDir: string | undefined): Record<string, string> | undefined {
  try {
    const { pid, env } = JSON.parse(readFileSync(stackFile(dataDir), 'utf8')) as {
      pid: number;
      env: Record<string, string>;
    };
    process.kill(pid, 0); // throws when that stack has gone
    return env;
  } catch {
    return undefined;
  }
}
