import { Alert, App, Button, Card, Form, Input, Modal, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { roleKinds, useMe } from '../../auth/me.ts';
import { AmountInput, amountFen, amountRules } from '../../components/AmountInput.tsx';
import { QUIET_TEXT } from '../../components/a11y.ts';
import { formatInstant } from '../../components/instant.ts';
import { useLanguage, useTexts } from '../../i18n/language.ts';
import { conflictWords, type FinanceAction, makerCheckerWords } from '../finance/review-refusals.ts';
import { netPaidFen } from './PaymentDeductions.tsx';
import { readStages } from './StagesSection.tsx';

type LeadView = components['schemas']['LeadView'];
type ModalAction = 'approve' | 'reject' | 'mark_paid';

const texts = {
  zh: {
    title: '财务审核',
    approve: '批准',
    collectiveTitle: '集体决策（超过 300 万元或一事一议时需要；已由他人记录的可不填）',
    collectiveBody: '决策机构',
    meetingDate: '会议日期',
    minutesNumber: '会议纪要编号',
    collectiveIncomplete: '集体决策须填写决策机构、会议日期（YYYY-MM-DD）和纪要编号三项',
    signedOff: '已记录您的签批，尚缺：{missing}',
    slotFinance: '财政审核人签批',
    slotFinanceHead: '财政负责人签批',
    slotCollective: '集体决策',
    reject: '驳回',
    markPaid: '标记已支付',
    confirmApprove: '确认批准',
    confirmReject: '确认驳回',
    confirmPaid: '确认已支付',
    cancel: '取消',
    note: '审核意见（可选）',
    reason: '驳回理由',
    reasonRequired: '请填写驳回理由',
    reference: '支付凭证号',
    referenceRequired: '请填写支付凭证号（如银行流水号）',
    approveIntro: '批准后，奖励与专项基金份额即被承诺拨付，不能撤销。',
    rejectIntro: '驳回后线索结案，已预留的专项基金份额将释放给候补队列。不能撤销。',
    paidIntro: '请确认款项已实际支付。登记后不能更改。',
    reward: '奖励',
    fund: '专项基金',
    held: '专项基金（已预留）',
    committed: '专项基金（已承诺）',
    waitlisted: '专项基金（候补中）',
    none: '无',
    caseTitle: '一事一议结果',
    caseIntro: '此线索适用“一事一议”：标准计算仅供参考，须登记议定的奖励与基金金额后才能批准。',
    caseReward: '议定奖励金额',
    caseFund: '议定基金金额',
    caseReason: '议定依据（如会议纪要编号）',
    caseReasonRequired: '请填写议定依据',
    caseSubmit: '登记一事一议结果',
    caseConfirm: '确认登记一事一议结果？',
    caseConfirmBody: '奖励 {reward}，专项基金 {fund}。登记后须由另一位财务人员批准。',
    confirm: '确认登记',
    provisional: '奖励仍为按计划投资额的预估值：招商专班登记经核实的实际投资额后才能批准。',
    approved: '已由 {user} 于 {at} 批准：奖励 {reward}，专项基金 {fund}',
    rejected: '已由 {user} 于 {at} 驳回：{note}',
    paid: '已由 {user} 于 {at} 标记已支付，凭证号 {reference}',
    deducted: '抵扣追回款 {amount}，来自线索 {lead}',
    netPaid: '实付 {amount}',
    caseRecorded: '一事一议结果已由 {user} 登记：奖励 {reward}，专项基金 {fund}（{reason}）',
    notReviewable: '此线索当前没有待财务处理的事项。',
    refused: '操作未完成',
    serverSaid: '服务器说明：',
    done: '已完成',
    loadFailed: '无法读取线索',
  },
  en: {
    title: 'Finance review',
    approve: 'Approve',
    collectiveTitle:
      'Collective decision (needed above 3 million yuan and for one-case-one-policy; leave empty if already recorded)',
    collectiveBody: 'Decision body',
    meetingDate: 'Meeting date',
    minutesNumber: 'Minutes number',
    collectiveIncomplete:
      'A collective decision needs its body, meeting date (YYYY-MM-DD) and minutes number',
    signedOff: 'Your sign-off is recorded; still missing: {missing}',
    slotFinance: "a finance approver's sign-off",
    slotFinanceHead: "the finance head's sign-off",
    slotCollective: 'the collective decision',
    reject: 'Reject',
    markPaid: 'Mark paid',
    confirmApprove: 'Confirm approval',
    confirmReject: 'Confirm rejection',
    confirmPaid: 'Confirm paid',
    cancel: 'Cancel',
    note: 'Note (optional)',
    reason: 'Reason for rejection',
    reasonRequired: 'Enter the reason for rejection',
    reference: 'Payment reference',
    referenceRequired: 'Enter the payment reference (a bank transaction number, say)',
    approveIntro: 'Approval commits the reward and the fund share; it cannot be undone.',
    rejectIntro:
      'Rejection closes the lead and releases its fund reservation to the waitlist. It cannot be undone.',
    paidIntro: 'Confirm that the money has actually been paid. This cannot be changed later.',
    reward: 'Reward',
    fund: 'Fund',
    held: 'Fund (reserved)',
    committed: 'Fund (committed)',
    waitlisted: 'Fund (waitlisted)',
    none: 'none',
    caseTitle: 'One-case-one-policy outcome',
    caseIntro:
      'This lead is one-case-one-policy: the standard computation is for reference only; record the negotiated reward and fund amounts before it can be approved.',
    caseReward: 'Negotiated reward',
    caseFund: 'Negotiated fund amount',
    caseReason: 'Basis (e.g. minutes reference)',
    caseReasonRequired: 'Enter the basis of the outcome',
    caseSubmit: 'Record case outcome',
    caseConfirm: 'Record this case outcome?',
    caseConfirmBody: 'Reward {reward}, fund {fund}. Another member of finance must then approve it.',
    confirm: 'Record',
    provisional:
      'The reward is still an estimate on the planned investment: it can be approved once the sector team reports the verified actual investment.',
    approved: 'Approved by {user} at {at}: reward {reward}, fund {fund}',
    rejected: 'Rejected by {user} at {at}: {note}',
    paid: 'Marked paid by {user} at {at}, reference {reference}',
    deducted: 'Clawback offset {amount} deducted, from lead {lead}',
    netPaid: 'Net paid {amount}',
    caseRecorded: 'Case outcome recorded by {user}: reward {reward}, fund {fund} ({reason})',
    notReviewable: 'Nothing on this lead waits for finance.',
    refused: 'Not done',
    serverSaid: 'The server said: ',
    done: 'Done',
    loadFailed: 'Could not read the lead',
  },
};

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** Why an action was refused: the rule in plain words first, the server's own detail beside it. */
interface Refusal {
  readonly words: string | undefined;
  readonly detail: string;
}

/**
 * Finance's actions on a lead (on the lead page): 批准, 驳回, 标记已支付 and the 一事一议 outcome, each
 * shown only where the lead's status allows it, each confirmed in a dialog since each moves money.
 */
export function FinanceActions({ leadId, onChanged }: { leadId: string; onChanged: () => void }) {
  const t = useTexts(texts);
  const language = useLanguage();
  const { me } = useMe();
  const { message } = App.useApp();
  const [lead, setLead] = useState<LeadView>();
  const [loadProblem, setLoadProblem] = useState<Problem>();
  const [open, setOpen] = useState<ModalAction>();
  const [refusal, setRefusal] = useState<Refusal>();
  const [missingSignOffs, setMissingSignOffs] = useState<readonly SignOffSlot[]>([]);
  // A staged reward (issue 17, part 5) is paid stage by stage, never at once: undefined until known.
  const [staged, setStaged] = useState<boolean>();

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/leads/{id}', { params: { path: { id: leadId } } });
    if (data === undefined) setLoadProblem(problemOf(error, response.status));
    else setLead(data);
  }, [leadId]);

  const approved = lead?.status === 'APPROVED';
  useEffect(() => {
    if (!approved) return;
    void readStages(leadId).then(({ data }) => setStaged(data?.staged ?? false));
  }, [approved, leadId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (loadProblem !== undefined) {
    return <Alert type="error" showIcon title={t.loadFailed} description={loadProblem.detail} />;
  }
  if (lead === undefined || me === undefined) return null;

  /** Explains a refused action; a field problem stays with its form (returns false then). */
  const explain = (action: FinanceAction, problem: Problem): void => {
    const words =
      problem.status === 403
        ? makerCheckerWords(action, me.userId, lead)?.[language]
        : conflictWords(problem.code, language);
    setRefusal({ words, detail: problem.detail || problem.title });
  };

  const succeeded = async (stillMissing: readonly SignOffSlot[] = []) => {
    setRefusal(undefined);
    setMissingSignOffs(stillMissing);
    if (stillMissing.length === 0) void message.success(t.done);
    await load();
    onChanged();
  };

  // The finance head signs approvals; rejecting, paying and 一事一议 outcomes are finance's.
  const isFinance = roleKinds(me).includes('finance');
  const decision = lead.latestDecision;
  const rewardFen = lead.caseOutcome?.rewardFen ?? decision?.payableRewardFen ?? 0;
  const allocation = lead.allocation;
  const fundLine =
    allocation === null
      ? `${t.fund}: ${t.none}`
      : allocation.state === 'committed'
        ? `${t.committed}: ${formatFen(allocation.committedFen)}`
        : allocation.state === 'waitlisted'
          ? `${t.waitlisted}: ${formatFen(allocation.reservedFen)}`
          : `${t.held}: ${formatFen(allocation.reservedFen)}`;
  const provisional = decision !== null && decision.decision.referralReward.basis === 'planned';

  return (
    <section aria-label={t.title} data-testid="finance-actions">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <ReviewSummary lead={lead} t={t} language={language} />
        {lead.status === 'PENDING_FINANCE' && provisional ? (
          <Alert type="info" showIcon title={t.provisional} />
        ) : null}
        {missingSignOffs.length === 0 || lead.status !== 'PENDING_FINANCE' ? null : (
          <Alert
            type="info"
            showIcon
            role="status"
            title={fill(t.signedOff, {
              missing: missingSignOffs.map((slot) => slotName(slot, t)).join(language === 'zh' ? '、' : ', '),
            })}
          />
        )}
        {refusal === undefined ? null : (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={refusal.words ?? t.refused}
            description={
              <span>
                {t.serverSaid}
                {refusal.detail}
              </span>
            }
            closable={{ closeIcon: true, 'aria-label': t.cancel }}
            onClose={() => setRefusal(undefined)}
          />
        )}
        {isFinance && lead.status === 'PENDING_CASE_REVIEW' ? (
          <CaseOutcomeForm
            leadId={leadId}
            t={t}
            onRefused={(problem) => explain('record_case_outcome', problem)}
            onDone={succeeded}
          />
        ) : null}
        <Space wrap>
          {lead.status === 'PENDING_FINANCE' ? (
            <Button type="primary" onClick={() => setOpen('approve')}>
              {t.approve}
            </Button>
          ) : null}
          {isFinance && (lead.status === 'PENDING_FINANCE' || lead.status === 'PENDING_CASE_REVIEW') ? (
            <Button onClick={() => setOpen('reject')}>{t.reject}</Button>
          ) : null}
          {isFinance && lead.status === 'APPROVED' && staged === false ? (
            <Button type="primary" onClick={() => setOpen('mark_paid')}>
              {t.markPaid}
            </Button>
          ) : null}
        </Space>
        {isFinance && lead.status === 'APPROVED' && staged === true ? (
          <Alert type="info" showIcon title={conflictWords('staged_payment', language)} />
        ) : null}
        {['PENDING_FINANCE', 'PENDING_CASE_REVIEW', 'APPROVED'].includes(lead.status) ||
        lead.review !== null ? null : (
          <Typography.Text style={QUIET_TEXT}>{t.notReviewable}</Typography.Text>
        )}
      </Space>
      {open === undefined ? null : (
        <ActionModal
          action={open}
          leadId={leadId}
          amounts={`${t.reward} ${formatFen(rewardFen)}；${fundLine}`}
          t={t}
          onClose={() => setOpen(undefined)}
          onRefused={(problem) => {
            setOpen(undefined);
            explain(open, problem);
          }}
          onDone={async (stillMissing) => {
            setOpen(undefined);
            await succeeded(stillMissing);
          }}
        />
      )}
    </section>
  );
}

type Texts = (typeof texts)['zh'];

function ReviewSummary({ lead, t, language }: { lead: LeadView; t: Texts; language: 'zh' | 'en' }) {
  const lines: string[] = [];
  if (lead.caseOutcome !== null) {
    lines.push(
      fill(t.caseRecorded, {
        user: lead.caseOutcome.recordedBy.userId,
        reward: formatFen(lead.caseOutcome.rewardFen),
        fund: formatFen(lead.caseOutcome.fundFen),
        reason: lead.caseOutcome.reason,
      }),
    );
  }
  const review = lead.review;
  if (review !== null) {
    const at = formatInstant(review.decidedAt, language);
    lines.push(
      review.state === 'REJECTED'
        ? fill(t.rejected, { user: review.decidedBy.userId, at, note: review.note ?? '' })
        : fill(t.approved, {
            user: review.decidedBy.userId,
            at,
            reward: formatFen(review.rewardFen),
            fund: formatFen(review.fundFen),
          }),
    );
    if (review.payment !== null) {
      lines.push(
        fill(t.paid, {
          user: review.payment.paidBy.userId,
          at: formatInstant(review.payment.paidAt, language),
          reference: review.payment.reference,
        }),
      );
      // Clawback offsets deducted from a whole-reward payment (a staged one's show under 分期支付).
      const deductions = review.paidFen === undefined ? (review.payment.deductions ?? []) : [];
      for (const deduction of deductions) {
        lines.push(fill(t.deducted, { amount: formatFen(deduction.amountFen), lead: deduction.fromLeadId }));
      }
      if (deductions.length > 0) {
        lines.push(fill(t.netPaid, { amount: formatFen(netPaidFen(review.rewardFen, deductions)) }));
      }
    }
  }
  if (lines.length === 0) return null;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="review-summary">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

type SignOffSlot = 'finance' | 'financeHead' | 'collectiveDecision';

function slotName(slot: SignOffSlot, t: Texts): string {
  return slot === 'finance' ? t.slotFinance : slot === 'financeHead' ? t.slotFinanceHead : t.slotCollective;
}

interface ModalFields {
  note?: string;
  reason?: string;
  reference?: string;
  collectiveBody?: string;
  meetingDate?: string;
  minutesNumber?: string;
}

/** The collective decision typed in the approve dialog: all three parts, none, or incomplete. */
function collectiveDecisionOf(
  values: ModalFields,
): { body: string; meetingDate: string; minutesNumber: string } | undefined | 'incomplete' {
  const body = values.collectiveBody?.trim() ?? '';
  const meetingDate = values.meetingDate?.trim() ?? '';
  const minutesNumber = values.minutesNumber?.trim() ?? '';
  if (body === '' && meetingDate === '' && minutesNumber === '') return undefined;
  if (body === '' || !/^\d{4}-\d{2}-\d{2}$/.test(meetingDate) || minutesNumber === '') return 'incomplete';
  return { body, meetingDate, minutesNumber };
}

const FIELD_OF: Record<ModalAction, 'note' | 'reason' | 'reference'> = {
  approve: 'note',
  reject: 'reason',
  mark_paid: 'reference',
};

/** The dialog of 批准 / 驳回 / 标记已支付: what the action does and the money it moves, then its one field. */
function ActionModal({
  action,
  leadId,
  amounts,
  t,
  onClose,
  onRefused,
  onDone,
}: {
  action: ModalAction;
  leadId: string;
  amounts: string;
  t: Texts;
  onClose: () => void;
  onRefused: (problem: Problem) => void;
  onDone: (stillMissing?: readonly SignOffSlot[]) => Promise<void>;
}) {
  const [form] = Form.useForm<ModalFields>();
  const [busy, setBusy] = useState(false);
  const [other, setOther] = useState<string>();
  const field = FIELD_OF[action];
  const title = action === 'approve' ? t.approve : action === 'reject' ? t.reject : t.markPaid;
  const okText =
    action === 'approve' ? t.confirmApprove : action === 'reject' ? t.confirmReject : t.confirmPaid;
  const intro = action === 'approve' ? t.approveIntro : action === 'reject' ? t.rejectIntro : t.paidIntro;
  const label = action === 'approve' ? t.note : action === 'reject' ? t.reason : t.reference;
  const requiredText = action === 'reject' ? t.reasonRequired : t.referenceRequired;

  const submit = async () => {
    let values: ModalFields;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    const text = values[field]?.trim() ?? '';
    const path = { params: { path: { id: leadId } } };
    setBusy(true);
    try {
      const collective = collectiveDecisionOf(values);
      if (collective === 'incomplete') {
        setOther(t.collectiveIncomplete);
        return;
      }
      const answer =
        action === 'approve'
          ? await api.POST('/leads/{id}/approve', {
              ...path,
              body: {
                ...(text === '' ? {} : { note: text }),
                ...(collective === undefined ? {} : { collectiveDecision: collective }),
              },
            })
          : action === 'reject'
            ? await api.POST('/leads/{id}/reject', { ...path, body: { reason: text } })
            : await api.POST('/leads/{id}/paid', { ...path, body: { reference: text } });
      if (answer.data !== undefined) {
        // 202: this sign-off is recorded and the approval needs more (the tier's other sign-offs).
        await onDone('missing' in answer.data ? answer.data.missing : []);
        return;
      }
      const problem = problemOf(answer.error, answer.response.status);
      const onField = (problem.errors ?? []).filter((error) => error.field === field);
      if (problem.status === 400 && onField.length > 0) {
        form.setFields([{ name: field, errors: onField.map((error) => error.message) }]);
      } else if (problem.status === 400) {
        setOther(problem.detail);
      } else {
        onRefused(problem);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      okText={okText}
      cancelText={t.cancel}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>{intro}</Typography.Paragraph>
      {action === 'reject' ? null : <Typography.Paragraph strong>{amounts}</Typography.Paragraph>}
      {other === undefined ? null : (
        <Alert type="error" showIcon title={other} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} name={`finance-${action}`} layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          label={label}
          name={field}
          rules={action === 'approve' ? [] : [{ required: true, whitespace: true, message: requiredText }]}
        >
          {action === 'approve' ? <Input.TextArea rows={2} maxLength={1000} /> : <Input maxLength={200} />}
        </Form.Item>
        {action === 'approve' ? (
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 14, marginBottom: 8 }}>{t.collectiveTitle}</legend>
            <Form.Item label={t.collectiveBody} name="collectiveBody">
              <Input maxLength={200} placeholder="管委会党工委会议" />
            </Form.Item>
            <Form.Item label={t.meetingDate} name="meetingDate">
              <Input maxLength={10} placeholder="2026-03-18" />
            </Form.Item>
            <Form.Item label={t.minutesNumber} name="minutesNumber">
              <Input maxLength={100} placeholder="〔2026〕12号" />
            </Form.Item>
          </fieldset>
        ) : null}
      </Form>
    </Modal>
  );
}

/** 一事一议: the negotiated reward and fund amounts (typed with units, parsed value beside) and the basis. */
function CaseOutcomeForm({
  leadId,
  t,
  onRefused,
  onDone,
}: {
  leadId: string;
  t: Texts;
  onRefused: (problem: Problem) => void;
  onDone: () => Promise<void>;
}) {
  const language = useLanguage();
  const { modal } = App.useApp();
  const [form] = Form.useForm<{ reward: string; fund: string; reason: string }>();
  const [busy, setBusy] = useState(false);

  const send = async (values: { reward: string; fund: string; reason: string }) => {
    const rewardFen = amountFen(values.reward) ?? 0;
    const fundFen = amountFen(values.fund) ?? 0;
    setBusy(true);
    try {
      const answer = await api.POST('/leads/{id}/case-outcome', {
        params: { path: { id: leadId } },
        body: { rewardFen, fundFen, reason: values.reason.trim() },
      });
      if (answer.data !== undefined) {
        form.resetFields();
        await onDone();
        return;
      }
      const problem = problemOf(answer.error, answer.response.status);
      const names: Record<string, 'reward' | 'fund' | 'reason'> = {
        rewardFen: 'reward',
        fundFen: 'fund',
        reason: 'reason',
      };
      const fields = (problem.errors ?? []).filter((error) => names[error.field] !== undefined);
      if (problem.status === 400 && fields.length > 0) {
        form.setFields(
          fields.map((error) => ({ name: names[error.field] ?? 'reason', errors: [error.message] })),
        );
      } else {
        onRefused(problem);
      }
    } finally {
      setBusy(false);
    }
  };

  const confirm = (values: { reward: string; fund: string; reason: string }) => {
    modal.confirm({
      title: t.caseConfirm,
      content: fill(t.caseConfirmBody, {
        reward: formatFen(amountFen(values.reward) ?? 0),
        fund: formatFen(amountFen(values.fund) ?? 0),
      }),
      okText: t.confirm,
      cancelText: t.cancel,
      onOk: () => send(values),
    });
  };

  return (
    <Card type="inner" title={t.caseTitle} size="small">
      <Typography.Paragraph>{t.caseIntro}</Typography.Paragraph>
      <Form form={form} name="caseOutcome" layout="vertical" onFinish={confirm} disabled={busy}>
        <Form.Item
          label={t.caseReward}
          name="reward"
          rules={amountRules(language, { required: true, positive: false })}
        >
          <AmountInput placeholder="300万" />
        </Form.Item>
        <Form.Item
          label={t.caseFund}
          name="fund"
          rules={amountRules(language, { required: true, positive: false })}
        >
          <AmountInput placeholder="500万" />
        </Form.Item>
        <Form.Item
          label={t.caseReason}
          name="reason"
          rules={[{ required: true, whitespace: true, message: t.caseReasonRequired }]}
        >
          <Input maxLength={1000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t.caseSubmit}
        </Button>
      </Form>
    </Card>
  );
}
