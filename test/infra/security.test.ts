import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionDefinition,
  functions,
  queues,
  secrets,
  type TableAccess,
  tables,
} from '#infra/resources.ts';
import {
  asArray,
  logicalIdOf,
  removeSynthesis,
  resourcesOfType,
  type Synthesized,
  synthesizeApp,
} from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  // Nothing here reads the bundles (service-stack.test.ts does): skip esbuild, the slow part of synth.
  synth = synthesizeApp({ bundle: false });
}, 120_000);
afterAll(() => removeSynthesis(synth));

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every statement of every policy attached to the function's role; the role has nothing else. */
function statementsOf(functionId: string): Statement[] {
  const fn = synth.stacks.service.functions.get(functionId);
  if (fn === undefined) throw new Error(`no function ${functionId}`);
  const roleId = logicalIdOf(fn.role);
  const role = synth.serviceJson.Resources[roleId]?.Properties ?? {};
  expect(role.ManagedPolicyArns, `${functionId}: no managed policy`).toBeUndefined();
  expect(role.Policies, `${functionId}: no inline policy`).toBeUndefined();
  return resourcesOfType(synth.serviceJson, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, policy]) =>
      asArray((policy.Properties?.PolicyDocument as { Statement?: Statement[] } | undefined)?.Statement),
    );
}

