import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { api, type Problem, problemOf } from '../../api/client.ts';
import { AmountInput, amountRules } from '../../components/AmountInput.tsx';
import { showProblemOnFields } from '../../components/form-problems.ts';
import { useLanguage, useTexts } from '../../i18n/language.ts';

const texts = {
  zh: {
    amount: '实际投资额',
    amountHelp: '经核实的固定资产投资额，如“1.2亿”。登记后按实际投资额重新评估。',
    evidence: '证明材料',
    evidenceHelp: '如验资报告、统计部门入库数据的名称与日期（选填）。',
    submit: '登记实际投资',
    done: '实际投资额已登记，正在重新评估',
    failed: '登记未成功',
  },
  en: {
    amount: 'Actual investment',
    amountHelp: 'The verified fixed-asset investment, e.g. "1.2亿". The lead is evaluated again on it.',
    evidence: 'Evidence',
    evidenceHelp: 'E.g. the capital verification report or statistics record, with its date (optional).',
    submit: 'Report actual investment',
    done: 'Actual investment reported; the lead is being evaluated again',
    failed: 'Not reported',
  },
};

interface ReportForm {
  amount: string;
  evidence?: string;
}

/** 登记实际投资: the sector team reports the verified investment (POST /leads/{id}/actual-investment). */
export function ActualInvestmentForm({ leadId, onReported }: { leadId: string; onReported: () => void }) {
  const t = useTexts(texts);
  const language = useLanguage();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportForm>();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  async function report(values: ReportForm) {
    setSending(true);
    setProblem(undefined);
    try {
      const evidence = values.evidence?.trim();
      const { data, error, response } = await api.POST('/leads/{id}/actual-investment', {
        params: { path: { id: leadId } },
        body: { amount: values.amount, ...(evidence === undefined || evidence === '' ? {} : { evidence }) },
      });
      if (data !== undefined || response.ok) {
        form.resetFields();
        void message.success(t.done);
        onReported();
        return;
      }
      const answer = problemOf(error, response.status);
      const elsewhere = showProblemOnFields(form, answer, ['amount', 'evidence']);
      if (elsewhere.length > 0 || (answer.errors ?? []).length === 0) setProblem(answer);
    } catch {
      setProblem({ type: 'about:blank', title: t.failed, status: 0, detail: '' });
    } finally {
      setSending(false);
    }
  }

  return (
    <Form<ReportForm> form={form} layout="vertical" onFinish={report} style={{ maxWidth: 560 }}>
      {problem === undefined ? null : (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={`${t.failed}：${problem.title}`}
          description={problem.detail || undefined}
        />
      )}
      <Form.Item
        name="amount"
        label={t.amount}
        required
        extra={t.amountHelp}
        rules={amountRules(language, { required: true, positive: false })}
      >
        <AmountInput placeholder="1.2亿" />
      </Form.Item>
      <Form.Item name="evidence" label={t.evidence} extra={t.evidenceHelp}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={sending}>
        {t.submit}
      </Button>
    </Form>
  );
}
