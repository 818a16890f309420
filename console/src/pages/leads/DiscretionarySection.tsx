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
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
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

type Reward = components['schemas']['DiscretionaryReward'];
type RewardState = Reward['state'];
type Slot = Reward['required'][number];
type RecipientType = Reward['recipient']['type'];

const texts = {
  zh: {
    title: '重奖（按决定奖励）',
    rule: '对牵线搭桥的有功人士、专业招商团队予以重奖：须有集体决策与法律依据，按金额分级审批、公示后支付，不占用新旧动能转换基金（除非政策另有规定）。',
    none: '本线索暂无重奖。',
    listName: '本线索的重奖（从早到晚）',
    rewardName: '重奖 {amount} · {name}',
    recipient: '受奖人',
    intermediary: '中介机构',
    professional_team: '专业团队',
    uscc: '统一社会信用代码',
    residentId: '身份证号',
    amount: '金额',
    reason: '事由',
    collectiveDecision: '集体决策',
    decisionLine: '{body}，{date}，纪要编号 {minutes}',
    legalBasis: '法律依据',
    status: '状态',
    PROPOSED: '待审批',
    APPROVED: '已批准（公示中）',
    REJECTED: '已驳回',
    PAID: '已支付',
    proposedBy: '提出人',
    signOffs: '签批',
    noSignOff: '尚无签批',
    finance: '财务部门',
    financeHead: '财政负责人',
    signedAs: '{who}（{slot}签批，{at}）',
    missing: '尚缺',
    missingNone: '无',
    noticeDeadline: '公示截止',
    noticeEnds: '异议截止 {deadline}；公示结束 {ends}',
    noNotice: '批准后公示',
    payment: '支付',
    paidLine: '凭证号 {reference}，{who}，{at}',
    deducted: '抵扣：从线索 {lead} 的追回中扣除 {amount}',
    notPaid: '未支付',
    rejection: '驳回',
    rejectionLine: '{who}，{at}：{reason}',
    mine: '（您）',
    fund: '资金来源',
    ownBudget: '园区自有预算（不占用新旧动能转换基金）',
    fromFund: '新旧动能转换基金 {fund}',
    signOff: '签批',
    reject: '驳回',
    markPaid: '标记已支付',
    ownProposal: '由您提出的重奖须由他人签批或驳回',
    alreadySigned: '您已签批此重奖：每位审批人须不同',
    notYourTier: '此重奖不需要您这一级的签批',
    involvedInPayment: '提出或签批此重奖的人不能标记其支付',
    signOffTitle: '签批重奖 {amount}',
    signOffIntro: '签批后，所需签批齐全即批准并开始公示；公示期满且无异议后方可支付。',
    signOffNote: '签批意见（可选）',
    rejectTitle: '驳回重奖 {amount}',
    rejectReason: '驳回理由',
    paidTitle: '标记重奖 {amount} 已支付',
    paidIntro: '请确认款项已实际支付；登记后不能更改。',
    paidReference: '支付凭证号',
    confirm: '确认',
    cancel: '取消',
    required: '请填写{field}',
    proposeTitle: '提出重奖',
    recipientType: '受奖人类型',
    recipientName: '受奖人名称',
    idHelp: '机构填写统一社会信用代码，个人填写身份证号，二者填写其一',
    oneOfIds: '统一社会信用代码与身份证号须且只能填写其一',
    proposeAmount: '重奖金额',
    proposeReason: '事由',
    decisionBody: '决策机构',
    meetingDate: '会议日期',
    minutesNumber: '纪要编号',
    legalDocument: '法律依据文件',
    legalClause: '条款',
    submit: '提出重奖',
    proposed: '已提出重奖，待他人签批',
    signed: '已签批',
    approved: '重奖已批准，开始公示',
    rejected: '重奖已驳回',
    paid: '重奖已标记为已支付',
    failed: '无法读取重奖',
    refused: '操作未完成',
    serverSaid: '服务器说明：',
  },
  en: {
    title: 'Rewards by decision (重奖)',
    rule: 'People who broker a project and professional attraction teams are rewarded by decision: it needs a collective decision and a legal basis, is approved in tiers by amount and paid after the public notice, and never draws on the conversion fund unless the policy says so.',
    none: 'No rewards by decision on this lead.',
    listName: 'The rewards by decision of this lead, oldest first',
    rewardName: 'Reward {amount} · {name}',
    recipient: 'Recipient',
    intermediary: 'Intermediary',
    professional_team: 'Professional team',
    uscc: 'Unified social credit code',
    residentId: 'Resident ID',
    amount: 'Amount',
    reason: 'Reason',
    collectiveDecision: 'Collective decision',
    decisionLine: '{body}, {date}, minutes {minutes}',
    legalBasis: 'Legal basis',
    status: 'Status',
    PROPOSED: 'To approve',
    APPROVED: 'Approved (under public notice)',
    REJECTED: 'Rejected',
    PAID: 'Paid',
    proposedBy: 'Proposed by',
    signOffs: 'Sign-offs',
    noSignOff: 'No sign-off yet',
    finance: 'finance',
    financeHead: 'finance head',
    signedAs: '{who} (as {slot}, {at})',
    missing: 'Still missing',
    missingNone: 'nothing',
    noticeDeadline: 'Notice deadline',
    noticeEnds: 'Objections until {deadline}; notice ends {ends}',
    noNotice: 'Published once approved',
    payment: 'Payment',
    paidLine: 'Reference {reference}, {who}, {at}',
    deducted: 'Offset: {amount} deducted for a clawback of lead {lead}',
    notPaid: 'Not paid',
    rejection: 'Rejection',
    rejectionLine: '{who}, {at}: {reason}',
    mine: ' (you)',
    fund: 'Paid from',
    ownBudget: 'The zone’s own budget (not the conversion fund)',
    fromFund: 'Conversion fund {fund}',
    signOff: 'Sign off',
    reject: 'Reject',
    markPaid: 'Mark paid',
    ownProposal: 'You proposed this reward: others sign it off or reject it',
    alreadySigned: 'You signed this reward already: every approver is another person',
    notYourTier: 'This reward needs no sign-off of yours',
    involvedInPayment: 'Whoever proposed or signed this reward may not mark it paid',
    signOffTitle: 'Sign off the reward of {amount}',
    signOffIntro:
      'Once every sign-off it needs is given the reward is approved and its public notice opens; it is paid after the notice, without objections.',
    signOffNote: 'Note (optional)',
    rejectTitle: 'Reject the reward of {amount}',
    rejectReason: 'Reason for rejection',
    paidTitle: 'Mark the reward of {amount} paid',
    paidIntro: 'Confirm the money has actually been paid; this cannot be changed.',
    paidReference: 'Payment reference',
    confirm: 'Confirm',
    cancel: 'Cancel',
    required: 'Enter the {field}',
    proposeTitle: 'Propose a reward by decision',
    recipientType: 'Recipient type',
    recipientName: 'Recipient name',
    idHelp: 'An organisation gives its credit code, a person a resident ID: exactly one of them',
    oneOfIds: 'Give exactly one of the credit code or the resident ID',
    proposeAmount: 'Reward amount',
    proposeReason: 'Reason',
    decisionBody: 'Decision-making body',
    meetingDate: 'Meeting date',
    minutesNumber: 'Minutes number',
    legalDocument: 'Legal basis: document',
    legalClause: 'Clause',
    submit: 'Propose reward',
    proposed: 'Reward proposed; others sign it off',
    signed: 'Signed off',
    approved: 'Reward approved; its public notice is open',
    rejected: 'Reward rejected',
    paid: 'Reward marked paid',
    failed: 'Could not read the rewards by decision',
    refused: 'Not done',
    serverSaid: 'The server said: ',
  },
};
type Texts = (typeof texts)['zh'];

