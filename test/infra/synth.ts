import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS, type CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { buildApp, type KfqStacks } from '#infra/app.ts';
import { ensureConsoleBuilt } from '#infra/console-build.ts';
import { REPO_ROOT } from '#infra/constructs/kfq-function.ts';

// The app uploads console/dist (as `cdk synth` does, build it when its sources changed; one build at a
// time across the test files' workers, the others wait for it).
await ensureConsoleBuilt();

/** A CloudFormation resource as it appears in a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

export interface Synthesized {
  readonly app: App;
  readonly stacks: KfqStacks;
  readonly assembly: CloudAssembly;
  readonly outdir: string;
  readonly data: Template;
  readonly service: Template;
  readonly dataJson: { Resources: Record<string, CfnResourceJson>; Outputs?: Record<string, unknown> };
  readonly serviceJson: { Resources: Record<string, CfnResourceJson>; Outputs?: Record<string, unknown> };
}

/**
 * The logical ids of the stateful resources, committed, the same in every partition. A change here means
 * CloudFormation would create a new table or queue (and retain the old table with its data): update this
 * list only on purpose.
 */
export const STATEFUL_LOGICAL_IDS = [
  'AllocationDlqQueue27F9A966',
  'AllocationQueue4171AA26',
  'AuditTableB07F8EEB',
  'EvaluationDlqQueue11614616',
  'EvaluationQueueF9A2AAD1',
  'FundsTableD92EDB65',
  'LeadImportDlqQueue25DD3714',
  'LeadImportQueue7B90BA03',
  'LeadsTableB370ABE7',
  'ProjectsTableAA0A2089',
  'ReferenceTableAB3BBC1B',
];

/** Points CDK's Docker at a path that does not exist: any attempt to bundle through Docker fails synth. */
export const NO_DOCKER = '/nonexistent/docker-must-not-be-used';

/** The context the CLI would read from cdk.json, so the tests synthesize the app `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export interface SynthesisOptions {
  /** What `cdk synth -c key=value` would add (the China partition: `{ partition: 'aws-cn', … }`). */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Bundle every function with esbuild (the slow part, ~20 s on two cores); default true. Files that
   * assert nothing about the bundles skip it, as `cdk synth --exclusively` does for other stacks: the
   * templates are the same but for the code's asset hash.
   */
  readonly bundle?: boolean;
}

/**
 * Synthesizes the real app once per test file, in process, bundling with the local esbuild unless told
 * not to. `app.synth()` runs the cdk-nag validation plugin and throws on any unacknowledged error.
 */
export function synthesizeApp(options: SynthesisOptions = {}): Synthesized {
  process.env.CDK_DOCKER = NO_DOCKER;
  const outdir = mkdtempSync(join(tmpdir(), 'kfq-cdk-'));
  const context: Record<string, unknown> = { ...cdkJsonContext(), ...options.context };
  if (options.bundle === false) context[BUNDLING_STACKS] = [];
  const app = new App({ outdir, context });
  const stacks = buildApp(app);
  const assembly = app.synth();
  const dataJson = assembly.getStackArtifact(stacks.data.artifactId).template;
  const serviceJson = assembly.getStackArtifact(stacks.service.artifactId).template;
  return {
    app,
    stacks,
    assembly,
    outdir,
    data: Template.fromJSON(dataJson),
    service: Template.fromJSON(serviceJson),
    dataJson,
    serviceJson,
  };
}

/** Removes a synthesis's output (bundles and templates, ~30 MB) once a test file is done with it. */
export function removeSynthesis(synth: Synthesized | undefined): void {
  if (synth !== undefined) rmSync(synth.outdir, { recursive: true, force: true });
}

/** The logical id CloudFormation sees for a construct (its default child for L2 constructs). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(element).getLogicalId(element);
}

/** Resources of a type, as [logicalId, resource] pairs. */
export function resourcesOfType(
  template: { Resources: Record<string, CfnResourceJson> },
  type: string,
): [string, CfnResourceJson][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export const asArray = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T];
