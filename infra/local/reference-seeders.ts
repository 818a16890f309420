import { randomUUID } from 'node:crypto';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { seedFund } from '#shared/adapters/dynamodb/dynamo-fund-store.ts';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { DEFAULT_POLICIES } from '#shared/policy/default-policy.ts';
import { ruleOf } from '#shared/policy/policy-schema.ts';
import { demoLeads } from './demo-leads.ts';
import type { Seeder } from './seeding.ts';

const SEED_ACTOR = { userId: 'seed', role: 'system' } as const;

/**
 * The default policy versions (kfq-2019) and the funds they name (conversion-2019, 6000万元), each with
 * its audit entry; left alone on a restart over a data dir.
 */
export const referenceSeeder: Seeder = {
  name: 'reference-data',
  run: async ({ log }) => {
    const { publisher, audit, config, clock } = productionAdapters();
    for (const policy of DEFAULT_POLICIES) {
      const at = clock.now().toISOString();
      const policyHash = hashCanonical(policy);
      const outcome = await publisher.publishAudited(policy, {
        at,
        actor: SEED_ACTOR,
        action: 'policy.published',
        subject: `policy:${policy.version}`,
        inputHash: policyHash,
        policyVersion: policy.version,
        details: { version: policy.version, effectiveFrom: policy.effectiveFrom, policyHash },
      });
      log('info', 'policy seeded', { version: policy.version, outcome });
      const fundRule = ruleOf(policy, 'conversion_fund');
      const fund = { fundId: fundRule.fundId, totalFen: fundRule.totalFen };
      log('info', 'fund seeded', { ...fund, outcome: await seedFund(audit, config.FUNDS_TABLE, fund, at) });
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
