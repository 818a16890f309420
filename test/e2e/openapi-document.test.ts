import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { createSchema } from 'zod-openapi';
import { repoRoot } from '#infra/local/paths.ts';
import { functions, routes } from '#infra/resources.ts';
import type { HttpContract } from '#shared/middleware/with-http.ts';
import { pathParameterSchemas } from '#shared/schemas/path-parameters.ts';
import { api, useLocalCloudEnv } from '#test/support/api.ts';

/** GET /openapi.json: generated from the zod schemas, covering every route of infra/resources.ts. */

type Operation = {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
  parameters?: { in: string; name: string; required?: boolean; schema: unknown }[];
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
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

/** A JSON schema with every `$ref` replaced by what it names, so two renderings compare by content. */
function inlined(schema: unknown, components: Readonly<Record<string, unknown>>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => inlined(item, components));
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $ref, ...rest } = schema as { $ref?: unknown };
  if (typeof $ref === 'string') return inlined(components[$ref.split('/').at(-1) ?? ''], components);
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, inlined(value, components)]));
}

/** How zod-openapi renders a schema on its own, on the request (input) side. */
function rendered(schema: z.ZodType): unknown {
  const { schema: json, components } = createSchema(schema, { io: 'input' });
  return inlined(json, components);
}

/** The request contract of a route, as its handler module declares it (withHttp, or byRoute's routes). */
async function handlerContract(route: (typeof routes)[number]): Promise<HttpContract> {
  const fn = functions.find((candidate) => candidate.id === route.functionId);
  if (fn === undefined) throw new Error(`no function ${route.functionId}`);
  const module = (await import(pathToFileURL(resolve(repoRoot, fn.entry)).href)) as {
    handler: { contract?: HttpContract; contracts?: Record<string, HttpContract> };
  };
  const contract = module.handler.contracts?.[`${route.method} ${route.path}`] ?? module.handler.contract;
  if (contract === undefined) throw new Error(`${fn.entry} exposes no request contract`);
  return contract;
}

describe('GET /openapi.json, route by route', () => {
  it('takes every request body, query parameter and path parameter from the schema the handler parses with', async () => {
    useLocalCloudEnv();
    const { body: document } = await api<Document>('GET', '/openapi.json');
    const components = document.components.schemas;
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      const contract = await handlerContract(route);
      // Soft: every route and part that differs is listed, not only the first.

      const documentedBody = operation?.requestBody?.content['application/json']?.schema;
      expect
        .soft(documentedBody === undefined ? undefined : inlined(documentedBody, components), `${key} body`)
        .toEqual(contract.body === undefined ? undefined : rendered(contract.body));

      const query = (
        contract.query === undefined ? { properties: {}, required: [] } : rendered(contract.query)
      ) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      const documentedQuery = (operation?.parameters ?? []).filter((parameter) => parameter.in === 'query');
      expect
        .soft(documentedQuery.map((parameter) => parameter.name).sort(), `${key} query`)
        .toEqual(Object.keys(query.properties ?? {}).sort());
      for (const parameter of documentedQuery) {
        expect
          .soft(inlined(parameter.schema, components), `${key} ?${parameter.name}`)
          .toEqual(query.properties?.[parameter.name]);
        expect
          .soft(parameter.required ?? false, `${key} ?${parameter.name} required`)
          .toBe((query.required ?? []).includes(parameter.name));
      }

      const documentedPath = (operation?.parameters ?? []).filter((parameter) => parameter.in === 'path');
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => name);
      expect
        .soft(
          documentedPath.map((parameter) => parameter.name),
          `${key} path`,
        )
        .toEqual(names);
      for (const parameter of documentedPath) {
        const schema = pathParameterSchemas[parameter.name as keyof typeof pathParameterSchemas];
        expect
          .soft(inlined(parameter.schema, components), `${key} {${parameter.name}}`)
          .toEqual(rendered(schema));
      }
    }
  });
});
