import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedApiTypes, SCHEMA_FILE } from '../../console/generate-api.ts';

describe('the console API client', () => {
  it('is generated from the current OpenAPI document (run `npm run generate:api` when this fails)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await generatedApiTypes());
  }, 30_000);

  it('knows every route the API serves, with the caller route the console starts from', async () => {
    const types = await generatedApiTypes();
    for (const path of ['/leads', '/leads/{id}', '/rewards', '/audit/verify', '/funds/{fundId}', '/me']) {
      expect(types).toContain(`"${path}": {`);
    }
  }, 30_000);
});
