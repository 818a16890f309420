/**
 * cdk-nag (v3) runs as a CDK policy-validation plugin; findings are acknowledged through CDK's
 * `Validations.of(construct).acknowledge()`, each with its exact finding id and a written reason.
 * cdk-nag is CommonJS with re-exports Node's ESM loader cannot name: take them from the default export.
 */
import { Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';

export const { AwsSolutionsChecks } = cdkNag;

/** Acknowledges one cdk-nag finding on a construct and its children; a reason is mandatory. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length === 0) throw new Error(`Acknowledging ${id} on ${scope.node.path} needs a reason`);
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason });
}