/** The server's refusals in plain words (its own detail is shown beside them). */
const REFUSALS: Readonly<Record<string, { zh: string; en: string }>> = {
  legal_basis_missing: {
    zh: '缺少法律依据：重奖须写明所依据的文件与条款',
    en: 'The legal basis is missing: a reward by decision names the document and clause it rests on',
  },
  collective_decision_missing: {
    zh: '缺少集体决策：重奖须写明决策机构、会议日期与纪要编号',
    en: 'The collective decision is missing: give the body, the meeting date and the minutes number',
  },
  discretionary_cap_exceeded: {
    zh: '超过政策规定的重奖上限（每条线索或每年）',
    en: 'More than the policy’s cap on rewards by decision (per lead or per year)',
  },
  second_referral_reward: {
    zh: '受奖人已是本项目的引荐人，按 2% 规则获得引荐奖励，不能再获重奖',
    en: 'The recipient introduced this project and earns its 2% reward: no second reward by decision',
  },
  discretionary_not_allowed: {
    zh: '本线索适用的政策不允许重奖',
    en: 'The policy of this lead allows no rewards by decision',
  },
  not_a_proposer: {
    zh: '按政策，您的角色不能提出重奖',
    en: 'Under the policy your role does not propose rewards by decision',
  },
  maker_checker: {
    zh: '提出或签批此重奖的人不能决定或支付它：须由他人处理',
    en: 'Whoever proposed or signed this reward cannot decide or pay it: someone else must',
  },
  approver_not_distinct: {
    zh: '您已签批此重奖：每位审批人须不同',
    en: 'You signed this reward already: every approver is another person',
  },
  sign_off_not_needed: {
    zh: '此重奖不需要您这一级的签批',
    en: 'This reward needs no sign-off of yours',
  },
  discretionary_decided: {
    zh: '此重奖已由他人批准或驳回，记录已刷新',
    en: 'Somebody else has already decided this reward; the list is refreshed',
  },
  notice_open: {
    zh: '公示期尚未结束，不能支付',
    en: 'The public notice has not ended: it cannot be paid yet',
  },
  objection_pending: {
    zh: '公示期内有异议尚未处理，不能支付',
    en: 'An objection to the notice is pending: it cannot be paid',
  },
  objection_upheld: {
    zh: '公示异议成立，不能支付',
    en: 'An objection to the notice was upheld: it cannot be paid',
  },
  already_paid: {
    zh: '此重奖已支付，记录已刷新',
    en: 'This reward is already paid; the list is refreshed',
  },
  fund_insufficient: {
    zh: '专项基金余额不足',
    en: 'The fund has not enough left',
  },
};

