import * as z from 'zod';

/** Every queue message carries its schema version, so a consumer can refuse what it does not know. */
export const EvaluateLeadMessageSchema = z.object({
  schemaVersion: z.literal(1),
  leadId: z.string().min(1).max(64),
  /** The decision revision this message asks for: 1 on intake, N+1 on a verified investment. */
  revision: z.number().int().positive(),
});
export type EvaluateLeadMessage = z.infer<typeof EvaluateLeadMessageSchema>;

export const AllocateFundMessageSchema = z.object({
  schemaVersion: z.literal(1),
  leadId: z.string().min(1).max(64),
  revision: z.number().int().positive(),
  fundId: z.string().min(1).max(64),
});
export type AllocateFundMessage = z.infer<typeof AllocateFundMessageSchema>;
