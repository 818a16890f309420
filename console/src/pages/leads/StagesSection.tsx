import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatBasisPoints, formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { showProblemOnFields } from '../../components/form-problems.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { fill, pick, useLanguage, useTexts } from '../../i18n/language.ts';
import { PaymentDeductions } from './PaymentDeductions.tsx';

type StagesView = components['schemas']['StagesView'];
type Stage = StagesView['stages'][number];

const texts = {
  zh: {
    title: '分期支付',
    caption: '分期支付：各期金额、条件与状态',
    paidSoFar: '已支付 {paid} / 奖励 {total}',
    stage: '期数',
    nth: '第 {n} 期',
    share: '比例',
    amount: '金额',
    condition: '条件',
    finding: '现状',
    status: '状态',
    actions: '操作',
    waiting: '条件未满足',
    ready: '待批准',
    approved: '已批准，待支付',
    paid: '已支付',
    approve: '批准',
    markPaid: '标记已支付',
    payTitle: '标记第 {n} 期已支付',
    reference: '支付凭证号',
    required: '请填写',
    confirm: '确认',
    cancel: '取消',
    approvedDone: '第 {n} 期已批准',
    paidDone: '第 {n} 期已标记为已支付',
    notApprovedYet: '（奖励批准后逐期批准、支付）',
    failed: '无法读取分期支付',
    refused: '操作未完成',
  },
  en: {
    title: 'Staged payment',
    caption: 'Staged payment: each stage’s amount, condition and status',
    paidSoFar: 'Paid {paid} of the reward {total}',
    stage: 'Stage',
    nth: 'Stage {n}',
    share: 'Share',
    amount: 'Amount',
    condition: 'Condition',
    finding: 'On record',
    status: 'Status',
    actions: 'Actions',
    waiting: 'Condition not met',
    ready: 'To approve',
    approved: 'Approved, to pay',
    paid: 'Paid',
    approve: 'Approve',
    markPaid: 'Mark paid',
    payTitle: 'Mark stage {n} paid',
    reference: 'Payment reference',
    required: 'Required',
    confirm: 'Confirm',
    cancel: 'Cancel',
    approvedDone: 'Stage {n} approved',
    paidDone: 'Stage {n} marked paid',
    notApprovedYet: ' (once the reward is approved, each stage is approved and paid on its own)',
    failed: 'Could not read the staged payment',
    refused: 'Not done',
  },
};

const NOWRAP = { whiteSpace: 'nowrap' } as const;

/**
 * A lead's stages as `GET /leads/{id}/stages` answers them: `staged` says whether the policy splits the
 * reward (then `POST /leads/{id}/paid` is refused; each stage is paid here). Finance's actions read it too.
 */
export function readStages(leadId: string) {
  return api.GET('/leads/{id}/stages', { params: { path: { id: leadId } } });
}

/**
 * 分期支付 (issue 17, part 5) on the lead page: the stages of a reward the policy splits, each with its
 * amount, condition, what the record shows and its status; finance (`canAct`) approves a stage (批准) and
 * marks it paid (标记已支付). Nothing is shown when the reward is paid at once.
 */
