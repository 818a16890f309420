import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { AmountInput, amountRules } from '../../components/AmountInput.tsx';
import { QUIET_TEXT } from '../../components/a11y.ts';
import { showProblemOnFields } from '../../components/form-problems.ts';
import { formatInstant } from '../../components/instant.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { type Refusal, RefusalAlert } from '../../components/RefusalAlert.tsx';
import { fill, type Language, useLanguage, useTexts } from '../../i18n/language.ts';

type ClawbacksView = components['schemas']['ClawbacksView'];
type Clawback = ClawbacksView['clawbacks'][number];
type Method = Clawback['method'];
type State = Clawback['state'];

const texts = {
  zh: {
    title: '追回',
    rule: '追回由财务部门一人提出、另一人审批；批准后作为冲减记录入账，原支付记录不作修改。退款到账由提出人、审批人以外的财务人员登记，款项退回专项基金；抵扣方式从同一引荐人下次奖励中扣除。',
    summary: '追回汇总',
    gross: '已支付',
    recovered: '已追回',
    net: '净额',
    received: '已退回基金',
    claimable: '可追回余额',
    recoveredHelp: '（已批准的追回）',
    caption: '本线索的追回记录（从早到晚）',
    none: '暂无追回记录。',
    amount: '金额',
    method: '方式',
    reason: '原因',
    status: '状态',
    proposedBy: '提出人',
    decidedBy: '审批人',
    recovery: '追回情况',
    actions: '操作',
    refund: '退款',
    offset: '抵扣',
    PROPOSED: '待审批',
    REJECTED: '已驳回',
    APPROVED: '已批准待追回',
    RECOVERED: '已追回',
    refundReference: '退款凭证',
    receivedOn: '到账日期',
    refundRecordedBy: '登记人',
    refundPending: '待登记退款到账',
    deductions: '抵扣记录',
    deductedFrom: '从线索 {lead}{stage} 的支付中抵扣 {amount}（{at}）',
    stageOf: ' 第 {n} 期',
    stillToDeduct: '尚待抵扣 {amount}',
    noDeductionYet: '尚未抵扣：将在该引荐人下次奖励支付时扣除',
    rejectionReason: '驳回理由：{reason}',
    note: '意见：{note}',
    mine: '（您）',
    ownProposal: '由您提出的追回须由财务部门另一人审批',
    refundNotByProposer: '由您提出的追回，退款到账须由财务部门另一人登记',
    refundNotByApprover: '由您审批的追回，退款到账须由财务部门另一人登记',
    approve: '批准',
    rowName: '追回 {amount}',
    reject: '驳回',
    approveTitle: '批准追回 {amount}',
    approveIntro: '批准后追回作为冲减记录入账，不能撤销。',
    rejectTitle: '驳回追回 {amount}',
    approveNote: '审批意见（可选）',
    rejectReason: '驳回理由',
    recordRefund: '登记退款到账',
    refundTitle: '登记退款到账：{amount}',
    refundIntro: '请确认退款已实际到账；登记后款项退回专项基金，不能更改。',
    reference: '退款凭证号',
    confirm: '确认',
    cancel: '取消',
    required: '请填写{field}',
    proposeTitle: '申请追回',
    proposeAmount: '追回金额',
    proposeAmountHelp: '最多为可追回余额 {amount}',
    proposeReason: '追回原因',
    proposeMethod: '追回方式',
    methodRefund: '退款',
    methodOffset: '从该引荐人下次奖励中抵扣',
    submit: '申请追回',
    proposed: '已提出追回，待财务部门另一人审批',
    approved: '追回已批准',
    rejected: '追回已驳回',
    recordedRefund: '退款到账已登记，款项已退回专项基金',
    failed: '无法读取追回记录',
    refused: '操作未完成',
    serverSaid: '服务器说明：',
  },
  en: {
    title: 'Clawback',
    rule: 'One member of finance proposes a clawback and another approves it; once approved it is booked as a reversal entry and the payment itself is never changed. A refund received is recorded by a member of finance who neither proposed nor approved it, and returns to the conversion fund; an offset is deducted from the same introducer’s next reward.',
    summary: 'Clawback summary',
    gross: 'Paid',
    recovered: 'Recovered',
    net: 'Net',
    received: 'Back in the fund',
    claimable: 'Claimable balance',
    recoveredHelp: ' (clawbacks approved)',
    caption: 'The clawbacks of this lead, oldest first',
    none: 'No clawbacks.',
    amount: 'Amount',
    method: 'Method',
    reason: 'Reason',
    status: 'Status',
    proposedBy: 'Proposed by',
    decidedBy: 'Decided by',
    recovery: 'Recovery',
    actions: 'Actions',
    refund: 'Refund',
    offset: 'Offset',
    PROPOSED: 'To approve',
    REJECTED: 'Rejected',
    APPROVED: 'Approved, to recover',
    RECOVERED: 'Recovered',
    refundReference: 'Refund reference',
    receivedOn: 'Received on',
    refundRecordedBy: 'Recorded by',
    refundPending: 'Refund not yet received',
    deductions: 'Deductions',
    deductedFrom: 'Deducted {amount} from the payment of lead {lead}{stage} ({at})',
    stageOf: ', stage {n}',
    stillToDeduct: '{amount} still to deduct',
    noDeductionYet: 'Not deducted yet: it comes off the introducer’s next reward payment',
    rejectionReason: 'Reason: {reason}',
    note: 'Note: {note}',
    mine: ' (you)',
    ownProposal: 'You proposed this clawback: another member of finance must decide it',
    refundNotByProposer: 'You proposed this clawback: another member of finance records its refund',
    refundNotByApprover: 'You approved this clawback: another member of finance records its refund',
    approve: 'Approve',
    rowName: 'the clawback of {amount}',
    reject: 'Reject',
    approveTitle: 'Approve the clawback of {amount}',
    approveIntro: 'Once approved the clawback is booked as a reversal entry; it cannot be undone.',
    rejectTitle: 'Reject the clawback of {amount}',
    approveNote: 'Note (optional)',
    rejectReason: 'Reason for rejection',
    recordRefund: 'Record refund received',
    refundTitle: 'Record the refund received: {amount}',
    refundIntro:
      'Confirm the refund has actually been received; it then returns to the conversion fund and cannot be changed.',
    reference: 'Refund reference',
    confirm: 'Confirm',
    cancel: 'Cancel',
    required: 'Enter the {field}',
    proposeTitle: 'Propose a clawback',
    proposeAmount: 'Clawback amount',
    proposeAmountHelp: 'At most the claimable balance, {amount}',
    proposeReason: 'Reason for the clawback',
    proposeMethod: 'Method',
    methodRefund: 'Refund',
    methodOffset: 'Deduct from the introducer’s next reward',
    submit: 'Propose clawback',
    proposed: 'Clawback proposed; another member of finance decides it',
    approved: 'Clawback approved',
    rejected: 'Clawback rejected',
    recordedRefund: 'Refund recorded; the money is back in the fund',
    failed: 'Could not read the clawbacks',
    refused: 'Not done',
    serverSaid: 'The server said: ',
  },
};
type Texts = (typeof texts)['zh'];