/** Which form fields a 409 naming what is missing concerns. */
const FIELDS_OF_MISSING: Readonly<Record<string, string[][]>> = {
  legalBasis: [
    ['legalBasis', 'document'],
    ['legalBasis', 'clause'],
  ],
  collectiveDecision: [
    ['collectiveDecision', 'body'],
    ['collectiveDecision', 'meetingDate'],
    ['collectiveDecision', 'minutesNumber'],
  ],
};

const NOWRAP = { whiteSpace: 'nowrap' } as const;

function refusalOf(problem: Problem, language: Language): Refusal {
  const code = problem.code;
  return { words: code === undefined ? undefined : REFUSALS[code]?.[language], problem };
}

/**
 * 重奖 (issue 20) on the lead page, for finance, the finance head and auditors: every reward by decision
 * with its recipient, amount, reason, collective decision, legal basis, status, sign-offs and what is still
 * missing, the notice's deadline and the payment. Finance proposes one (提出重奖); finance or the finance head
 * signs another's (签批), finance rejects it (驳回) or, after the notice, marks it paid (标记已支付): never
 * whoever proposed or signed it, who are told why instead of shown a button that fails.
 */
export function DiscretionarySection({
  leadId,
  userId,
  isFinance,
  isFinanceHead,
}: {
  leadId: string;
  userId: string;
  isFinance: boolean;
  isFinanceHead: boolean;
}) {
  const t = useTexts(texts);
  const language = useLanguage();
  const { message } = App.useApp();
  const [items, setItems] = useState<Reward[]>();
  const [loadProblem, setLoadProblem] = useState<Problem>();
  const [refusal, setRefusal] = useState<Refusal>();
  const [acting, setActing] = useState<{ reward: Reward; action: Action }>();

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/leads/{id}/discretionary-rewards', {
      params: { path: { id: leadId } },
    });
    if (data !== undefined) {
      setItems(data.items);
      setLoadProblem(undefined);
    } else setLoadProblem(problemOf(error, response.status));
  }, [leadId]);
  useEffect(() => {
    void load();
  }, [load]);

  if (items === undefined)
    return loadProblem === undefined ? null : (
      <Card>
        <ProblemAlert problem={loadProblem} fallbackTitle={t.failed} />
      </Card>
    );

  return (
    <Card>
      <section aria-label={t.title}>
        <Typography.Title level={3} style={{ marginTop: 0, fontSize: 16 }}>
          {t.title}
        </Typography.Title>
        <Typography.Paragraph style={QUIET_TEXT}>{t.rule}</Typography.Paragraph>
        <RefusalAlert refusal={refusal} refusedTitle={t.refused} serverSaid={t.serverSaid} />
        {items.length === 0 ? (
          <Typography.Paragraph>{t.none}</Typography.Paragraph>
        ) : (
          <ul aria-label={t.listName} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {items.map((reward) => (
              <li key={reward.rewardId} style={{ marginBottom: 12 }}>
                <RewardCard
                  reward={reward}
                  userId={userId}
                  isFinance={isFinance}
                  isFinanceHead={isFinanceHead}
                  t={t}
                  language={language}
                  onAct={(action) => {
                    setRefusal(undefined);
                    setActing({ reward, action });
                  }}
                />
              </li>
            ))}
          </ul>
        )}
        {isFinance ? (
          <ProposeForm
            leadId={leadId}
            t={t}
            onProposed={async () => {
              void message.success(t.proposed);
              setRefusal(undefined);
              await load();
            }}
          />
        ) : null}
        {acting === undefined ? null : (
          <ActionModal
            leadId={leadId}
            reward={acting.reward}
            action={acting.action}
            t={t}
            onClose={() => setActing(undefined)}
            onRefused={async (problem) => {
              setActing(undefined);
              setRefusal(refusalOf(problem, language));
              if (problem.status === 409) await load();
            }}
            onDone={async (approved) => {
              const done =
                acting.action === 'signOff'
                  ? approved
                    ? t.approved
                    : t.signed
                  : acting.action === 'reject'
                    ? t.rejected
                    : t.paid;
              void message.success(done);
              setActing(undefined);
              await load();
            }}
          />
        )}
      </section>
    </Card>
  );
}

