import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { EventSourceDefinition, FunctionDefinition, QueueDefinition } from '#infra/resources.ts';

export interface QueueConsumer {
  readonly function: IFunction;
  readonly definition: FunctionDefinition;
}

export interface QueueConsumersProps {
  readonly eventSources: readonly EventSourceDefinition[];
  readonly queueDefinitions: readonly QueueDefinition[];
  readonly queues: ReadonlyMap<string, IQueue>;
  readonly functions: ReadonlyMap<string, QueueConsumer>;
}

/** AWS guidance: the visibility timeout is at least six times the consumer's timeout plus the batching window. */
export function minimumVisibilityTimeoutSeconds(
  timeoutSeconds: number,
  batchingWindowSeconds: number,
): number {
  return 6 * timeoutSeconds + batchingWindowSeconds;
}

/**
 * Checks one mapping of the definition and throws, at synth, when it would lose or duplicate work:
 * unknown queue or function, a consumer that does not declare `consume`, or a visibility timeout
 * shorter than six times the consumer's timeout plus the batching window.
 */
export function checkEventSource(
  source: EventSourceDefinition,
  queueDefinitions: readonly QueueDefinition[],
  functionDefinition: FunctionDefinition | undefined,
): void {
  const queue = queueDefinitions.find((q) => q.id === source.queueId);
  if (queue === undefined) throw new Error(`Event source names unknown queue ${source.queueId}`);
  if (functionDefinition === undefined) {
    throw new Error(`Event source on ${source.queueId} names unknown function ${source.functionId}`);
  }
  const declared = (functionDefinition.queues as Readonly<Record<string, string | undefined>>)[
    source.queueId
  ];
  if (declared !== 'consume') {
    throw new Error(
      `Function ${source.functionId} consumes ${source.queueId} but declares '${declared ?? 'no access'}' on it, not 'consume'`,
    );
  }
  const minimum = minimumVisibilityTimeoutSeconds(
    functionDefinition.timeoutSeconds,
    source.maxBatchingWindowSeconds,
  );
  if (queue.visibilityTimeoutSeconds < minimum) {
    throw new Error(
      `Queue ${queue.id}: visibility timeout ${queue.visibilityTimeoutSeconds}s is below 6 × ${functionDefinition.timeoutSeconds}s (timeout of ${functionDefinition.id}) + ${source.maxBatchingWindowSeconds}s batching window = ${minimum}s`,
    );
  }
  if (queue.maxReceiveCount < 5) {
    throw new Error(
      `Queue ${queue.id}: maxReceiveCount ${queue.maxReceiveCount} is below 5 (throttling alone would dead-letter)`,
    );
  }
}

/** Wires every queue → function mapping of the definition, with partial batch responses. */
export function wireQueueConsumers(props: QueueConsumersProps): void {
  for (const source of props.eventSources) {
    const consumer = props.functions.get(source.functionId);
    checkEventSource(source, props.queueDefinitions, consumer?.definition);
    const queue = props.queues.get(source.queueId);
    if (queue === undefined || consumer === undefined) {
      throw new Error(`Event source ${source.queueId} → ${source.functionId}: resource missing`);
    }
    consumer.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: source.batchSize,
        maxBatchingWindow:
          source.maxBatchingWindowSeconds > 0 ? Duration.seconds(source.maxBatchingWindowSeconds) : undefined,
        reportBatchItemFailures: source.reportBatchItemFailures,
      }),
    );
  }
}
