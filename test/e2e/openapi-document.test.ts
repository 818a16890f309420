import { describe, expect, it } from 'vitest';
import { routes } from '#infra/resources.ts';
import { api } from './support/api.ts';

/** GET /openapi.json: generated from the zod schemas, covering every route of infra/resources.ts. */

type Operation = {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
  parameters?: { in: string; name: string }[];
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>;
    securitySchemes: Record<string, unknown>;
  };
  security: Record<string, string[]>[];
};

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document, without a token, with every route as a path and method', async () => {
    const { status, body } = await api<Document>('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.1/);
    for (const route of routes) {
      expect(
        body.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });

  it('declares the bearer JWT scheme, required everywhere except on public routes', async () => {
    const { body } = await api<Document>('GET', '/openapi.json');
    expect(body.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    for (const route of routes) {
      const operation = body.paths[route.path]?.[route.method.toLowerCase()];
      if (route.access === 'public') expect(operation?.security, route.path).toEqual([]);
      else {
        expect(operation?.security, route.path).toEqual([{ bearerAuth: [] }]);
        expect(operation?.responses['401']?.content?.['application/problem+json']).toBeDefined();
      }
    }
  });

  it('describes the lead request on its input side (amounts as yuan strings or numbers)', async () => {
    const { body } = await api<Document>('GET', '/openapi.json');
    const ref = body.paths['/leads']?.post?.requestBody?.content['application/json']?.schema.$ref ?? '';
    const lead = body.components.schemas[ref.split('/').at(-1) ?? ''];
    expect(Object.keys(lead?.properties ?? {})).toEqual(
      expect.arrayContaining([
        'sector',
        'projectName',
        'investor',
        'introducer',
        'plannedInvestment',
        'category',
      ]),
    );
    expect(lead?.properties?.plannedInvestment).toMatchObject({ type: ['string', 'number'] });
    expect(body.paths['/leads']?.post?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]),
    );
  });

  it('gives the query routes their response schemas and problem+json errors', async () => {
    const { body } = await api<Document>('GET', '/openapi.json');
    expect(body.components.schemas).toHaveProperty('LeadView');
    expect(body.components.schemas).toHaveProperty('Problem');
    expect(body.components.schemas).toHaveProperty('Verification');
    expect(body.paths['/leads/{id}']?.get?.responses['404']?.content).toHaveProperty([
      'application/problem+json',
    ]);
    const listParameters = body.paths['/leads']?.get?.parameters?.map((parameter) => parameter.name);
    expect(listParameters).toEqual(
      expect.arrayContaining(['sector', 'status', 'from', 'to', 'cursor', 'limit']),
    );
  });

  it('documents a request body for every route that takes one, and a response schema for every answer but its own', async () => {
    const { body } = await api<Document>('GET', '/openapi.json');
    const withBody = [
      'POST /leads',
      'POST /leads/{id}/approve',
      'POST /leads/{id}/reject',
      'POST /leads/{id}/paid',
      'POST /leads/{id}/case-outcome',
      'POST /leads/{id}/actual-investment',
      'POST /policies',
      'POST /funds',
      'POST /funds/{fundId}/top-up',
    ];
    for (const key of withBody) {
      const [method = '', path = ''] = key.split(' ');
      expect(body.paths[path]?.[method.toLowerCase()]?.requestBody, key).toBeDefined();
    }
    for (const route of routes) {
      if (route.path === '/openapi.json' || route.path === '/rewards') continue;
      const operation = body.paths[route.path]?.[route.method.toLowerCase()];
      const success = Object.entries(operation?.responses ?? {}).find(([status]) => status.startsWith('2'));
      expect(success?.[1].content, `${route.method} ${route.path}`).toBeDefined();
    }
  });
});
