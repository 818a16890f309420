import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '#infra/resources.ts';
import {
  between,
  decodeCursor,
  encodeCursor,
  exactly,
  keyAttributesOf,
  resumeKeySchema,
} from '#shared/adapters/dynamodb/cursor.ts';
import { leadIdFor } from '#shared/domain/lead-outcome.ts';
import { ValidationError } from '#shared/errors.ts';
import { LEAD_ID_PATTERN, pathParameterSchemas } from '#shared/schemas/path-parameters.ts';

/** Issue 12, defect 7: the shapes every path parameter and cursor is checked against. */

describe('path parameters', () => {
  it('have a schema for every parameter of every route', () => {
    const names = (routes as readonly RouteDefinition[]).flatMap((route) =>
      [...route.path.matchAll(/\{(\w+)\+?\}/g)].map(([, name = '']) => name),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(Object.keys(pathParameterSchemas), name).toContain(name);
  });

  it('accept every lead id the intake makes, and nothing longer', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (user, key) => {
        expect(leadIdFor(user, key)).toMatch(LEAD_ID_PATTERN);
        expect(pathParameterSchemas.id.safeParse(leadIdFor(user, key)).success).toBe(true);
      }),
    );
    expect(pathParameterSchemas.id.safeParse(`${leadIdFor('u', 'k')}0`).success).toBe(false);
    expect(pathParameterSchemas.fundId.safeParse('x'.repeat(3000)).success).toBe(false);
    expect(pathParameterSchemas.revision.safeParse('9'.repeat(3000)).success).toBe(false);
  });
});

describe('cursors', () => {
  const bySector = resumeKeySchema('Leads', 'bySector', {
    gsi1pk: exactly('SECTOR#food'),
    gsi1sk: between('2026-01-01', '2026-02-01'),
  });
  const key = marshall({ pk: 'LEAD#ld_1', sk: 'LEAD', gsi1pk: 'SECTOR#food', gsi1sk: '2026-01-15#ld_1' });
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const refused = (cursor: string) => {
    try {
      decodeCursor(cursor, bySector);
    } catch (error) {
      return error instanceof ValidationError && error.problems[0]?.field === 'cursor';
    }
    return false;
  };

  it('take the key attributes of the table and its index from infra/resources.ts', () => {
    expect(keyAttributesOf('Leads', 'bySector')).toEqual({ pk: 'S', sk: 'S', gsi1pk: 'S', gsi1sk: 'S' });
    expect(keyAttributesOf('Audit', 'byActor')).toEqual({ pk: 'S', seq: 'N', actorId: 'S' });
    expect(keyAttributesOf('Audit')).toEqual({ pk: 'S', seq: 'N' });
  });

  it('give back the key a page ended on', () => {
    expect(decodeCursor(encodeCursor(key) ?? '', bySector)).toEqual(key);
    expect(decodeCursor(undefined, bySector)).toBeUndefined();
  });

  it('refuse any other key: another partition, outside the range, other attributes, other types, too long', () => {
    const forged = [
      { ...key, gsi1pk: { S: 'SECTOR#logistics' } },
      { ...key, gsi1sk: { S: '2025-12-31#ld_1' } },
      { ...key, gsi1sk: { S: `2026-01-15#${'x'.repeat(2048)}` } },
      { ...key, extra: { S: 'x' } },
      { pk: key.pk, sk: key.sk },
      { ...key, pk: { N: '1' } },
      { ...key, pk: { S: 'LEAD#x', N: '1' } },
      { ...key, pk: 'LEAD#x' },
      { ...key, pk: { S: '' } },
      [key],
      null,
      'text',
    ];
    for (const value of forged) expect(refused(cursorOf(value)), JSON.stringify(value)).toBe(true);
    expect(refused('not base64url at all!')).toBe(true);
  });

  it('refuse whatever else a client could send (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map(cursorOf)), (cursor) => {
        fc.pre(cursor !== '');
        expect(refused(cursor)).toBe(true);
      }),
    );
  });

  it('check numbers as numbers', () => {
    const audit = resumeKeySchema('Audit', undefined, { pk: exactly('CHAIN#main') });
    expect(audit.safeParse(marshall({ pk: 'CHAIN#main', seq: 12 })).success).toBe(true);
    expect(audit.safeParse({ pk: { S: 'CHAIN#main' }, seq: { N: '1e3' } }).success).toBe(false);
    expect(audit.safeParse({ pk: { S: 'CHAIN#main' }, seq: { N: '9'.repeat(40) } }).success).toBe(false);
  });
});
