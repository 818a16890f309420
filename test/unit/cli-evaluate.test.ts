import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { parseIdentifierKeyring } from '#shared/domain/identifier-keys.ts';
import { KFQ_2019_POLICY } from '#shared/policy/default-policy.ts';
import { currentInputHashing, leadHash } from '#shared/policy/input-hash.ts';
import { DecisionSchema } from '#shared/schemas/decision.ts';
import { leadInput, PERSON_RESIDENT_ID, parseValidLead } from '#test/fixtures/leads.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cli-evaluate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const naturalPerson = (): unknown =>
  JSON.parse(readFileSync(join(root, 'docs/examples/lead-natural-person.json'), 'utf8'));

/** Runs the CLI in a child Node (the one running vitest, Node 24) and collects its output and exit code. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['infra/cli/main.ts', 'evaluate', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

// The cases spawn processes, so they run concurrently (each uses its own `expect`); a loaded machine (the
// whole suite on two cores) can take seconds to start fourteen Node processes at once.
describe.concurrent('cli evaluate', { timeout: 20_000 }, () => {
  it.for<[string, number, boolean, string[], string | null]>([
    ['lead-referral.json', 240_000_000, true, [], 'per_project_cap'],
    ['lead-natural-person.json', 200_000_000, false, [], 'request'],
    [
      'lead-major-project.json',
      1_260_000_000,
      false,
      ['planned_investment_at_or_above_threshold', 'municipal_major_project'],
      null,
    ],
    ['lead-intermediary.json', 0, false, [], null],
  ])(
    'prints the decision for docs/examples/%s and exits 0',
    async ([name, amountFen, payable, reasons, boundBy], { expect }) => {
      const { code, stdout, stderr } = await cli(`docs/examples/${name}`);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('\n  "policyVersion": "kfq-2019"');
      const decision = DecisionSchema.parse(JSON.parse(stdout));
      expect(decision.referralReward.amountFen).toBe(amountFen);
      expect(decision.referralReward.payable).toBe(payable);
      expect(decision.flags.flatMap((flag) => flag.reasons)).toEqual(reasons);
      expect(decision.fund.boundBy).toBe(boundBy);
    },
  );

  it('evaluates under another policy version given with --policy (what-if)', async ({ expect }) => {
    const policy = structuredClone(KFQ_2019_POLICY);
    const rules = policy.rules.map((rule) =>
      rule.type === 'referral_reward' ? { ...rule, basisPoints: 300 } : rule,
    );
    const path = file('policy-3pct.json', { ...policy, version: 'kfq-whatif', rules });
    const { code, stdout } = await cli('docs/examples/lead-referral.json', '--policy', path);
    expect(code).toBe(0);
    const decision = DecisionSchema.parse(JSON.parse(stdout));
    expect(decision.policyVersion).toBe('kfq-whatif');
    expect(decision.referralReward.amountFen).toBe(360_000_000);
  });

  it('selects the version in force with --at among the built-in ones, and refuses an instant before any', async ({
    expect,
  }) => {
    expect((await cli('docs/examples/lead-referral.json', '--at', '2018-12-31T16:00:00Z')).code).toBe(0);
    const before = await cli('docs/examples/lead-referral.json', '--at', '2018-12-31T15:59:59Z');
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('no policy is in force');
  });

  it('keys the input hash with the keyring of --identifier-keys and records its key id', async ({
    expect,
  }) => {
    const keyring = (id: string, key: string) => file(`keys-${id}.json`, { current: id, [id]: key });
    const first = keyring('office-1', 'an-identifier-key-for-the-cli-test-0001');
    const second = keyring('office-2', 'an-identifier-key-for-the-cli-test-0002');
    const run = async (keys: string) => {
      const { code, stdout } = await cli('docs/examples/lead-natural-person.json', '--identifier-keys', keys);
      expect(code).toBe(0);
      return DecisionSchema.parse(JSON.parse(stdout));
    };
    const [a, b] = await Promise.all([run(first), run(second)]);
    expect(a.inputHashForm).toEqual({ version: 2, keyId: 'office-1' });
    expect(a.inputHash).toBe(
      leadHash(
        parseValidLead(naturalPerson()),
        currentInputHashing(parseIdentifierKeyring(readFileSync(first, 'utf8'))),
      ),
    );
    expect(b.inputHash).not.toBe(a.inputHash);
  });

  it('refuses an unusable keyring without printing it, and exits 2', async ({ expect }) => {
    const path = file('short-keys.json', { current: 'k1', k1: 'too-short-a-key' });
    const { code, stderr } = await cli('docs/examples/lead-referral.json', '--identifier-keys', path);
    expect(code).toBe(2);
    expect(stderr).toContain('identifier-keys: key k1 is shorter than 32 characters');
    expect(stderr).not.toContain('too-short-a-key');
  });

  it('lists every bad lead field on stderr, without the resident ID, and exits 2', async ({ expect }) => {
    const badId = `${PERSON_RESIDENT_ID.slice(0, 17)}${PERSON_RESIDENT_ID.endsWith('0') ? '1' : '0'}`;
    const path = file('bad-lead.json', {
      ...leadInput(),
      introducer: { type: 'natural_person', name: '李明', residentId: badId },
      actualInvestment: '1.234',
      sector: 'mining',
    });
    const { code, stdout, stderr } = await cli(path);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('lead.introducer.residentId: ');
    // Chinese first, English beside.
    expect(stderr).toContain('lead.actualInvestment: 小数超过两位（不足一分） / has more than two decimals');
    expect(stderr).toContain('lead.sector: 不是已配置的招商专班 / is not a configured sector team');
    expect(stderr).not.toContain(badId);
  });

  it.for<[string, () => string[], string]>([
    ['a missing file', () => [join(dir, 'absent.json')], 'cannot read'],
    ['bad JSON', () => [file('broken.json', '{"sector": ')], 'is not valid JSON'],
    [
      'an invalid policy',
      () => ['docs/examples/lead-referral.json', '--policy', file('bad-policy.json', { version: 'x' })],
      'policy.',
    ],
    ['no lead file', () => [], '<lead.json>: 必填 / is required'],
    [
      'an unknown option',
      () => ['docs/examples/lead-referral.json', '--fast'],
      '--fast: 不是可识别的选项 / is not a known option',
    ],
  ])('exits 2 on %s', async ([, args, message], { expect }) => {
    const { code, stderr } = await cli(...args());
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
