import { Typography } from 'antd';
import { Link } from 'react-router';
import { formatFen } from '#shared/domain/money-format.ts';
import type { components } from '../../api/schema.d.ts';
import { useTexts } from '../../i18n/language.ts';

/** What a payment records of the offsets deducted from it (the whole reward's or a stage's payment). */
export type PaymentDeduction = NonNullable<
  NonNullable<NonNullable<components['schemas']['LeadView']['review']>['payment']>['deductions']
>[number];

const texts = {
  zh: { deducted: '抵扣追回款 {amount}，来自线索 ', netPaid: '实付 {amount}' },
  en: { deducted: 'Clawback offset {amount} deducted, from lead ', netPaid: 'Net paid {amount}' },
};

/** What was actually paid out: the payment's amount less the offsets deducted from it. */
export function netPaidFen(amountFen: number, deductions: readonly PaymentDeduction[] | undefined): number {
  return amountFen - (deductions ?? []).reduce((sum, deduction) => sum + deduction.amountFen, 0);
}

/**
 * The offsets of the introducer's earlier clawbacks (issue 17, part 6) deducted from one payment, each
 * naming the lead it was clawed back from, and the net paid; nothing when none was deducted.
 */
export function PaymentDeductions({
  amountFen,
  deductions,
}: {
  amountFen: number;
  deductions: readonly PaymentDeduction[] | undefined;
}) {
  const t = useTexts(texts);
  if (deductions === undefined || deductions.length === 0) return null;
  return (
    <span data-testid="payment-deductions">
      {deductions.map((deduction) => (
        <span key={deduction.clawbackId} style={{ display: 'block' }}>
          {t.deducted.replace('{amount}', formatFen(deduction.amountFen))}
          <Link to={`/leads/${encodeURIComponent(deduction.fromLeadId)}`}>{deduction.fromLeadId}</Link>
        </span>
      ))}
      <Typography.Text strong style={{ display: 'block' }}>
        {t.netPaid.replace('{amount}', formatFen(netPaidFen(amountFen, deductions)))}
      </Typography.Text>
    </span>
  );
}
