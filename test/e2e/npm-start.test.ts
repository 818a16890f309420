import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

/**
 * `npm start` as a user runs it: ready with a URL, healthy, and SIGTERM to npm stops everything it
 * started, DynamoDB Local's Java process included.
 */

function npmStart(): ChildProcess {
  // Under `npm test`, npm tells its own path; elsewhere `npm` is on PATH.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli === undefined ? ['npm', ['start']] : [process.execPath, [npmCli, 'start']];
  return spawn(command, [...args, '--', '--no-demo', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '' },
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('prints the URL, answers /health, and on SIGTERM leaves no Java process', async () => {
    const npm = npmStart();
    let output = '';
    npm.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const banner = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${output}`)), 60_000);
      npm.stdout?.on('data', () => {
        const ready = output.match(/ready in [\d.]+ s: (http:\/\/127\.0\.0\.1:\d+)[\s\S]*?pid (\d+)\)/);
        if (ready !== null) {
          clearTimeout(timer);
          resolve(ready);
        }
      });
    });
    const [, baseUrl, javaPid] = banner as unknown as [string, string, string];
    const health = await fetch(`${baseUrl}/health`);
    expect(await health.json()).toEqual({ status: 'ok', dynamodb: 'up', sqs: 'up' });
    expect(isRunning(Number(javaPid))).toBe(true);

    const exited = once(npm, 'exit');
    npm.kill('SIGTERM');
    await exited;
    // npm may exit before its child has finished stopping: give the stop a moment.
    const deadline = Date.now() + 15_000;
    while (isRunning(Number(javaPid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(isRunning(Number(javaPid))).toBe(false);
  }, 90_000);
});
