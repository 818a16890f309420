/**
 * The payout rules of a policy (issue 17): what must be on record before a reward is approved and paid.
 * Every number and every gate is a setting here; `DEFAULT_PAYOUT_SETTINGS` are the defaults of the domain
 * brief (`../shared/docs/domain.md`, "After the decision"), sourced from other zones' published rules.
 *
 * A policy may carry its own `payout` section; a policy without one (`kfq-2019` as published, whose bytes
 * and hash recorded decisions pin) gets the defaults. So the defaults are on for kfq-2019 without
 * changing one byte of it or of any decision made under it.
 */
import * as z from 'zod';

export const RegistrationSettingsSchema = z
  .object({
    /** A referral reward is approved only once the introducer's registration (报备) is on record. */
    required: z.boolean(),
    /** Registration must be on or before the contract's signing date, else the reward is not eligible. */
    beforeSigning: z.boolean(),
    /** Introducers who are public-payroll staff (财政供养人员) earn no referral reward. */
    excludePublicPayrollStaff: z.boolean(),
    /** Introducers tied to the investor (关联方) earn no referral reward. */
    excludeTiedToInvestor: z.boolean(),
  })
  .strict();
export type RegistrationSettings = z.infer<typeof RegistrationSettingsSchema>;

export const PayoutSettingsSchema = z
  .object({
    registration: RegistrationSettingsSchema,
  })
  .strict()
  .meta({
    description:
      'Payout rules (兑付规则: registration, evidence, approval tiers, public notice); the defaults of the domain brief apply when absent',
  });
export type PayoutSettings = z.infer<typeof PayoutSettingsSchema>;

/** The domain brief's defaults: registration before signing, confirmed; public-payroll staff and parties tied to the investor excluded. */
export const DEFAULT_PAYOUT_SETTINGS: PayoutSettings = PayoutSettingsSchema.parse({
  registration: {
    required: true,
    beforeSigning: true,
    excludePublicPayrollStaff: true,
    excludeTiedToInvestor: true,
  },
});

/** The payout rules a policy sets, or the defaults when it sets none. */
export function payoutSettingsOf(policy: { readonly payout?: PayoutSettings | undefined }): PayoutSettings {
  return policy.payout ?? DEFAULT_PAYOUT_SETTINGS;
}
