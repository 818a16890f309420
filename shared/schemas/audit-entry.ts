import * as z from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const AuditActorSchema = z.object({
  userId: z.string().min(1).max(128),
  /** The role the actor acted in (`sector:food`, `finance`, …) or `system` for the pipeline itself. */
  role: z.string().min(1).max(64),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

/** What a writer asks to record; the chain adds sequence, links and hashes. */
export const AuditEntryDraftSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  actor: AuditActorSchema,
  action: z.string().min(1).max(64),
  subject: z.string().min(1).max(128),
  inputHash: sha256.nullable(),
  policyVersion: z.string().min(1).max(64).nullable(),
  /** Small, non-personal facts about the step (status moves, amounts in fen, revision numbers). */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type AuditEntryDraft = z.infer<typeof AuditEntryDraftSchema>;

export const AuditEntrySchema = AuditEntryDraftSchema.extend({
  chain: z.string().min(1),
  seq: z.number().int().positive(),
  prevHash: sha256,
  hash: sha256,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The newest link of a chain: what an auditor keeps outside the system as a digest. */
export const ChainHeadSchema = z.object({
  chain: z.string().min(1),
  seq: z.number().int().nonnegative(),
  hash: sha256,
});
export type ChainHead = z.infer<typeof ChainHeadSchema>;
