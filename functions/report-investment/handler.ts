import { routeAccess } from '#infra/resources.ts';
import { keyedHashingAdapters } from '#shared/adapters/hashing-adapters.ts';
import { withHttp, zodBody } from '#shared/middleware/with-http.ts';
import { ActualInvestmentBodySchema } from '#shared/schemas/fund.ts';
import {
  type ReportInvestmentDeps,
  reportActualInvestment,
} from '#shared/use-cases/report-actual-investment.ts';

/** POST /leads/{id}/actual-investment: the lead's sector team reports the verified actual investment. */
export function createHandler(deps: ReportInvestmentDeps) {
  return withHttp(
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
  );
}

export const handler = createHandler(keyedHashingAdapters());
