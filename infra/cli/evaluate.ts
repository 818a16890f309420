/**
 * `npm run --silent cli -- evaluate <lead.json> [--policy <policy.json>] [--at <instant>]`
 *
 * Prints the decision for a lead file (pretty JSON) and returns 0; on bad input (unreadable file, bad
 * JSON, invalid lead, invalid policy, unknown option) prints the problems field by field to stderr and
 * returns 2. Without --policy it uses the default policy kfq-2019; with --policy it evaluates under that
 * document (the what-if tool for a new version). The policy file may also hold an array of versions: then
 * the one in force at --at (default: now) is used. --at without --policy selects among the built-in
 * versions. The decision holds no time, so the output is the same on every run.
 *
 * The input hash is keyed (shared/policy/input-hash.ts): by default with the local dev keyring
 * (`.data/dev-identity/identifier-keys.json`, made on first use, the one `npm start` uses, so the hash is
 * the one the local stack records for the same lead); `--identifier-keys <keyring.json>` uses another
 * keyring's current key (the deployment's secret, to reproduce a recorded hash).
 */
import { readFile } from 'node:fs/promises';
import {
  type IdentifierKeyring,
  IdentifierKeyringError,
  parseIdentifierKeyring,
} from '#shared/domain/identifier-keys.ts';
import type { FieldProblem } from '#shared/errors.ts';
import { DEFAULT_POLICIES, DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { evaluateLead } from '#shared/policy/evaluate-lead.ts';
import { currentInputHashing } from '#shared/policy/input-hash.ts';
import { type Policy, PolicySchema } from '#shared/policy/policy-schema.ts';
import { PolicySelectionError, selectPolicy } from '#shared/policy/select-policy.ts';
import { parseLead } from '#shared/schemas/lead.ts';
import { inBothLanguages, problemsFromZod } from '#shared/schemas/zod-text.ts';
import { loadOrCreateDevIdentifierKeys } from '../local/dev-identifier-keys.ts';

const USAGE =
  'usage: npm run --silent cli -- evaluate <lead.json> [--policy <policy.json>] [--at <ISO instant>] [--identifier-keys <keyring.json>]';

class InputError extends Error {
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[]) {
    // Chinese first, English beside (once when both say the same, e.g. a message from Node).
    const line = ({ field, message: { zh, en } }: FieldProblem) =>
      zh === en ? `${field}: ${zh}` : `${field}: ${zh} / ${en}`;
    super(problems.map(line).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

interface Options {
  readonly leadPath: string;
  readonly policyPath?: string;
  readonly at?: string;
  readonly identifierKeysPath?: string;
}

const VALUE_OPTIONS = ['--policy', '--at', '--identifier-keys'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

function parseArgs(args: readonly string[]): Options {
  let leadPath: string | undefined;
  const values: Partial<Record<ValueOption, string>> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const option = VALUE_OPTIONS.find((name) => arg === name || arg.startsWith(`${name}=`));
    if (option !== undefined) {
      const value = arg === option ? args[i + 1] : arg.slice(option.length + 1);
      if (value === undefined) {
        throw new InputError([{ field: arg, message: { zh: '缺少取值', en: 'needs a value' } }]);
      }
      values[option] = value;
      if (arg === option) i += 1;
    } else if (arg.startsWith('-')) {
      throw new InputError([
        { field: arg, message: { zh: '不是可识别的选项', en: 'is not a known option' } },
      ]);
    } else if (leadPath === undefined) {
      leadPath = arg;
    } else {
      throw new InputError([{ field: arg, message: { zh: '多余的参数', en: 'unexpected extra argument' } }]);
    }
  }
  if (leadPath === undefined) {
    throw new InputError([{ field: '<lead.json>', message: { zh: '必填', en: 'is required' } }]);
  }
  const { '--policy': policyPath, '--at': at, '--identifier-keys': identifierKeysPath } = values;
  return {
    leadPath,
    ...(policyPath === undefined ? {} : { policyPath }),
    ...(at === undefined ? {} : { at }),
    ...(identifierKeysPath === undefined ? {} : { identifierKeysPath }),
  };
}

async function loadKeyring(options: Options): Promise<IdentifierKeyring> {
  try {
    const text =
      options.identifierKeysPath === undefined
        ? loadOrCreateDevIdentifierKeys()
        : await readText(options.identifierKeysPath, 'identifier-keys');
    return parseIdentifierKeyring(text);
  } catch (error) {
    if (!(error instanceof IdentifierKeyringError)) throw error;
    throw new InputError([{ field: 'identifier-keys', message: { zh: error.message, en: error.message } }]);
  }
}

async function readText(path: string, label: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = typeof code === 'string' ? ` (${code})` : '';
    throw new InputError([
      { field: label, message: { zh: `无法读取 ${path}${why}`, en: `cannot read ${path}${why}` } },
    ]);
  }
}

async function readJson(path: string, label: string): Promise<unknown> {
  const text = await readText(path, label);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const why = (error as Error).message;
    throw new InputError([
      {
        field: label,
        message: { zh: `${path} 不是有效的 JSON：${why}`, en: `${path} is not valid JSON: ${why}` },
      },
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
    const result = PolicySchema.safeParse(document, inBothLanguages);
    if (result.success) policies.push(result.data);
    else
      problems.push(
        ...problemsFromZod(result.error, { prefix: Array.isArray(raw) ? `policy.${index}` : 'policy' }),
      );
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
    const keyring = await loadKeyring(options);
    const decision = evaluateLead(parsed.lead, policy, currentInputHashing(keyring));
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
