import { systemClock } from '#shared/ports/clock.ts';
import { dynamoDbClient } from './aws-clients.ts';
import { DynamoProjectReference } from './dynamodb/dynamo-project-reference.ts';
import { DynamoProjectStore, DynamoSupervisionStore } from './dynamodb/dynamo-project-store.ts';
import { leadStores } from './lead-adapters.ts';

/**
 * The adapters of project tracking: the Projects table (projects, plans, monthly reports, 督办 items),
 * the settings, calendar and ratings in the Reference table, the audit trail, and the leads (read only,
 * to take a signed lead over). Handlers call this once at module scope.
 */
export function projectAdapters() {
  const { config, audit, leads } = leadStores();
  const table = config.PROJECTS_TABLE;
  return {
    config,
    clock: systemClock,
    audit,
    leads,
    projects: new DynamoProjectStore(dynamoDbClient, table, audit),
    supervision: new DynamoSupervisionStore(dynamoDbClient, table, audit),
    reference: new DynamoProjectReference(dynamoDbClient, config.REFERENCE_TABLE, audit),
  };
}