/** The actions granted on resources that reference `logicalId`, split between the ARN itself and its indexes. */
function actionsOn(statements: Statement[], logicalId: string) {
  const onResource = new Set<string>();
  const onIndexes = new Map<string, Set<string>>();
  let mentioned = false;
  for (const statement of statements) {
    for (const resource of asArray(statement.Resource)) {
      const text = JSON.stringify(resource);
      if (!text.includes(logicalId)) continue;
      mentioned = true;
      expect(statement.Effect).toBe('Allow');
      const index = /\/index\/([^"]+)"/.exec(text)?.[1];
      const target = index === undefined ? onResource : (onIndexes.get(index) ?? new Set<string>());
      if (index !== undefined) onIndexes.set(index, target);
      for (const action of asArray(statement.Action)) target.add(action);
    }
  }
  return { mentioned, onResource, onIndexes };
}

const READS = ['dynamodb:GetItem', 'dynamodb:Query'];
const UPDATES = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const KNOWN_DYNAMODB = new Set([
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
]);
const CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'];

const tableLogicalId = (tableId: string) => {
  const table = synth.stacks.data.tables.get(tableId);
  if (table === undefined) throw new Error(`no table ${tableId}`);
  return logicalIdOf(table);
};
const queueLogicalIds = (queueId: string) => {
  const queue = synth.stacks.data.queues.get(queueId);
  const dlq = synth.stacks.data.deadLetterQueues.get(queueId);
  if (queue === undefined || dlq === undefined) throw new Error(`no queue ${queueId}`);
  return { queue: logicalIdOf(queue), dlq: logicalIdOf(dlq) };
};

describe('least privilege, per function, from the definition', () => {
  for (const definition of functions) {
    it(`${definition.id}: grants on each table exactly what its definition says`, () => {
      const statements = statementsOf(definition.id);
      for (const table of tables) {
        const access = (definition.tables as Readonly<Record<string, TableAccess | undefined>>)[table.id];
        const { mentioned, onResource, onIndexes } = actionsOn(statements, tableLogicalId(table.id));
        const all = [...onResource, ...[...onIndexes.values()].flatMap((set) => [...set])];
        for (const action of all) expect(KNOWN_DYNAMODB.has(action), `${table.id}: ${action}`).toBe(true);
        const has = (action: string) => onResource.has(action);
        switch (access) {
          case undefined:
            expect(mentioned, `${definition.id} has no statement on ${table.id}`).toBe(false);
            break;
          case 'append':
            expect([...onResource], `${table.id} append = PutItem only`).toEqual(['dynamodb:PutItem']);
            expect(onIndexes.size, `${table.id} append: no index`).toBe(0);
            break;
          case 'read':
          case 'readAppend':
          case 'readWrite': {
            for (const action of READS) expect(has(action), `${table.id} ${access} ${action}`).toBe(true);
            for (const name of table.globalIndexes.map((index) => index.name)) {
              expect(onIndexes.get(name)?.has('dynamodb:Query'), `${table.id} index ${name}`).toBe(true);
            }
            for (const actions of onIndexes.values()) {
              for (const action of [...UPDATES, 'dynamodb:PutItem']) expect(actions.has(action)).toBe(false);
            }
            const canPut = access !== 'read';
            expect(has('dynamodb:PutItem'), `${table.id} ${access} PutItem`).toBe(canPut);
            for (const action of UPDATES) {
              expect(has(action), `${table.id} ${access} ${action}`).toBe(access === 'readWrite');
            }
            break;
          }
          default:
            throw new Error(`unknown access ${String(access)}`);
        }
      }
    });

    it(`${definition.id}: grants on each queue and dead-letter queue exactly what its definition says`, () => {
      const statements = statementsOf(definition.id);
      for (const queue of queues) {
        const access = (definition.queues as Readonly<Record<string, string | undefined>>)[queue.id];
        const ids = queueLogicalIds(queue.id);
        const main = actionsOn(statements, ids.queue);
        const dlq = actionsOn(statements, ids.dlq);
        const onMain = main.onResource;
        switch (access) {
          case undefined:
            expect(main.mentioned || dlq.mentioned, `${definition.id} has no statement on ${queue.id}`).toBe(
              false,
            );
            break;
          case 'send':
            expect(onMain.has('sqs:SendMessage')).toBe(true);
            for (const action of [...CONSUME, 'sqs:PurgeQueue'])
              expect(onMain.has(action), action).toBe(false);
            expect(dlq.mentioned).toBe(false);
            break;
          case 'consume':
            for (const action of CONSUME) expect(onMain.has(action), action).toBe(true);
            expect(onMain.has('sqs:SendMessage')).toBe(false);
            expect(dlq.mentioned).toBe(false);
            break;
          case 'redrive':
            for (const action of [...CONSUME, 'sqs:SendMessage'])
              expect(dlq.onResource.has(action), action).toBe(true);
            expect(onMain.has('sqs:SendMessage')).toBe(true);
            for (const action of CONSUME) expect(onMain.has(action), action).toBe(false);
            break;
          default:
            throw new Error(`unknown access ${access}`);
        }
        for (const action of [...onMain, ...dlq.onResource]) expect(action).not.toContain('*');
      }
    });

    it(`${definition.id}: reads exactly the secrets its definition names (GetSecretValue, nothing more)`, () => {
      const statements = statementsOf(definition.id);
      const declared: readonly string[] = (definition as FunctionDefinition).secrets ?? [];
      for (const secret of secrets) {
        const stored = synth.stacks.data.secrets.get(secret.id);
        const { mentioned, onResource } = actionsOn(statements, logicalIdOf(stored as IConstruct));
        expect(mentioned, `${definition.id} on ${secret.id}`).toBe(declared.includes(secret.id));
        if (mentioned) expect([...onResource]).toEqual(['secretsmanager:GetSecretValue']);
      }
      const secretActions = statements.flatMap((statement) =>
        asArray(statement.Action).filter((action) => action.startsWith('secretsmanager:')),
      );
      expect(secretActions).toHaveLength(declared.length);
    });

    it(`${definition.id}: has no wildcard action, Resource "*" only for X-Ray, logs only to its own log group`, () => {
      const statements = statementsOf(definition.id);
      const fn = synth.stacks.service.functions.get(definition.id);
      const logGroupId = logicalIdOf(fn?.logGroup as IConstruct);
      for (const statement of statements) {
        const actions = asArray(statement.Action);
        for (const action of actions) expect(action, definition.id).not.toMatch(/\*$/);
        if (asArray(statement.Resource).includes('*')) {
          expect(
            actions.every((action) => action.startsWith('xray:')),
            JSON.stringify(actions),
          ).toBe(true);
        }
        if (actions.some((action) => action.startsWith('logs:'))) {
          expect(statement.Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
        }
      }
    });
  }

  it('never lets anyone update or delete in an append-only table (the audit trail)', () => {
    const appendOnly = tables.filter((table) => 'appendOnly' in table && table.appendOnly);
    expect(appendOnly.length).toBeGreaterThan(0);
    for (const table of appendOnly) {
      for (const definition of functions) {
        const { onResource } = actionsOn(statementsOf(definition.id), tableLogicalId(table.id));
        for (const action of UPDATES)
          expect(onResource.has(action), `${definition.id} ${action} on ${table.id}`).toBe(false);
      }
    }
  });
});

describe('the identifier key secret', () => {
  it('is granted to exactly the functions whose handler hashes leads (composed with keyedHashingAdapters)', () => {
    const hashing = functions
      .filter((definition) =>
        readFileSync(join(import.meta.dirname, '..', '..', definition.entry), 'utf8').includes(
          'keyedHashingAdapters()',
        ),
      )
      .map((definition) => definition.id);
    const granted = functions
      .filter((definition) => ((definition as FunctionDefinition).secrets ?? []).includes('IdentifierKeys'))
      .map((definition) => definition.id);
    expect(hashing.length).toBeGreaterThan(0);
    expect(granted).toEqual(hashing);
  });
});

describe('cdk-nag AwsSolutions', () => {
  interface PluginReport {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; severity: string }[];
    suppressedViolations?: { ruleName: string; reason?: string }[];
  }
  const report = () =>
    JSON.parse(readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: PluginReport[];
    };

  it('ran on the app and left no unacknowledged error', () => {
    const nag = report().pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag, 'the AwsSolutions pack ran').toBeDefined();
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations.filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('has no AwsSolutions error among the stack annotations', () => {
    for (const stack of [synth.stacks.data, synth.stacks.service]) {
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
        [],
      );
    }
  });

  it('gives every acknowledged finding a written reason', () => {
    const suppressed = report().pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const violation of suppressed) expect(violation.reason?.trim(), violation.ruleName).toBeTruthy();
    const acknowledgments = [synth.stacks.data, synth.stacks.service].flatMap((stack: Stack) =>
      stack.node
        .findAll()
        .flatMap((construct) => construct.node.metadata)
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
    );
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgments) {
      // Ours are cdk-nag findings; CDK acknowledges one template lint itself (an S3 bucket's ACL, which the
      // console's log bucket needs: CloudFront's standard logs and S3 access logs are delivered with ACLs).
      expect(id).toMatch(/^AwsSolutions::AwsSolutions-|^CloudFormation-Validate::W3045$/);
      expect(reason.trim().length, id).toBeGreaterThan(20);
    }
  });
});
