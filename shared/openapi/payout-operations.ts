/**
 * The OpenAPI operations of the payout rules (issue 17), merged into the document by `document.ts`:
 * the referrer's registration, and (as the later parts land) evidence, approvals and the public notice.
 */
import * as z from 'zod';
import type { ZodOpenApiOperationObject } from 'zod-openapi';
import {
  ReferrerRegistrationBodySchema,
  ReferrerRegistrationSchema,
} from '#shared/schemas/referrer-registration.ts';

export interface PayoutOperation {
  readonly summary: string;
  readonly description?: string;
  readonly requestParams?: ZodOpenApiOperationObject['requestParams'];
  readonly requestBody?: ZodOpenApiOperationObject['requestBody'];
  readonly responses: ZodOpenApiOperationObject['responses'];
  readonly errors?: readonly number[];
}

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const body = (schema: z.ZodType, id: string) => ({
  required: true,
  content: { 'application/json': { schema: schema.meta({ id }) } },
});

export const payoutOperations: Readonly<Record<string, PayoutOperation>> = {
  'POST /leads/{id}/referrer-registration': {
    summary:
      'Record the referrer’s registration (报备) with the investor’s, team’s and park’s confirmations (the lead’s own sector team): a new decision revision',
    description:
      'The registration becomes part of the lead and revision N+1 is queued for evaluation. Under the payout rules of the lead’s policy, a referrer registered after the contract’s signing date, or who is public-payroll staff or tied to the investor, makes the referral reward not eligible, with the reason (`registered_after_signing`, `introducer_public_payroll_staff`, `introducer_tied_to_investor`) and its explanation in the decision. A correction is recorded the same way. 409 `no_introducer`, `not_evaluated`, `review_closed` (finance decided), `reevaluation_in_progress`.',
    requestBody: body(ReferrerRegistrationBodySchema, 'ReferrerRegistrationRequest'),
    responses: {
      202: json(
        z
          .object({
            leadId: z.string(),
            revision: z.number().int(),
            registration: ReferrerRegistrationSchema,
          })
          .meta({ id: 'ReferrerRegistrationRecorded' }),
        'Recorded; revision N+1 is queued for evaluation',
      ),
    },
    errors: [400, 404, 409],
  },
};