/** The server's refusals in plain words (the server's own detail is shown beside them). */
const REFUSALS: Readonly<Record<string, { zh: string; en: string }>> = {
  clawback_exceeds_paid: {
    zh: '追回金额超过可追回余额：已支付金额减去已提出或已批准的追回',
    en: 'The amount is more than the claimable balance: what was paid less the clawbacks proposed or approved',
  },
  not_paid: {
    zh: '该线索的奖励尚未支付，没有可追回的款项',
    en: 'Nothing of this reward has been paid: there is nothing to claw back',
  },
  offset_not_possible: {
    zh: '引荐人没有身份证号或统一社会信用代码，无法从其以后的奖励中抵扣：请选择退款',
    en: 'The introducer has no resident ID or credit code to follow to a later reward: choose a refund',
  },
  clawback_decided: {
    zh: '该追回已由他人处理（批准或驳回），记录已刷新',
    en: 'Somebody else has already decided this clawback; the list is refreshed',
  },
  already_recovered: {
    zh: '该追回的退款已登记过（凭证号不同），记录已刷新',
    en: 'The refund of this clawback is already recorded (with another reference); the list is refreshed',
  },
  clawback_not_approved: {
    zh: '追回尚未批准，不能登记退款',
    en: 'The clawback is not approved: no refund can be recorded',
  },
  not_a_refund: {
    zh: '抵扣方式的追回在该引荐人下次奖励支付时自动扣除，无需登记退款',
    en: 'An offset comes off the introducer’s next payment by itself; no refund is recorded',
  },
  fund_not_open: {
    zh: '专项基金尚未设立，退款无处退回',
    en: 'The fund is not open: the refund has nowhere to return to',
  },
  clawback_conflict: {
    zh: '追回记录正被同时修改，请稍后重试',
    en: 'The clawbacks are being changed at the same time; retry shortly',
  },
  maker_checker: {
    zh: '由您提出的追回须由财务部门另一人审批',
    en: 'You proposed this clawback: another member of finance must decide it',
  },
};