export function StagesSection({
  leadId,
  canAct,
  onChanged,
}: {
  leadId: string;
  canAct: boolean;
  onChanged: () => void;
}) {
  const t = useTexts(texts);
  const language = useLanguage();
  const { message } = App.useApp();
  const [view, setView] = useState<StagesView>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState<number>();
  const [paying, setPaying] = useState<Stage>();
  // One key per payment being marked: a retry of the same click is the same payment.
  const payKey = useRef<string>('');
  const [payForm] = Form.useForm<{ reference: string }>();

  const load = useCallback(async () => {
    const { data, error, response } = await readStages(leadId);
    if (data !== undefined) {
      setView(data);
      setProblem(undefined);
    } else setProblem(problemOf(error, response.status));
  }, [leadId]);
  useEffect(() => {
    void load();
  }, [load]);

  const refused = (answer: Problem) => setProblem({ ...answer, title: answer.title || t.refused });

  async function approve(stage: Stage) {
    setBusy(stage.stage);
    const { data, error, response } = await api.POST('/leads/{id}/stages/{stage}/approval', {
      params: { path: { id: leadId, stage: String(stage.stage) } },
      body: {},
    });
    setBusy(undefined);
    if (data === undefined) refused(problemOf(error, response.status));
    else {
      message.success(fill(t.approvedDone, { n: stage.stage }));
      await load();
    }
  }

  async function pay() {
    if (paying === undefined) return;
    const values = await payForm.validateFields();
    const { data, error, response } = await api.POST('/leads/{id}/stages/{stage}/paid', {
      params: {
        path: { id: leadId, stage: String(paying.stage) },
        header: { 'idempotency-key': payKey.current },
      },
      body: values,
    });
    if (data === undefined) {
      const answer = problemOf(error, response.status);
      showProblemOnFields(payForm, answer, ['reference']);
      if ((answer.errors ?? []).length === 0) {
        setPaying(undefined);
        refused(answer);
      }
      return;
    }
    message.success(fill(t.paidDone, { n: paying.stage }));
    setPaying(undefined);
    await load();
    onChanged();
  }

  if (view === undefined)
    return problem === undefined ? null : <ProblemAlert problem={problem} fallbackTitle={t.failed} />;
  if (!view.staged) return null;

  const statusText: Record<Stage['status'], string> = {
    waiting: t.waiting,
    ready: t.ready,
    approved: t.approved,
    paid: t.paid,
  };
  const columns: ColumnsType<Stage> = [
    {
      title: t.stage,
      dataIndex: 'stage',
      render: (n: number) => <span style={NOWRAP}>{fill(t.nth, { n })}</span>,
    },
    { title: t.share, dataIndex: 'shareBasisPoints', render: (bp: number) => formatBasisPoints(bp) },
    {
      title: t.amount,
      dataIndex: 'amountFen',
      render: (fen: number) => <span style={NOWRAP}>{formatFen(fen)}</span>,
    },
    { title: t.condition, key: 'condition', render: (_, stage) => pick(language, stage.conditionText) },
    { title: t.finding, key: 'finding', render: (_, stage) => pick(language, stage.finding) },
    {
      title: t.status,
      dataIndex: 'status',
      // The words carry the status; the tag's colour only repeats them. A paid stage shows the clawback
      // offsets deducted from its payment (issue 17, part 6) and the net paid.
      render: (status: Stage['status'], stage: Stage) => (
        <>
          <Tag>{statusText[status]}</Tag>
          <PaymentDeductions amountFen={stage.amountFen} deductions={stage.payment?.deductions} />
        </>
      ),
    },
    ...(canAct
      ? [
          {
            title: <span style={NOWRAP}>{t.actions}</span>,
            key: 'actions',
            render: (_: unknown, stage: Stage) => (
              <Space>
                {stage.status === 'ready' && view.approved ? (
                  <Button
                    size="small"
                    type="primary"
                    loading={busy === stage.stage}
                    aria-label={`${t.approve} ${fill(t.nth, { n: stage.stage })}`}
                    onClick={() => void approve(stage)}
                  >
                    {t.approve}
                  </Button>
                ) : null}
                {stage.status === 'approved' ? (
                  <Button
                    size="small"
                    aria-label={`${t.markPaid} ${fill(t.nth, { n: stage.stage })}`}
                    onClick={() => {
                      payKey.current = crypto.randomUUID();
                      setPaying(stage);
                    }}
                  >
                    {t.markPaid}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card>
      <section aria-label={t.title}>
        <Typography.Title level={3} style={{ marginTop: 0, fontSize: 16 }}>
          {t.title}
        </Typography.Title>
        <Typography.Paragraph>
          {fill(t.paidSoFar, { paid: formatFen(view.paidFen), total: formatFen(view.rewardFen) })}
          {view.approved ? null : t.notApprovedYet}
        </Typography.Paragraph>
        <ProblemAlert problem={problem} fallbackTitle={t.refused} />
        <Table<Stage>
          rowKey="stage"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={view.stages}
          aria-label={t.caption}
        />
        <Modal
          open={paying !== undefined}
          title={fill(t.payTitle, { n: paying?.stage ?? '' })}
          okText={t.confirm}
          cancelText={t.cancel}
          onOk={() => void pay()}
          onCancel={() => setPaying(undefined)}
          destroyOnHidden
        >
          <Form form={payForm} layout="vertical" preserve={false}>
            <Form.Item name="reference" label={t.reference} rules={[{ required: true, message: t.required }]}>
              <Input />
            </Form.Item>
          </Form>
        </Modal>
      </section>
    </Card>
  );
}
