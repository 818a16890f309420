/**
 * `npm run --silent cli -- evaluate <lead.json> [--policy <policy.json>] [--at <instant>]`
 *
 * Prints the decision for a lead file (pretty JSON) and returns 0; on bad input (unreadable file, bad
 * JSON, invalid lead, invalid policy, unknown option) prints the problems field by field to stderr and
 * returns 2. Without --policy it uses the default policy kfq-2019; with --policy it evaluates under that
 * document (the what-if tool for a new version). The policy file may also hold an array of versions: then
 * the one in force at --at (default: now) is used. --at without --policy selects among the built-in
 * versions. The decision holds no time, so the output is the same on every run.
 */
import { readFile } from 'node:fs/promises';
import type { FieldProblem } from '#shared/errors.ts';
import { DEFAULT_POLICIES, DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import { type Policy, PolicySchema } from '#shared/policy/policy-schema.ts';
import { PolicySelectionError, selectPolicy } from '#shared/policy/select-policy.ts';
import { parseLead, problemsFromZod } from '#shared/schemas/lead.ts';

const USAGE =
  'usage: npm run --silent cli -- evaluate <lead.json> [--policy <policy.json>] [--at <ISO instant>]';

class InputError extends Error {
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[]) {
    super(problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

interface Options {
  readonly leadPath: string;
  readonly policyPath?: string;
  readonly at?: string;
}

function parseArgs(args: readonly string[]): Options {
  let leadPath: string | undefined;
  let policyPath: string | undefined;
  let at: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--policy' || arg === '--at') {
      const value = args[i + 1];
      if (value === undefined) throw new InputError([{ field: arg, message: 'needs a value' }]);
      if (arg === '--policy') policyPath = value;
      else at = value;
      i += 1;
    } else if (arg.startsWith('--policy=')) {
      policyPath = arg.slice('--policy='.length);
    } else if (arg.startsWith('--at=')) {
      at = arg.slice('--at='.length);
    } else if (arg.startsWith('-')) {
      throw new InputError([{ field: arg, message: 'is not a known option' }]);
    } else if (leadPath === undefined) {
      leadPath = arg;
    } else {
      throw new InputError([{ field: arg, message: 'unexpected extra argument' }]);
    }
  }
  if (leadPath === undefined) throw new InputError([{ field: '<lead.json>', message: 'is required' }]);
  return {
    leadPath,
    ...(policyPath === undefined ? {} : { policyPath }),
    ...(at === undefined ? {} : { at }),
  };
}

async function readJson(path: string, label: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InputError([
      { field: label, message: `cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}` },
    ]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError([
      { field: label, message: `${path} is not valid JSON: ${(error as Error).message}` },
    ]);
  }
}

async function loadPolicy(options: Options): Promise<Policy> {
  if (options.policyPath === undefined) {
    return options.at === undefined ? DEFAULT_POLICY : selectPolicy(DEFAULT_POLICIES, options.at);
  }
  const raw = await readJson(options.policyPath, 'policy');
  const documents = Array.isArray(raw) ? raw : [raw];
  const policies: Policy[] = [];
  const problems: FieldProblem[] = [];
  documents.forEach((document, index) => {
    const result = PolicySchema.safeParse(document);
    if (result.success) policies.push(result.data);
    else problems.push(...problemsFromZod(result.error, Array.isArray(raw) ? `policy.${index}` : 'policy'));
  });
  if (problems.length > 0) throw new InputError(problems);
  if (!Array.isArray(raw) && options.at === undefined) return policies[0] as Policy;
  return selectPolicy(policies, options.at ?? new Date());
}

export async function run(args: string[]): Promise<number> {
  try {
    const options = parseArgs(args);
    const raw = await readJson(options.leadPath, 'lead');
    const policy = await loadPolicy(options);
    const parsed = parseLead(raw);
    if (!parsed.ok)
      throw new InputError(
        parsed.problems.map((problem) => ({ ...problem, field: `lead.${problem.field}` })),
      );
    const decision = evaluateLead(parsed.lead, policy);
    process.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`evaluate: invalid input\n${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof PolicySelectionError) {
      process.stderr.write(`evaluate: invalid input\npolicy: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