/** A refund's maker-checker: whoever proposed or approved the clawback does not record its refund. */
const REFUND_MAKER_CHECKER = {
  zh: '由您提出或审批的追回，退款到账须由财务部门另一人登记',
  en: 'You proposed or approved this clawback: another member of finance records its refund',
};

/** Which field of the proposal form a 409 concerns. */
const FIELD_OF_CONFLICT: Readonly<Record<string, 'amount' | 'method'>> = {
  clawback_exceeds_paid: 'amount',
  offset_not_possible: 'method',
};

const NOWRAP = { whiteSpace: 'nowrap' } as const;

function refusalWords(
  problem: Problem,
  language: Language,
  action: 'decision' | 'refund' = 'decision',
): string | undefined {
  const code = problem.code ?? (problem.status === 403 ? 'maker_checker' : undefined);
  if (action === 'refund' && code === 'maker_checker') return REFUND_MAKER_CHECKER[language];
  return code === undefined ? undefined : REFUSALS[code]?.[language];
}

/** Today in Beijing (the server checks the refund's date against its own Asia/Shanghai day). */
function beijingToday(): Dayjs {
  return dayjs(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
}

/**
 * 追回 (issue 17, part 6) on the lead page, once something of the reward is paid: paid, recovered, net
 * and back in the fund; every clawback with its method, reason, status, who proposed and who decided, a
 * refund's reference and date or an offset's deductions. Finance (`canAct`) proposes one (申请追回),
 * decides another's (批准 / 驳回: never its own), and records a refund received (登记退款到账: never for a
 * clawback it proposed or approved).
 */
export function ClawbackSection({
  leadId,
  userId,
  canAct,
}: {
  leadId: string;
  userId: string;
  canAct: boolean;
}) {
  const t = useTexts(texts);
  const language = useLanguage();
  const { message } = App.useApp();
  const [view, setView] = useState<ClawbacksView>();
  const [loadProblem, setLoadProblem] = useState<Problem>();
  const [refusal, setRefusal] = useState<Refusal>();
  const [deciding, setDeciding] = useState<{ clawback: Clawback; outcome: 'approval' | 'rejection' }>();
  const [refunding, setRefunding] = useState<Clawback>();

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/leads/{id}/clawbacks', {
      params: { path: { id: leadId } },
    });
    if (data !== undefined) {
      setView(data);
      setLoadProblem(undefined);
    } else setLoadProblem(problemOf(error, response.status));
  }, [leadId]);
  useEffect(() => {
    void load();
  }, [load]);

  /** A refusal of a row's action, in words; what changed meanwhile is read again. */
  const refused = async (problem: Problem, action: 'decision' | 'refund' = 'decision') => {
    setRefusal({ words: refusalWords(problem, language, action), problem });
    if (problem.status === 409) await load();
  };

  if (view === undefined)
    return loadProblem === undefined ? null : (
      <Card>
        <ProblemAlert problem={loadProblem} fallbackTitle={t.failed} />
      </Card>
    );
  if (view.summary.grossFen === 0 && view.clawbacks.length === 0) return null;

  const statusText = (state: State) => t[state];
  const methodText = (method: Method) => (method === 'refund' ? t.refund : t.offset);
  const who = (id: string) => `${id}${id === userId ? t.mine : ''}`;
  const columns: ColumnsType<Clawback> = [
    {
      title: t.amount,
      dataIndex: 'amountFen',
      render: (fen: number) => <span style={NOWRAP}>{formatFen(fen)}</span>,
    },
    {
      title: t.method,
      dataIndex: 'method',
      render: (method: Method) => <span style={NOWRAP}>{methodText(method)}</span>,
    },
    { title: t.reason, dataIndex: 'reason' },
    {
      title: t.status,
      dataIndex: 'state',
      // The words carry the status; the tag only frames them.
      render: (state: State) => <Tag>{statusText(state)}</Tag>,
    },
    {
      title: t.proposedBy,
      key: 'proposedBy',
      render: (_, clawback) => (
        <>
          <span style={{ display: 'block' }}>{who(clawback.proposedBy.userId)}</span>
          <Typography.Text style={{ ...QUIET_TEXT, ...NOWRAP }}>
            {formatInstant(clawback.proposedAt, language)}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t.decidedBy,
      key: 'decidedBy',
      render: (_, clawback) =>
        clawback.decision === null ? (
          '—'
        ) : (
          <>
            <span style={{ display: 'block' }}>{who(clawback.decision.by.userId)}</span>
            <Typography.Text style={{ ...QUIET_TEXT, ...NOWRAP, display: 'block' }}>
              {formatInstant(clawback.decision.at, language)}
            </Typography.Text>
            {clawback.decision.note === null ? null : (
              <span>
                {fill(clawback.decision.outcome === 'rejected' ? t.rejectionReason : t.note, {
                  reason: clawback.decision.note,
                  note: clawback.decision.note,
                })}
              </span>
            )}
          </>
        ),
    },
    {
      title: t.recovery,
      key: 'recovery',
      render: (_, clawback) => <Recovery clawback={clawback} t={t} language={language} />,
    },
    ...(canAct
      ? [
          {
            title: <span style={NOWRAP}>{t.actions}</span>,
            key: 'actions',
            render: (_: unknown, clawback: Clawback) => (
              <RowActions
                clawback={clawback}
                userId={userId}
                t={t}
                onDecide={(outcome) => {
                  setRefusal(undefined);
                  setDeciding({ clawback, outcome });
                }}
                onRefund={() => {
                  setRefusal(undefined);
                  setRefunding(clawback);
                }}
              />
            ),
          },
        ]
      : []),
  ];

  const summary = view.summary;
  return (
    <Card>
      <section aria-label={t.title}>
        <Typography.Title level={3} style={{ marginTop: 0, fontSize: 16 }}>
          {t.title}
        </Typography.Title>
        <Typography.Paragraph style={QUIET_TEXT}>{t.rule}</Typography.Paragraph>
        <Descriptions
          title={<span style={{ fontSize: 14 }}>{t.summary}</span>}
          bordered
          size="small"
          column={{ xs: 1, md: 3 }}
          data-testid="clawback-summary"
          items={[
            { key: 'gross', label: t.gross, children: formatFen(summary.grossFen) },
            {
              key: 'recovered',
              label: t.recovered,
              children: (
                <>
                  {formatFen(summary.recoveredFen)}
                  <Typography.Text style={QUIET_TEXT}>{t.recoveredHelp}</Typography.Text>
                </>
              ),
            },
            {
              key: 'net',
              label: t.net,
              children: <Typography.Text strong>{formatFen(summary.netFen)}</Typography.Text>,
            },
            { key: 'received', label: t.received, children: formatFen(summary.receivedFen) },
            { key: 'claimable', label: t.claimable, children: formatFen(view.claimableFen) },
          ]}
        />
        <div style={{ marginTop: 16 }}>
          <RefusalAlert refusal={refusal} refusedTitle={t.refused} serverSaid={t.serverSaid} />
          <Table<Clawback>
            rowKey="clawbackId"
            size="small"
            pagination={false}
            columns={columns}
            dataSource={view.clawbacks}
            aria-label={t.caption}
            locale={{ emptyText: <Typography.Text>{t.none}</Typography.Text> }}
          />
        </div>
        {canAct && view.claimableFen > 0 ? (
          <ProposeForm
            leadId={leadId}
            claimableFen={view.claimableFen}
            t={t}
            onProposed={async () => {
              void message.success(t.proposed);
              setRefusal(undefined);
              await load();
            }}
          />
        ) : null}
        {deciding === undefined ? null : (
          <DecisionModal
            leadId={leadId}
            clawback={deciding.clawback}
            outcome={deciding.outcome}
            t={t}
            onClose={() => setDeciding(undefined)}
            onRefused={async (problem) => {
              setDeciding(undefined);
              await refused(problem);
            }}
            onDone={async () => {
              void message.success(deciding.outcome === 'approval' ? t.approved : t.rejected);
              setDeciding(undefined);
              await load();
            }}
          />
        )}
        {refunding === undefined ? null : (
          <RefundModal
            leadId={leadId}
            clawback={refunding}
            t={t}
            onClose={() => setRefunding(undefined)}
            onRefused={async (problem) => {
              setRefunding(undefined);
              await refused(problem, 'refund');
            }}
            onDone={async () => {
              void message.success(t.recordedRefund);
              setRefunding(undefined);
              await load();
            }}
          />
        )}
      </section>
    </Card>
  );
}