type Action = 'signOff' | 'reject' | 'paid';

function RewardCard({
  reward,
  userId,
  isFinance,
  isFinanceHead,
  t,
  language,
  onAct,
}: {
  reward: Reward;
  userId: string;
  isFinance: boolean;
  isFinanceHead: boolean;
  t: Texts;
  language: Language;
  onAct: (action: Action) => void;
}) {
  const amount = formatFen(reward.amountFen);
  const who = (id: string) => `${id}${id === userId ? t.mine : ''}`;
  const slotName = (slot: Slot) => (slot === 'finance' ? t.finance : t.financeHead);
  const recipient = reward.recipient;
  const decision = reward.collectiveDecision;
  const name = fill(t.rewardName, { amount, name: recipient.name });
  return (
    <Card
      type="inner"
      size="small"
      title={<span>{name}</span>}
      extra={
        <RowActions
          reward={reward}
          userId={userId}
          isFinance={isFinance}
          isFinanceHead={isFinanceHead}
          t={t}
          name={name}
          onAct={onAct}
        />
      }
      aria-label={name}
      role="article"
    >
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={[
          {
            key: 'recipient',
            label: t.recipient,
            children: (
              <>
                <span style={{ display: 'block' }}>
                  {recipient.name}（{t[recipient.type as RecipientType]}）
                </span>
                {recipient.uscc === undefined ? null : (
                  <span style={{ display: 'block' }}>
                    {t.uscc}：{recipient.uscc}
                  </span>
                )}
                {recipient.residentIdMasked === undefined ? null : (
                  <span style={{ display: 'block' }}>
                    {t.residentId}：{recipient.residentIdMasked}
                  </span>
                )}
              </>
            ),
          },
          { key: 'amount', label: t.amount, children: <span style={NOWRAP}>{amount}</span> },
          { key: 'reason', label: t.reason, children: reward.reason, span: 2 },
          {
            key: 'decision',
            label: t.collectiveDecision,
            children: fill(t.decisionLine, {
              body: decision.body,
              date: decision.meetingDate,
              minutes: decision.minutesNumber,
            }),
          },
          {
            key: 'legal',
            label: t.legalBasis,
            children: `${reward.legalBasis.document} ${reward.legalBasis.clause}`,
          },
          {
            key: 'state',
            label: t.status,
            // The words carry the status; the tag only frames them.
            children: <Tag>{t[reward.state as RewardState]}</Tag>,
          },
          {
            key: 'proposedBy',
            label: t.proposedBy,
            children: `${who(reward.proposedBy.userId)}，${formatInstant(reward.proposedAt, language)}`,
          },
          {
            key: 'signOffs',
            label: t.signOffs,
            children:
              reward.signOffs.length === 0
                ? t.noSignOff
                : reward.signOffs.map((s) => (
                    <span key={`${s.slot}-${s.by.userId}`} style={{ display: 'block' }}>
                      {fill(t.signedAs, {
                        who: who(s.by.userId),
                        slot: slotName(s.slot),
                        at: formatInstant(s.at, language),
                      })}
                      {s.note === null ? '' : `：${s.note}`}
                    </span>
                  )),
          },
          {
            key: 'missing',
            label: t.missing,
            children: reward.missing.length === 0 ? t.missingNone : reward.missing.map(slotName).join('、'),
          },
          {
            key: 'notice',
            label: t.noticeDeadline,
            children:
              reward.notice === null
                ? reward.state === 'PROPOSED'
                  ? t.noNotice
                  : '—'
                : fill(t.noticeEnds, {
                    deadline: reward.notice.objectionDeadline,
                    ends: formatInstant(reward.notice.endsAt, language),
                  }),
          },
          {
            key: 'fund',
            label: t.fund,
            children: reward.fundId === null ? t.ownBudget : fill(t.fromFund, { fund: reward.fundId }),
          },
          {
            key: 'payment',
            label: t.payment,
            span: 2,
            children:
              reward.payment === null ? (
                t.notPaid
              ) : (
                <>
                  <span style={{ display: 'block' }}>
                    {fill(t.paidLine, {
                      reference: reward.payment.reference,
                      who: who(reward.payment.paidBy.userId),
                      at: formatInstant(reward.payment.paidAt, language),
                    })}
                  </span>
                  {(reward.payment.deductions ?? []).map((deduction) => {
                    const [before, after] = fill(t.deducted, {
                      amount: formatFen(deduction.amountFen),
                      lead: '\u0000',
                    }).split('\u0000');
                    return (
                      <span key={deduction.clawbackId} style={{ display: 'block' }}>
                        {before}
                        <Link to={`/leads/${encodeURIComponent(deduction.fromLeadId)}`}>
                          {deduction.fromLeadId}
                        </Link>
                        {after}
                      </span>
                    );
                  })}
                </>
              ),
          },
          ...(reward.rejection === null
            ? []
            : [
                {
                  key: 'rejection',
                  label: t.rejection,
                  span: 2,
                  children: fill(t.rejectionLine, {
                    who: who(reward.rejection.by.userId),
                    at: formatInstant(reward.rejection.at, language),
                    reason: reward.rejection.reason,
                  }),
                },
              ]),
        ]}
      />
    </Card>
  );
}

