/** Placeholder until built: finance's actions on a lead (批准, 驳回, 标记已支付, 一事一议 outcome). */
export function FinanceActions(_props: { leadId: string; onChanged: () => void }) {
  return null;
}