/** How the money comes back: a refund's reference and date, or an offset's deductions from other leads. */
function Recovery({ clawback, t, language }: { clawback: Clawback; t: Texts; language: Language }) {
  if (clawback.state === 'PROPOSED' || clawback.state === 'REJECTED') return '—';
  if (clawback.method === 'refund') {
    const refund = clawback.refund;
    if (refund === null) return <span>{t.refundPending}</span>;
    return (
      <>
        <span style={{ display: 'block' }}>
          {t.refundReference}：{refund.reference}
        </span>
        <span style={{ display: 'block', ...NOWRAP }}>
          {t.receivedOn}：{refund.receivedOn}
        </span>
        <span style={{ display: 'block' }}>
          {t.refundRecordedBy}：{refund.recordedBy.userId}
        </span>
      </>
    );
  }
  const left = clawback.amountFen - clawback.receivedFen;
  return (
    <>
      {clawback.deductions.length === 0 ? (
        <span style={{ display: 'block' }}>{t.noDeductionYet}</span>
      ) : (
        <>
          <span style={{ display: 'block' }}>{t.deductions}：</span>
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {clawback.deductions.map((deduction) => {
              const [before, after] = fill(t.deductedFrom, {
                amount: formatFen(deduction.amountFen),
                stage: deduction.stage === null ? '' : fill(t.stageOf, { n: deduction.stage }),
                at: formatInstant(deduction.at, language),
                lead: '\u0000',
              }).split('\u0000');
              return (
                <li key={`${deduction.leadId}-${deduction.stage ?? 0}-${deduction.at}`}>
                  {before}
                  <Link to={`/leads/${encodeURIComponent(deduction.leadId)}`}>{deduction.leadId}</Link>
                  {after}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {left > 0 && clawback.deductions.length > 0 ? (
        <span style={{ display: 'block' }}>{fill(t.stillToDeduct, { amount: formatFen(left) })}</span>
      ) : null}
    </>
  );
}

function RowActions({
  clawback,
  userId,
  t,
  onDecide,
  onRefund,
}: {
  clawback: Clawback;
  userId: string;
  t: Texts;
  onDecide: (outcome: 'approval' | 'rejection') => void;
  onRefund: () => void;
}) {
  const amount = formatFen(clawback.amountFen);
  if (clawback.state === 'PROPOSED') {
    // Maker-checker: the proposer is told why there is nothing to press, not shown a button that fails.
    if (clawback.proposedBy.userId === userId) {
      return <Typography.Text style={QUIET_TEXT}>{t.ownProposal}</Typography.Text>;
    }
    return (
      <Space>
        <Button
          size="small"
          type="primary"
          aria-label={`${t.approve} ${fill(t.rowName, { amount })}`}
          onClick={() => onDecide('approval')}
        >
          {t.approve}
        </Button>
        <Button
          size="small"
          aria-label={`${t.reject} ${fill(t.rowName, { amount })}`}
          onClick={() => onDecide('rejection')}
        >
          {t.reject}
        </Button>
      </Space>
    );
  }
  if (clawback.state === 'APPROVED' && clawback.method === 'refund') {
    // Recording the refund raises the fund: like a payment, by nobody who proposed or approved it.
    if (clawback.proposedBy.userId === userId || clawback.decision?.by.userId === userId) {
      return (
        <Typography.Text style={QUIET_TEXT}>
          {clawback.proposedBy.userId === userId ? t.refundNotByProposer : t.refundNotByApprover}
        </Typography.Text>
      );
    }
    return (
      <Button
        size="small"
        onClick={onRefund}
        style={NOWRAP}
        aria-label={`${t.recordRefund} ${fill(t.rowName, { amount })}`}
      >
        {t.recordRefund}
      </Button>
    );
  }
  return null;
}

function DecisionModal({
  leadId,
  clawback,
  outcome,
  t,
  onClose,
  onRefused,
  onDone,
}: {
  leadId: string;
  clawback: Clawback;
  outcome: 'approval' | 'rejection';
  t: Texts;
  onClose: () => void;
  onRefused: (problem: Problem) => Promise<void>;
  onDone: () => Promise<void>;
}) {
  const [form] = Form.useForm<{ text?: string }>();
  const [busy, setBusy] = useState(false);
  const approving = outcome === 'approval';
  const field = approving ? 'note' : 'reason';

  const submit = async () => {
    let values: { text?: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const text = values.text?.trim() ?? '';
    const path = { params: { path: { id: leadId, clawbackId: clawback.clawbackId } } };
    setBusy(true);
    try {
      const answer = approving
        ? await api.POST('/leads/{id}/clawbacks/{clawbackId}/approval', {
            ...path,
            body: text === '' ? {} : { note: text },
          })
        : await api.POST('/leads/{id}/clawbacks/{clawbackId}/rejection', { ...path, body: { reason: text } });
      if (answer.data !== undefined) {
        await onDone();
        return;
      }
      const problem = problemOf(answer.error, answer.response.status);
      const onField = (problem.errors ?? []).filter((error) => error.field === field);
      if (onField.length > 0) form.setFields([{ name: 'text', errors: onField.map((e) => e.message) }]);
      else await onRefused(problem);
    } finally {
      setBusy(false);
    }
  };

  const amount = formatFen(clawback.amountFen);
  return (
    <Modal
      open
      title={fill(approving ? t.approveTitle : t.rejectTitle, { amount })}
      okText={t.confirm}
      cancelText={t.cancel}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {approving ? <Typography.Paragraph>{t.approveIntro}</Typography.Paragraph> : null}
      <Typography.Paragraph>
        {t.reason}：{clawback.reason}
      </Typography.Paragraph>
      <Form form={form} name={`clawback-${outcome}`} layout="vertical">
        <Form.Item
          name="text"
          label={approving ? t.approveNote : t.rejectReason}
          rules={
            approving
              ? []
              : [{ required: true, whitespace: true, message: fill(t.required, { field: t.rejectReason }) }]
          }
        >
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface RefundValues {
  reference: string;
  receivedOn: Dayjs;
}

function RefundModal({
  leadId,
  clawback,
  t,
  onClose,
  onRefused,
  onDone,
}: {
  leadId: string;
  clawback: Clawback;
  t: Texts;
  onClose: () => void;
  onRefused: (problem: Problem) => Promise<void>;
  onDone: () => Promise<void>;
}) {
  const [form] = Form.useForm<RefundValues>();
  const [busy, setBusy] = useState(false);
  const [other, setOther] = useState<Problem>();

  const submit = async () => {
    let values: RefundValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const answer = await api.POST('/leads/{id}/clawbacks/{clawbackId}/refund', {
        params: { path: { id: leadId, clawbackId: clawback.clawbackId } },
        body: { reference: values.reference.trim(), receivedOn: values.receivedOn.format('YYYY-MM-DD') },
      });
      if (answer.data !== undefined) {
        await onDone();
        return;
      }
      const problem = problemOf(answer.error, answer.response.status);
      if (problem.status === 400) {
        const elsewhere = showProblemOnFields(form, problem, ['reference', 'receivedOn']);
        setOther(elsewhere.length > 0 || (problem.errors ?? []).length === 0 ? problem : undefined);
      } else await onRefused(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={fill(t.refundTitle, { amount: formatFen(clawback.amountFen) })}
      okText={t.confirm}
      cancelText={t.cancel}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>{t.refundIntro}</Typography.Paragraph>
      <ProblemAlert problem={other} fallbackTitle={t.refused} />
      <Form<RefundValues>
        form={form}
        name="clawback-refund"
        layout="vertical"
        initialValues={{ receivedOn: beijingToday() }}
      >
        <Form.Item
          name="reference"
          label={t.reference}
          rules={[{ required: true, whitespace: true, message: fill(t.required, { field: t.reference }) }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="receivedOn"
          label={t.receivedOn}
          rules={[{ required: true, message: fill(t.required, { field: t.receivedOn }) }]}
        >
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ProposeValues {
  amount: string;
  reason: string;
  method: Method;
}

const PROPOSE_FIELDS = ['amount', 'reason', 'method'];

/** 申请追回: the amount in yuan as the other money fields take it, the reason, refund or offset. */
function ProposeForm({
  leadId,
  claimableFen,
  t,
  onProposed,
}: {
  leadId: string;
  claimableFen: number;
  t: Texts;
  onProposed: () => Promise<void>;
}) {
  const language = useLanguage();
  const [form] = Form.useForm<ProposeValues>();
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal>();

  async function propose(values: ProposeValues) {
    setSending(true);
    setRefusal(undefined);
    try {
      const { data, error, response } = await api.POST('/leads/{id}/clawbacks', {
        params: { path: { id: leadId } },
        body: { amount: values.amount.trim(), reason: values.reason.trim(), method: values.method },
      });
      if (data !== undefined) {
        form.resetFields();
        await onProposed();
        return;
      }
      const problem = problemOf(error, response.status);
      if (problem.status === 400) {
        const elsewhere = showProblemOnFields(form, problem, PROPOSE_FIELDS);
        if (elsewhere.length > 0 || (problem.errors ?? []).length === 0) {
          setRefusal({ words: undefined, problem });
        }
        return;
      }
      const words = refusalWords(problem, language);
      const field = FIELD_OF_CONFLICT[problem.code ?? ''];
      if (field !== undefined && words !== undefined) form.setFields([{ name: field, errors: [words] }]);
      setRefusal({ words, problem });
    } finally {
      setSending(false);
    }
  }

  return (
    <Card type="inner" size="small" title={t.proposeTitle} style={{ marginTop: 16 }}>
      <Form<ProposeValues>
        form={form}
        name="clawback-propose"
        layout="vertical"
        onFinish={propose}
        style={{ maxWidth: 720 }}
        initialValues={{ method: 'refund' }}
      >
        <RefusalAlert refusal={refusal} refusedTitle={t.refused} serverSaid={t.serverSaid} />
        <Form.Item
          name="amount"
          label={t.proposeAmount}
          required
          extra={fill(t.proposeAmountHelp, { amount: formatFen(claimableFen) })}
          rules={amountRules(language, { required: true, positive: true })}
        >
          <AmountInput placeholder="100万" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t.proposeReason}
          rules={[
            { required: true, whitespace: true, message: fill(t.required, { field: t.proposeReason }) },
          ]}
        >
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item name="method" label={t.proposeMethod} rules={[{ required: true }]}>
          <Radio.Group
            aria-label={t.proposeMethod}
            options={[
              { value: 'refund', label: t.methodRefund },
              { value: 'offset', label: t.methodOffset },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={sending}>
          {t.submit}
        </Button>
      </Form>
    </Card>
  );
}