function RowActions({
  reward,
  userId,
  isFinance,
  isFinanceHead,
  t,
  name,
  onAct,
}: {
  reward: Reward;
  userId: string;
  isFinance: boolean;
  isFinanceHead: boolean;
  t: Texts;
  name: string;
  onAct: (action: Action) => void;
}) {
  if (!isFinance && !isFinanceHead) return null;
  const proposer = reward.proposedBy.userId === userId;
  const signer = reward.signOffs.some((s) => s.by.userId === userId);
  const quiet = (words: string) => <Typography.Text style={QUIET_TEXT}>{words}</Typography.Text>;
  if (reward.state === 'PROPOSED') {
    // Maker-checker: the proposer is told why there is nothing to press; whoever signed, why not again.
    if (proposer) return quiet(t.ownProposal);
    // The server fills the finance head's slot first for someone with both roles, then finance's.
    const canSign =
      !signer &&
      ((isFinanceHead && reward.missing.includes('financeHead')) ||
        (isFinance && reward.missing.includes('finance')));
    return (
      <Space wrap>
        {canSign ? (
          <Button
            size="small"
            type="primary"
            aria-label={`${t.signOff} ${name}`}
            onClick={() => onAct('signOff')}
          >
            {t.signOff}
          </Button>
        ) : (
          quiet(signer ? t.alreadySigned : t.notYourTier)
        )}
        {isFinance ? (
          <Button size="small" aria-label={`${t.reject} ${name}`} onClick={() => onAct('reject')}>
            {t.reject}
          </Button>
        ) : null}
      </Space>
    );
  }
  if (reward.state === 'APPROVED' && isFinance) {
    if (proposer || signer) return quiet(t.involvedInPayment);
    return (
      <Button size="small" style={NOWRAP} aria-label={`${t.markPaid} ${name}`} onClick={() => onAct('paid')}>
        {t.markPaid}
      </Button>
    );
  }
  return null;
}

