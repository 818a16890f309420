import { routeAccess } from '#infra/resources.ts';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { byRoute, withHttp, zodBody } from '#shared/middleware/with-http.ts';
import { PolicySchema } from '#shared/policy/policy-schema.ts';
import type { PolicyPublisher, PolicyStore } from '#shared/ports/policies.ts';
import { OpenFundBodySchema, TopUpBodySchema } from '#shared/schemas/fund.ts';
import { openFund, publishPolicy, topUpFund } from '#shared/use-cases/admin.ts';
import type { FundDeps } from '#shared/use-cases/allocate-fund.ts';

type AdminDeps = FundDeps & { readonly policies: PolicyStore; readonly publisher: PolicyPublisher };

/** Policy admin routes: publish a policy version, open a fund, top it up. */
export function createHandler(deps: AdminDeps) {
  const routes = {
    'POST /policies': withHttp(
      { access: routeAccess, body: zodBody(PolicySchema) },
      async ({ principal, body }) => ({
        statusCode: 201,
        body: await publishPolicy(deps, { principal, policy: body }),
      }),
    ),
    'POST /funds': withHttp(
      { access: routeAccess, body: zodBody(OpenFundBodySchema) },
      async ({ principal, body }) => ({
        statusCode: 201,
        body: await openFund(deps, { principal, ...body }),
      }),
    ),
    'POST /funds/{fundId}/top-up': withHttp(
      { access: routeAccess, body: zodBody(TopUpBodySchema) },
      async (r) => ({
        statusCode: 200,
        body: await topUpFund(deps, {
          principal: r.principal,
          fundId: r.pathParameters.fundId ?? '',
          amountFen: r.body.amount,
        }),
      }),
    ),
  };
  return byRoute(routes, routeAccess);
}

export const handler = createHandler(productionAdapters());
