/** Placeholder until built: an auditor's 重放 of one decision revision. */
export function ReplayAction(_props: { leadId: string; revision: number }) {
  return null;
}