function ActionModal({
  leadId,
  reward,
  action,
  t,
  onClose,
  onRefused,
  onDone,
}: {
  leadId: string;
  reward: Reward;
  action: Action;
  t: Texts;
  onClose: () => void;
  onRefused: (problem: Problem) => Promise<void>;
  onDone: (approved: boolean) => Promise<void>;
}) {
  const [form] = Form.useForm<{ text?: string }>();
  const [busy, setBusy] = useState(false);
  const field = action === 'signOff' ? 'note' : action === 'reject' ? 'reason' : 'reference';
  const label = action === 'signOff' ? t.signOffNote : action === 'reject' ? t.rejectReason : t.paidReference;
  const amount = formatFen(reward.amountFen);
  const title = fill(
    action === 'signOff' ? t.signOffTitle : action === 'reject' ? t.rejectTitle : t.paidTitle,
    { amount },
  );

  const submit = async () => {
    let values: { text?: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const text = values.text?.trim() ?? '';
    const path = { params: { path: { id: leadId, rewardId: reward.rewardId } } };
    setBusy(true);
    try {
      const answer =
        action === 'signOff'
          ? await api.POST('/leads/{id}/discretionary-rewards/{rewardId}/approve', {
              ...path,
              body: text === '' ? {} : { note: text },
            })
          : action === 'reject'
            ? await api.POST('/leads/{id}/discretionary-rewards/{rewardId}/reject', {
                ...path,
                body: { reason: text },
              })
            : await api.POST('/leads/{id}/discretionary-rewards/{rewardId}/paid', {
                ...path,
                body: { reference: text },
              });
      if (answer.response.ok) {
        const state = (answer.data as { state?: string } | undefined)?.state;
        await onDone(state === 'APPROVED');
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

  return (
    <Modal
      open
      title={title}
      okText={t.confirm}
      cancelText={t.cancel}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {action === 'signOff' ? <Typography.Paragraph>{t.signOffIntro}</Typography.Paragraph> : null}
      {action === 'paid' ? <Typography.Paragraph>{t.paidIntro}</Typography.Paragraph> : null}
      <Typography.Paragraph>
        {t.recipient}：{reward.recipient.name}；{t.reason}：{reward.reason}
      </Typography.Paragraph>
      <Form form={form} name={`discretionary-${action}`} layout="vertical">
        <Form.Item
          name="text"
          label={label}
          rules={
            action === 'signOff'
              ? []
              : [{ required: true, whitespace: true, message: fill(t.required, { field: label }) }]
          }
        >
          {action === 'paid' ? <Input maxLength={200} /> : <Input.TextArea rows={2} maxLength={1000} />}
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ProposeValues {
  recipient: { type: RecipientType; name: string; uscc?: string; residentId?: string };
  amount: string;
  reason: string;
  collectiveDecision?: { body?: string; meetingDate?: Dayjs | null; minutesNumber?: string };
  legalBasis?: { document?: string; clause?: string };
}

const PROPOSE_FIELDS = [
  'recipient.type',
  'recipient.name',
  'recipient.uscc',
  'recipient.residentId',
  'amount',
  'reason',
  'collectiveDecision.body',
  'collectiveDecision.meetingDate',
  'collectiveDecision.minutesNumber',
  'legalBasis.document',
  'legalBasis.clause',
];

/** The texts given, trimmed; undefined when none is (the server then says, with a 409, that it is missing). */
function givenParts<T extends Record<string, string>>(parts: T): Partial<T> | undefined {
  const given = Object.entries(parts)
    .map(([key, value]) => [key, value.trim()] as const)
    .filter(([, value]) => value !== '');
  return given.length === 0 ? undefined : (Object.fromEntries(given) as Partial<T>);
}

/**
 * 提出重奖: the recipient (type, name, a credit code or a resident ID), the amount in yuan as the other money
 * fields take it, the reason, the collective decision and the legal basis. Neither of the last two is
 * required here: the server's 409 says which is missing, in words above the form and on its fields.
 */
function ProposeForm({
  leadId,
  t,
  onProposed,
}: {
  leadId: string;
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
      const uscc = values.recipient.uscc?.trim() ?? '';
      const residentId = values.recipient.residentId?.trim() ?? '';
      const decision = values.collectiveDecision ?? {};
      const collectiveDecision = givenParts({
        body: decision.body ?? '',
        meetingDate: decision.meetingDate?.format('YYYY-MM-DD') ?? '',
        minutesNumber: decision.minutesNumber ?? '',
      });
      const legalBasis = givenParts({
        document: values.legalBasis?.document ?? '',
        clause: values.legalBasis?.clause ?? '',
      });
      const body = {
        recipient: {
          type: values.recipient.type,
          name: values.recipient.name.trim(),
          ...(uscc === '' ? {} : { uscc }),
          ...(residentId === '' ? {} : { residentId }),
        },
        amount: values.amount.trim(),
        reason: values.reason.trim(),
        // Partly filled: sent as given, so the server names each empty part on its field.
        ...(collectiveDecision === undefined
          ? {}
          : {
              collectiveDecision: collectiveDecision as {
                body: string;
                meetingDate: string;
                minutesNumber: string;
              },
            }),
        ...(legalBasis === undefined
          ? {}
          : { legalBasis: legalBasis as { document: string; clause: string } }),
      };
      const { data, error, response } = await api.POST('/leads/{id}/discretionary-rewards', {
        params: { path: { id: leadId } },
        body,
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
      const refused = refusalOf(problem, language);
      const missing = (problem as { missing?: string[] }).missing ?? [];
      const fields = missing.flatMap((part) => FIELDS_OF_MISSING[part] ?? []);
      const words = refused.words;
      if (words !== undefined && fields.length > 0)
        form.setFields(fields.map((name) => ({ name: name as never, errors: [words] })));
      setRefusal(refused);
    } finally {
      setSending(false);
    }
  }

  const oneOfIds = ({ getFieldValue }: { getFieldValue: (name: string[]) => unknown }) => ({
    validator: async () => {
      const given = [
        ['recipient', 'uscc'],
        ['recipient', 'residentId'],
      ].filter((name) => String(getFieldValue(name) ?? '').trim() !== '');
      if (given.length !== 1) throw new Error(t.oneOfIds);
    },
  });

  return (
    <Card type="inner" size="small" title={t.proposeTitle} style={{ marginTop: 16 }}>
      <Form<ProposeValues>
        form={form}
        name="discretionary-propose"
        layout="vertical"
        onFinish={propose}
        style={{ maxWidth: 720 }}
        initialValues={{ recipient: { type: 'professional_team' } }}
      >
        <RefusalAlert refusal={refusal} refusedTitle={t.refused} serverSaid={t.serverSaid} />
        <Form.Item name={['recipient', 'type']} label={t.recipientType} rules={[{ required: true }]}>
          <Radio.Group
            aria-label={t.recipientType}
            options={[
              { value: 'intermediary', label: t.intermediary },
              { value: 'professional_team', label: t.professional_team },
            ]}
          />
        </Form.Item>
        <Form.Item
          name={['recipient', 'name']}
          label={t.recipientName}
          rules={[
            { required: true, whitespace: true, message: fill(t.required, { field: t.recipientName }) },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Typography.Paragraph style={QUIET_TEXT}>{t.idHelp}</Typography.Paragraph>
        <Space wrap size={16} align="start">
          <Form.Item
            name={['recipient', 'uscc']}
            label={t.uscc}
            dependencies={[['recipient', 'residentId']]}
            rules={[oneOfIds]}
          >
            <Input maxLength={18} style={{ width: 240 }} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name={['recipient', 'residentId']}
            label={t.residentId}
            dependencies={[['recipient', 'uscc']]}
            rules={[oneOfIds]}
          >
            <Input maxLength={18} style={{ width: 240 }} autoComplete="off" />
          </Form.Item>
        </Space>
        <Form.Item
          name="amount"
          label={t.proposeAmount}
          required
          rules={amountRules(language, { required: true, positive: true })}
        >
          <AmountInput placeholder="30万" />
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
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 14, fontWeight: 600, border: 0, marginBottom: 8 }}>
            {t.collectiveDecision}
          </legend>
          <Space wrap size={16} align="start">
            <Form.Item name={['collectiveDecision', 'body']} label={t.decisionBody}>
              <Input maxLength={200} style={{ width: 240 }} />
            </Form.Item>
            <Form.Item name={['collectiveDecision', 'meetingDate']} label={t.meetingDate}>
              <DatePicker />
            </Form.Item>
            <Form.Item name={['collectiveDecision', 'minutesNumber']} label={t.minutesNumber}>
              <Input maxLength={100} style={{ width: 200 }} />
            </Form.Item>
          </Space>
        </fieldset>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 14, fontWeight: 600, border: 0, marginBottom: 8 }}>
            {t.legalBasis}
          </legend>
          <Space wrap size={16} align="start">
            <Form.Item name={['legalBasis', 'document']} label={t.legalDocument}>
              <Input maxLength={300} style={{ width: 320 }} />
            </Form.Item>
            <Form.Item name={['legalBasis', 'clause']} label={t.legalClause}>
              <Input maxLength={300} style={{ width: 200 }} />
            </Form.Item>
          </Space>
        </fieldset>
        <Button type="primary" htmlType="submit" loading={sending}>
          {t.submit}
        </Button>
      </Form>
    </Card>
  );
}
