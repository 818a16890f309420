import { randomUUID } from 'node:crypto';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { DEFAULT_POLICIES } from '#shared/policy/default-policy.ts';
import { demoLeads } from './demo-leads.ts';
import type { Seeder } from './seeders.ts';

/** The default policy versions (kfq-2019): published once, left alone on a restart. */
export const policySeeder: Seeder = {
  name: 'policies',
  run: async ({ log }) => {
    const { policies } = productionAdapters();
    for (const policy of DEFAULT_POLICIES) {
      const outcome = await policies.publish(policy);
      log('info', 'policy seeded', { version: policy.version, outcome });
    }
  },
};

/**
 * Demo leads, submitted through the API as each sector's team would, with fixed Idempotency-Keys: on a
 * restart over a data dir the same keys answer the leads already there, so nothing is duplicated.
 */
export const demoLeadSeeder: Seeder = {
  name: 'demo-leads',
  demoOnly: true,
  run: async ({ baseUrl, tokenFor, log }) => {
    for (const { key, lead } of demoLeads) {
      const token = await tokenFor(`sector:${lead.sector}`, `demo-officer-${lead.sector}`);
      const response = await fetch(`${baseUrl}/leads`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
          'x-request-id': randomUUID(),
        },
        body: JSON.stringify(lead),
      });
      const body = (await response.json()) as { leadId?: string };
      if (response.status !== 202)
        throw new Error(`demo lead ${key}: HTTP ${response.status} ${JSON.stringify(body)}`);
      log('info', 'demo lead submitted', { key, leadId: body.leadId });
    }
  },
};
