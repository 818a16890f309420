import { Select, Space } from 'antd';
import { useState } from 'react';
import { monthRange } from '../../api/lead-list.ts';
import { ExportButtons } from '../../components/ExportButtons.tsx';
import { useTexts } from '../../i18n/language.ts';

const texts = {
  zh: { list: '支付清单：', approved: '已批准（待支付）', paid: '已支付' },
  en: { list: 'Payment list:', approved: 'Approved (to pay)', paid: 'Paid' },
};

/** 支付清单: the approved (to pay) or paid rewards of the month shown, as .xlsx or .csv (GET /rewards/export). */
export function PaymentListExport({ month }: { month: string | undefined }) {
  const t = useTexts(texts);
  const [status, setStatus] = useState<'APPROVED' | 'PAID'>('APPROVED');
  return (
    <Space wrap>
      {/* Said on screen, not only to screen readers: the select and buttons export a list, not filter this one. */}
      <span id="payment-list-label">{t.list}</span>
      <Select<'APPROVED' | 'PAID'>
        aria-labelledby="payment-list-label"
        style={{ minWidth: 160 }}
        value={status}
        onChange={setStatus}
        options={[
          { value: 'APPROVED', label: t.approved },
          { value: 'PAID', label: t.paid },
        ]}
      />
      <ExportButtons
        path="/rewards/export"
        query={{ status, ...(month === undefined ? {} : monthRange(month)) }}
      />
    </Space>
  );
}
