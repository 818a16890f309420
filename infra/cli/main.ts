/**
 * `npm run --silent cli -- <command> [args]`: the project's command line.
 * Each command lives in its own module and is loaded only when asked for, so `evaluate` starts fast and
 * never loads the AWS SDK.
 */

interface Command {
  readonly summary: string;
  readonly load: () => Promise<{ run: (args: string[]) => Promise<number> }>;
}

const commands: Record<string, Command> = {
  evaluate: {
    summary:
      'evaluate <lead.json> [--policy <policy.json>] [--at <ISO instant>] [--identifier-keys <keyring.json>]: print the decision',
    load: () => import('./evaluate.ts'),
  },
  token: {
    summary:
      'token --role <sector:<code>|finance|auditor|admin> [--user <id>]: print a dev JWT for the local stack',
    load: () => import('./token.ts'),
  },
  redrive: {
    summary: 'redrive [--queue Evaluation|Allocation] [--data-dir DIR]: move dead-lettered messages back',
    load: () => import('./redrive.ts'),
  },
  'backfill-lead-list': {
    summary:
      'backfill-lead-list [--data-dir DIR]: give leads stored before the newestFirst index its keys (once, after deploying it)',
    load: () => import('./backfill-lead-list.ts'),
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    process.stderr.write(
      `usage: npm run --silent cli -- <command>\n\n${Object.entries(commands)
        .map(([key, value]) => `  ${key.padEnd(10)} ${value.summary}`)
        .join('\n')}\n`,
    );
    return name === undefined || name === '--help' ? 0 : 2;
  }
  const module = await command.load();
  return module.run(args);
}

process.exitCode = await main(process.argv.slice(2));
