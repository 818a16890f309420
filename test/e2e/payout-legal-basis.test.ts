import { describe, expect, it } from 'vitest';
import { DynamoPolicyStore } from '#shared/adapters/dynamodb/dynamo-policy-store.ts';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { api, localDynamoDb, tableName, tokenFor } from '#test/support/api.ts';

/**
 * Issue 17, part 7, over HTTP: a policy whose rule cites no legal basis is refused at publication, 400
 * naming the rule's field; nothing of it is published. (Approval's gate, for decisions recorded without
 * one, has its table in test/unit/payout-legal-basis.test.ts: the API never records such a decision.)
 */

interface Problem {
  readonly errors?: { field: string }[];
}

describe('the legal-basis gate at publication', () => {
  it('refuses a rule without a legal basis, naming its field, and publishes nothing', async () => {
    const admin = await tokenFor('admin');
    const version = `kfq-no-basis-${Date.now()}`;
    const [referral, ...others] = DEFAULT_POLICY.rules;
    const { legalBasis: _dropped, ...withoutBasis } = referral ?? {};
    const refused = await api<Problem>('POST', '/policies', {
      token: admin,
      body: { ...DEFAULT_POLICY, version, effectiveFrom: '2030-01-01', rules: [withoutBasis, ...others] },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors?.map((e) => e.field)).toContain('rules.0.legalBasis');

    const blank = await api<Problem>('POST', '/policies', {
      token: admin,
      body: {
        ...DEFAULT_POLICY,
        version,
        effectiveFrom: '2030-01-01',
        rules: [{ ...referral, legalBasis: { document: ' ', clauses: [] } }, ...others],
      },
    });
    expect(blank.status).toBe(400);
    expect(blank.body.errors?.map((e) => e.field).sort()).toEqual([
      'rules.0.legalBasis.clauses',
      'rules.0.legalBasis.document',
    ]);

    const published = await new DynamoPolicyStore(localDynamoDb(), tableName('REFERENCE_TABLE')).all();
    expect(published.map((policy) => policy.version)).not.toContain(version);
  });
});
