import { routeAccess } from '#infra/resources.ts';
import { productionAdapters } from '#shared/adapters/composition.ts';
import { withHttp } from '#shared/middleware/with-http.ts';
import type { FundStore } from '#shared/ports/funds.ts';
import { getFund } from '#shared/use-cases/admin.ts';

/** GET /funds/{fundId}: total, available, reserved, committed and the waitlist in order. */
export function createHandler(deps: { funds: FundStore }) {
  return withHttp({ access: routeAccess }, async ({ pathParameters }) => ({
    statusCode: 200,
    body: await getFund(deps, pathParameters.fundId ?? ''),
  }));
}

export const handler = createHandler(productionAdapters());
