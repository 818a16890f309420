import { routeAccess } from '#infra/resources.ts';
import { withHttp } from '#shared/middleware/with-http.ts';
import { whoAmI } from '#shared/use-cases/who-am-i.ts';

/** GET /me: the caller's user id, roles and sector teams, as the API reads them from the token. */
export function createHandler() {
  return withHttp({ access: routeAccess }, async ({ principal }) => ({
    statusCode: 200,
    body: whoAmI(principal),
  }));
}

export const handler = createHandler();
