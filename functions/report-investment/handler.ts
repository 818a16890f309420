import { routeAccess } from '#infra/resources.ts';
import { keyedHashingAdapters } from '#shared/adapters/hashing-adapters.ts';
import { byRoute, withHttp, zodBody } from '#shared/middleware/with-http.ts';
import { ActualInvestmentBodySchema } from '#shared/schemas/fund.ts';
import { ReferrerRegistrationBodySchema } from '#shared/schemas/referrer-registration.ts';
import { type RegisterReferrerDeps, registerReferrer } from '#shared/use-cases/register-referrer.ts';
import {
  type ReportInvestmentDeps,
  reportActualInvestment,
} from '#shared/use-cases/report-actual-investment.ts';

/**
 * What the lead's sector team reports after submission, each a new decision revision: the verified actual
 * investment (POST /leads/{id}/actual-investment) and the referrer's registration
 * (POST /leads/{id}/referrer-registration).
 */
export function createHandler(deps: ReportInvestmentDeps & RegisterReferrerDeps) {
  const routes = {
    'POST /leads/{id}/actual-investment': withHttp(
      { access: routeAccess, body: zodBody(ActualInvestmentBodySchema) },
      async ({ principal, body, pathParameters }) => {
        const result = await reportActualInvestment(deps, {
          principal,
          leadId: pathParameters.id ?? '',
          amountFen: body.amount,
          evidence: body.evidence,
        });
        return { statusCode: 202, headers: { location: `/leads/${result.leadId}` }, body: result };
      },
    ),
    'POST /leads/{id}/referrer-registration': withHttp(
      { access: routeAccess, body: zodBody(ReferrerRegistrationBodySchema) },
      async ({ principal, body, pathParameters }) => {
        const result = await registerReferrer(deps, {
          principal,
          leadId: pathParameters.id ?? '',
          registration: body,
        });
        return { statusCode: 202, headers: { location: `/leads/${result.leadId}` }, body: result };
      },
    ),
  };
  return byRoute(routes, routeAccess);
}

export const handler = createHandler(keyedHashingAdapters());
