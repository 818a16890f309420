import * as z from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** Texts shown to people come in both languages of the office. */
export const LocalizedTextSchema = z.object({ zh: text(2000), en: text(2000) }).strict();
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** The document and clauses a rule rests on: every decision repeats it, and auditors check it. */
export const LegalBasisSchema = z
  .object({
    /** Name of the document, e.g. 《关于加快推进新旧动能转换促进提质增效实现高质量发展的政策扶持意见》. */
    document: text(300),
    /** Clause references within it. */
    clauses: z.array(text(300)).min(1).max(20),
    /** Anything an auditor should know about how the reference was established. */
    note: text(1000).optional(),
  })
  .strict();
export type LegalBasis = z.infer<typeof LegalBasisSchema>;
