/**
 * The referrer's registration (引荐人报备): the introducer registered with the zone for this project before
 * the investment contract was signed, confirmed by the investor, the sector team and the park. It is part
 * of the lead the policy engine evaluates (a new decision revision each time it is recorded), so its
 * effects on eligibility are in the decision with their reasons (shared/policy/compute-outcome.ts).
 *
 * Decisions where the brief was silent:
 * - registered on the signing day counts as "before signing" (报备在签约之前或当日);
 * - the two exclusions (public-payroll staff, tied to the investor) are facts the team states and the three
 *   confirmations vouch for; both are required booleans, so an omitted one is a 400, never a silent false;
 * - a confirmation names the person who confirmed and the date; the team's confirmation is a person of the
 *   team, not necessarily the one recording it (who is in the audit entry).
 */
import * as z from 'zod';
import { textSchema } from './lead.ts';
import { MUST_BE_BOOLEAN, requiredOr, zodMessage } from './zod-text.ts';

const DATE = zodMessage({ zh: '必须是日期（YYYY-MM-DD）', en: 'must be a date (YYYY-MM-DD)' });
const dateSchema = z.iso.date({ error: requiredOr(DATE) });

export const ConfirmationSchema = z.object({ name: textSchema(100), on: dateSchema }).strict();
export type Confirmation = z.infer<typeof ConfirmationSchema>;

export const ReferrerRegistrationSchema = z
  .object({
    /** The day the introducer was registered with the zone as this project's referrer. */
    registeredOn: dateSchema,
    /** The day the investment contract was signed. */
    contractSignedOn: dateSchema,
    /** The introducer is (or is paid as) public-payroll staff (财政供养人员). */
    publicPayrollStaff: z.boolean({ error: MUST_BE_BOOLEAN }),
    /** The introducer is tied to the investor (shareholder, officer, relative: a 关联方). */
    tiedToInvestor: z.boolean({ error: MUST_BE_BOOLEAN }),
    confirmations: z
      .object({ investor: ConfirmationSchema, team: ConfirmationSchema, park: ConfirmationSchema })
      .strict(),
    note: textSchema(500).optional(),
  })
  .strict();
export type ReferrerRegistration = z.infer<typeof ReferrerRegistrationSchema>;

/** The body of `POST /leads/{id}/referrer-registration`. */
export const ReferrerRegistrationBodySchema = ReferrerRegistrationSchema;
