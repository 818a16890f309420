import { ExclamationCircleOutlined, LoadingOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  type DescriptionsProps,
  Flex,
  Result,
  Space,
  Spin,
  Steps,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatBasisPoints, formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { roleKinds, useMe } from '../../auth/me.ts';
import { formatInstant } from '../../components/instant.ts';
import { type LeadStatus, LeadStatusTag, leadStatusName } from '../../components/LeadStatusTag.tsx';
import { fill, type Language, pick, useLanguage, useTexts } from '../../i18n/language.ts';
import { NoticeSection } from '../notices/NoticeSection.tsx';
import { ActualInvestmentForm } from './ActualInvestmentForm.tsx';
import { ClawbackSection } from './ClawbackSection.tsx';
import { DiscretionarySection } from './DiscretionarySection.tsx';
import { EvidenceSection } from './EvidenceForms.tsx';
import { FinanceActions } from './FinanceActions.tsx';
import { ALLOCATION_NAMES, BASIS_NAMES, CATEGORY_NAMES, INTRODUCER_NAMES } from './lead-names.ts';
import { PaymentDeductions } from './PaymentDeductions.tsx';
import { ReferrerRegistrationSection } from './ReferrerRegistrationForm.tsx';
import { ReplayAction } from './ReplayAction.tsx';
import { StagesSection } from './StagesSection.tsx';

const texts = {
  zh: {
    loading: '正在加载线索',
    notFoundTitle: '未找到该线索',
    notFoundDetail: '该线索不存在，或不属于您的招商专班。',
    backToList: '返回线索列表',
    failed: '线索加载失败',
    leadId: '线索编号',
    sector: '招商专班',
    submittedAt: '提交时间',
    submittedBy: '提交人',
    signedProject: '签约后的项目（项目台账）',
    progress: '办理进度',
    progressLabel: '线索办理进度',
    received: '已受理',
    evaluated: '已评估',
    evaluating: '评估中',
    pendingFinance: '待财政审核',
    pendingCase: '待一事一议审核',
    approved: '已批准',
    rejected: '已驳回',
    decided: '审核结果',
    paid: '已支付',
    current: '当前',
    project: '项目与投资方',
    projectName: '项目名称',
    investorName: '投资方名称',
    uscc: '统一社会信用代码',
    introducer: '引荐方',
    introducerName: '引荐方名称',
    introducerCode: '引荐方证件号码',
    planned: '计划投资额',
    actual: '实际投资额',
    notReported: '未登记',
    category: '项目类别',
    fundRequest: '申请专项基金',
    none: '无',
    municipal: '市级重大项目',
    bespoke: '申请一事一议',
    yes: '是',
    no: '否',
    officer: '责任人',
    decision: '评估结果',
    revisionOf: '第{n}版评估',
    waitingDecision: '正在按政策评估，结果将自动显示……',
    reevaluating: '已登记实际投资额，第{n}版评估进行中，完成后自动更新。',
    evaluationFailed: '自动评估未能完成，已转入人工处理队列。',
    reward: '引荐奖励',
    rewardAmount: '奖励金额',
    payableReward: '可支付奖励',
    payableYes: '可支付（待财政审核）',
    payableNo: '暂不可支付',
    basis: '计算基数',
    rate: '奖励比例',
    threshold: '起奖门槛',
    inclusive: '（含）',
    exclusive: '（不含）',
    cap: '单笔上限',
    noCap: '无上限',
    fund: '新旧动能转换专项基金',
    fundCap: '可获基金上限',
    fundRequested: '申请金额',
    fundBasis: '测算基数',
    allocation: '基金分配',
    allocationNone: '未申请或不符合条件',
    allocationPending: '分配处理中',
    granted: '已分配',
    waiting: '候补待分配',
    waitingSince: '排队起始',
    flags: '特别事项',
    caseFlag: '一事一议（ONE_CASE_ONE_POLICY）',
    duplicate: '重复项目（撞单）',
    duplicateText:
      '同一投资方的同一项目已由线索 {lead} 先行登记。每个项目仅奖励一次，本线索不再计发引荐奖励。',
    explanation: '说明',
    policy: '适用政策',
    legalBasis: '政策依据',
    review: '财政审核',
    reviewState: '审核结论',
    reviewedBy: '审核人',
    reviewedAt: '审核时间',
    note: '意见',
    paymentReference: '支付凭证号',
    paidBy: '支付经办人',
    paidAt: '支付时间',
    deductions: '抵扣追回款',
    caseOutcome: '一事一议结果',
    caseReward: '协商奖励',
    caseFund: '协商基金',
    caseReason: '依据',
    revisions: '评估版本',
    revisionsCaption: '本线索的全部评估版本（从早到晚）',
    revision: '版本',
    evaluatedAt: '评估时间',
    status: '状态',
    policyVersion: '政策版本',
    replay: '重放',
    report: '登记实际投资',
    reportClosed: '财政已作出审核结论，实际投资额不再改变奖励。',
    finance: '财政操作',
    stillWorking: '处理时间较长，请稍后刷新页面。',
  },
  en: {
    loading: 'Loading the lead',
    notFoundTitle: 'Lead not found',
    notFoundDetail: 'This lead does not exist, or it is not one of your sector’s leads.',
    backToList: 'Back to the leads',
    failed: 'The lead could not be loaded',
    leadId: 'Lead ID',
    sector: 'Sector team',
    submittedAt: 'Submitted',
    submittedBy: 'Submitted by',
    signedProject: 'The project after signing (ledger)',
    progress: 'Progress',
    progressLabel: 'Progress of the lead',
    received: 'Received',
    evaluated: 'Evaluated',
    evaluating: 'Evaluating',
    pendingFinance: 'Finance review',
    pendingCase: 'Case-by-case review',
    approved: 'Approved',
    rejected: 'Rejected',
    decided: 'Review decision',
    paid: 'Paid',
    current: 'current',
    project: 'Project and investor',
    projectName: 'Project name',
    investorName: 'Investor',
    uscc: 'Unified social credit code',
    introducer: 'Introducer',
    introducerName: 'Introducer name',
    introducerCode: 'Introducer’s code or ID',
    planned: 'Planned investment',
    actual: 'Actual investment',
    notReported: 'Not reported',
    category: 'Project category',
    fundRequest: 'Fund request',
    none: 'None',
    municipal: 'Municipal major project',
    bespoke: 'One-case-one-policy requested',
    yes: 'Yes',
    no: 'No',
    officer: 'Responsible officer',
    decision: 'Decision',
    revisionOf: 'Revision {n}',
    waitingDecision: 'Applying the policy; the decision appears here by itself…',
    reevaluating: 'Actual investment reported; revision {n} is being evaluated and appears here by itself.',
    evaluationFailed: 'The automatic evaluation could not finish; it waits for an operator.',
    reward: 'Referral reward',
    rewardAmount: 'Reward',
    payableReward: 'Payable reward',
    payableYes: 'Payable (subject to finance review)',
    payableNo: 'Not payable yet',
    basis: 'Basis',
    rate: 'Rate',
    threshold: 'Threshold',
    inclusive: ' (inclusive)',
    exclusive: ' (exclusive)',
    cap: 'Cap per reward',
    noCap: 'No cap',
    fund: 'Conversion fund',
    fundCap: 'Fund cap for the project',
    fundRequested: 'Requested',
    fundBasis: 'Investment it is taken of',
    allocation: 'Allocation',
    allocationNone: 'Not requested or not eligible',
    allocationPending: 'Being allocated',
    granted: 'Granted',
    waiting: 'Waiting for',
    waitingSince: 'Waiting since',
    flags: 'Flags',
    caseFlag: 'One-case-one-policy (ONE_CASE_ONE_POLICY)',
    duplicate: 'Duplicate project',
    duplicateText:
      'Lead {lead} registered the same investor and project first. A project earns one reward only: this lead earns no referral reward.',
    explanation: 'Explanation',
    policy: 'Policy',
    legalBasis: 'Legal basis',
    review: 'Finance review',
    reviewState: 'Verdict',
    reviewedBy: 'Reviewed by',
    reviewedAt: 'Reviewed at',
    note: 'Note',
    paymentReference: 'Payment reference',
    paidBy: 'Paid by',
    paidAt: 'Paid at',
    deductions: 'Clawback offsets',
    caseOutcome: 'One-case-one-policy outcome',
    caseReward: 'Negotiated reward',
    caseFund: 'Negotiated fund',
    caseReason: 'Grounds',
    revisions: 'Revisions',
    revisionsCaption: 'Every evaluation of this lead, oldest first',
    revision: 'Revision',
    evaluatedAt: 'Evaluated',
    status: 'Status',
    policyVersion: 'Policy version',
    replay: 'Replay',
    report: 'Report actual investment',
    reportClosed: 'Finance has decided: the actual investment no longer changes the reward.',
    finance: 'Finance actions',
    stillWorking: 'This takes longer than usual; reload the page in a while.',
  },
};

type Texts = (typeof texts)['zh'];
type LeadView = components['schemas']['LeadView'];
type Revision = LeadView['revisions'][number];
type DecisionRecord = NonNullable<LeadView['latestDecision']>;

const REPORTABLE: readonly LeadStatus[] = ['PENDING_FINANCE', 'PENDING_CASE_REVIEW'];
/** Polls while the pipeline works on the lead: every second, for at most two minutes. */
const POLL_MS = 1000;
const MAX_POLLS = 120;

/** The pipeline is still working on the lead: its decision, a re-evaluation, or the fund's answer. */
function inProgress(view: LeadView): boolean {
  if (view.evaluationFailure !== null) return false;
  if (view.status === 'RECEIVED' || view.latestDecision === null) return true;
  if (view.pendingRevision !== undefined) return true;
  const fund = view.latestDecision.decision.fund;
  const asksFund = fund.capFen > 0;
  return asksFund && (view.allocation === null || view.allocation.revision < view.latestRevision);
}

type Load =
  | { state: 'loading' }
  | { state: 'found'; view: LeadView }
  | { state: 'missing' }
  | { state: 'failed'; problem: Problem };

/** The lead page: project, progress, the decision explained, reward and fund figures, revisions, actions. */
export default function LeadPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { me } = useMe();
  const kinds = roleKinds(me);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [polls, setPolls] = useState(0);

  const reload = useCallback(async () => {
    try {
      const { data, error, response } = await api.GET('/leads/{id}', { params: { path: { id } } });
      if (data !== undefined) setLoad({ state: 'found', view: data });
      // A lead of another sector answers exactly as a missing one; a malformed id is no lead either.
      else if (response.status === 404 || response.status === 400) setLoad({ state: 'missing' });
      else setLoad({ state: 'failed', problem: problemOf(error, response.status) });
    } catch {
      setLoad({ state: 'failed', problem: { type: 'about:blank', title: t.failed, status: 0, detail: '' } });
    }
  }, [id, t.failed]);

  useEffect(() => {
    setLoad({ state: 'loading' });
    setPolls(0);
    void reload();
  }, [reload]);

  const view = load.state === 'found' ? load.view : undefined;
  const working = view !== undefined && inProgress(view);
  useEffect(() => {
    if (!working || polls >= MAX_POLLS) return;
    const timer = window.setTimeout(() => {
      setPolls((count) => count + 1);
      void reload();
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [working, polls, reload]);

  const changed = useCallback(() => {
    setPolls(0);
    void reload();
  }, [reload]);

  if (load.state === 'loading') {
    return <Spin tip={t.loading} style={{ display: 'block', marginTop: 64 }} />;
  }
  if (load.state === 'missing') {
    return (
      <Result
        status="404"
        title={
          <Typography.Title level={2} style={{ fontSize: 24, margin: 0 }}>
            {t.notFoundTitle}
          </Typography.Title>
        }
        subTitle={t.notFoundDetail}
        extra={
          <Button type="primary" onClick={() => navigate('/leads')}>
            {t.backToList}
          </Button>
        }
      />
    );
  }
  if (load.state === 'failed') {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Title level={2}>{t.failed}</Typography.Title>
        <Alert
          type="error"
          showIcon
          title={load.problem.title}
          description={load.problem.detail || undefined}
        />
      </Space>
    );
  }

  const lead = load.view;
  const sectorName =
    me?.sectorCatalogue.find((sector) => sector.code === lead.sector)?.[language] ?? lead.sector;
  const decision = lead.latestDecision;
  const isSectorTeam = me?.sectors.some((sector) => sector.code === lead.sector) === true;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%', maxWidth: 1100 }}>
      <div>
        <Flex align="center" gap={12} wrap>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {lead.lead.projectName}
          </Typography.Title>
          <LeadStatusTag status={lead.status} />
        </Flex>
        <Flex wrap gap="4px 24px" style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">
            {t.leadId}：<Typography.Text copyable>{lead.leadId}</Typography.Text>
          </Typography.Text>
          <Typography.Text type="secondary">
            {t.sector}：{sectorName}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t.submittedAt}：{formatInstant(lead.submittedAt, language)}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t.submittedBy}：{lead.submittedBy.userId}
          </Typography.Text>
          {lead.projectId === null ? null : (
            <Link to={`/projects/${encodeURIComponent(lead.projectId)}`}>{t.signedProject}</Link>
          )}
        </Flex>
      </div>

      {lead.duplicateOf === null ? null : (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          title={t.duplicate}
          description={<DuplicateText t={t} firstLeadId={lead.duplicateOf} />}
        />
      )}
      {lead.evaluationFailure === null ? null : (
        <Alert type="error" showIcon icon={<ExclamationCircleOutlined />} title={t.evaluationFailed} />
      )}

      <Card title={<SectionTitle>{t.progress}</SectionTitle>}>
        <Steps
          aria-label={t.progressLabel}
          items={progressSteps(lead, t, language)}
          {...stepsPosition(lead)}
        />
      </Card>

      <Card title={<SectionTitle>{t.project}</SectionTitle>}>
        <Descriptions
          bordered
          column={{ xs: 1, md: 2 }}
          size="small"
          styles={LABELS}
          items={projectItems(lead, t, language)}
        />
      </Card>

      <Card
        title={
          <SectionTitle>
            {t.decision}
            {decision === null ? '' : `（${fill(t.revisionOf, { n: decision.revision })}）`}
          </SectionTitle>
        }
      >
        <div aria-live="polite">
          {lead.pendingRevision === undefined ? null : (
            <Alert
              type="info"
              showIcon
              icon={<LoadingOutlined />}
              style={{ marginBottom: 16 }}
              title={fill(t.reevaluating, { n: lead.pendingRevision })}
            />
          )}
          {decision === null ? (
            lead.evaluationFailure === null ? (
              <Space>
                <Spin size="small" />
                <Typography.Text>{t.waitingDecision}</Typography.Text>
              </Space>
            ) : null
          ) : (
            <DecisionDetails view={lead} decision={decision} t={t} language={language} />
          )}
          {working && polls >= MAX_POLLS ? <Alert type="warning" showIcon title={t.stillWorking} /> : null}
        </div>
      </Card>

      {lead.review === null && lead.caseOutcome === null ? null : (
        <Card title={<SectionTitle>{t.review}</SectionTitle>}>
          <Descriptions
            bordered
            column={{ xs: 1, md: 2 }}
            size="small"
            styles={LABELS}
            items={reviewItems(lead, t, language)}
          />
        </Card>
      )}

      {kinds.includes('finance') || kinds.includes('finance-head') ? (
        <Card title={<SectionTitle>{t.finance}</SectionTitle>}>
          <FinanceActions leadId={lead.leadId} onChanged={changed} />
        </Card>
      ) : null}

      {/* 公示 (issue 17): the approval's public notice, its deadline and objections (re-read as the lead moves). */}
      {(kinds.includes('finance') || kinds.includes('finance-head') || kinds.includes('auditor')) &&
      (lead.status === 'APPROVED' || lead.status === 'PAID') ? (
        <Card>
          <NoticeSection key={lead.status} leadId={lead.leadId} />
        </Card>
      ) : null}

      {/* 分期支付 (issue 17, part 5): shown only when the lead's policy splits the reward. */}
      {(kinds.includes('finance') || kinds.includes('finance-head') || kinds.includes('auditor')) &&
      lead.latestRevision > 0 ? (
        <StagesSection
          key={`${lead.status}-${lead.latestRevision}`}
          leadId={lead.leadId}
          canAct={kinds.includes('finance')}
          onChanged={changed}
        />
      ) : null}

      {/* 追回 (issue 17, part 6): once something of the reward is paid. */}
      {(kinds.includes('finance') || kinds.includes('finance-head') || kinds.includes('auditor')) &&
      me !== undefined &&
      (lead.status === 'PAID' || (lead.review?.paidFen ?? 0) > 0) ? (
        <ClawbackSection
          key={`${lead.status}-${lead.review?.paidFen ?? 0}`}
          leadId={lead.leadId}
          userId={me.userId}
          canAct={kinds.includes('finance')}
        />
      ) : null}

      {/* 重奖 (issue 20): rewards by decision beside the 2% reward, once the lead is evaluated. */}
      {(kinds.includes('finance') || kinds.includes('finance-head') || kinds.includes('auditor')) &&
      me !== undefined &&
      lead.latestRevision > 0 ? (
        <DiscretionarySection
          leadId={lead.leadId}
          userId={me.userId}
          isFinance={kinds.includes('finance')}
          isFinanceHead={kinds.includes('finance-head')}
        />
      ) : null}

      {isSectorTeam && lead.latestRevision > 0 ? (
        <Card title={<SectionTitle>{t.actual}</SectionTitle>}>
          {REPORTABLE.includes(lead.status) && lead.pendingRevision === undefined ? (
            <ActualInvestmentForm leadId={lead.leadId} onReported={changed} />
          ) : lead.pendingRevision !== undefined ? (
            <Typography.Text>{fill(t.reevaluating, { n: lead.pendingRevision })}</Typography.Text>
          ) : (
            <Typography.Text type="secondary">{t.reportClosed}</Typography.Text>
          )}
        </Card>
      ) : null}

      {/* 引荐人报备 and 投资证据 (issue 17, parts 1–2): the sector team records them; finance and auditors read them. */}
      {lead.latestRevision > 0 &&
      (isSectorTeam ||
        kinds.includes('finance') ||
        kinds.includes('finance-head') ||
        kinds.includes('auditor')) ? (
        <>
          <ReferrerRegistrationSection
            view={lead}
            canRecord={isSectorTeam && REPORTABLE.includes(lead.status) && lead.pendingRevision === undefined}
            onRecorded={changed}
          />
          <EvidenceSection
            leadId={lead.leadId}
            actualInvestmentFen={decision?.lead.actualInvestment}
            canRecord={isSectorTeam && REPORTABLE.includes(lead.status)}
          />
        </>
      ) : null}

      <Card title={<SectionTitle>{t.revisions}</SectionTitle>}>
        <RevisionTable view={lead} t={t} language={language} replay={kinds.includes('auditor')} />
      </Card>
    </Space>
  );
}

function SectionTitle({ children }: { children: React.ReactNode }) {
  return (
    <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>
      {children}
    </Typography.Title>
  );
}

function DuplicateText({ t, firstLeadId }: { t: Texts; firstLeadId: string }) {
  const [before, after] = t.duplicateText.split('{lead}');
  return (
    <>
      {before}
      <Link to={`/leads/${encodeURIComponent(firstLeadId)}`}>{firstLeadId}</Link>
      {after}
    </>
  );
}

/** received → evaluated → pending review → approved/rejected → paid, from the lead's state and records. */
function progressSteps(view: LeadView, t: Texts, language: Language) {
  const first = view.revisions[0];
  const caseReview =
    view.status === 'PENDING_CASE_REVIEW' ||
    view.caseOutcome !== null ||
    (view.latestDecision?.decision.flags.some((flag) => flag.code === 'ONE_CASE_ONE_POLICY') ?? false);
  const at = (iso: string | undefined) => (iso === undefined ? undefined : formatInstant(iso, language));
  const rejected = view.status === 'REJECTED';
  const steps = [
    { title: t.received, content: at(view.submittedAt) },
    {
      title: view.latestRevision === 0 ? t.evaluating : t.evaluated,
      content: at(first?.evaluatedAt),
      ...(view.evaluationFailure === null ? {} : { status: 'error' as const }),
    },
    { title: caseReview ? t.pendingCase : t.pendingFinance },
    {
      title: rejected ? t.rejected : view.review === null ? t.decided : t.approved,
      content: at(view.review?.decidedAt),
      ...(rejected ? { status: 'error' as const } : {}),
    },
    ...(rejected ? [] : [{ title: t.paid, content: at(view.review?.payment?.paidAt ?? undefined) }]),
  ];
  const current = stepIndex(view.status);
  // The step in progress says so in words, not only by its colour.
  return steps.map((step, index) =>
    index === current && view.status !== 'PAID' && !rejected
      ? { ...step, subTitle: `（${t.current}）` }
      : step,
  );
}

function stepIndex(status: LeadStatus): number {
  switch (status) {
    case 'RECEIVED':
      return 1;
    case 'EVALUATED':
    case 'PENDING_FINANCE':
    case 'PENDING_CASE_REVIEW':
      return 2;
    case 'APPROVED':
      return 4;
    case 'REJECTED':
      return 3;
    case 'PAID':
      return 4;
  }
}

function stepsPosition(view: LeadView): { current: number; status: 'process' | 'finish' | 'error' } {
  const current = stepIndex(view.status);
  if (view.status === 'PAID') return { current, status: 'finish' };
  if (view.status === 'REJECTED') return { current, status: 'error' };
  if (view.evaluationFailure !== null) return { current: 1, status: 'error' };
  return { current, status: 'process' };
}

function money(fen: number | undefined | null, fallback: string): string {
  return fen === undefined || fen === null ? fallback : formatFen(fen);
}

function projectItems(view: LeadView, t: Texts, language: Language): DescriptionsProps['items'] {
  const lead = view.lead;
  const introducer = lead.introducer;
  const code =
    introducer.type === 'none'
      ? undefined
      : (('uscc' in introducer ? introducer.uscc : undefined) ??
        ('residentId' in introducer ? introducer.residentId : undefined));
  const officer = lead.responsibleOfficer;
  return [
    { key: 'projectName', label: t.projectName, children: lead.projectName },
    { key: 'category', label: t.category, children: CATEGORY_NAMES[lead.category][language] },
    { key: 'investorName', label: t.investorName, children: lead.investor.name },
    { key: 'uscc', label: t.uscc, children: lead.investor.uscc },
    { key: 'introducer', label: t.introducer, children: INTRODUCER_NAMES[introducer.type][language] },
    ...(introducer.type === 'none'
      ? []
      : [
          { key: 'introducerName', label: t.introducerName, children: introducer.name },
          { key: 'introducerCode', label: t.introducerCode, children: code ?? t.none },
        ]),
    { key: 'planned', label: t.planned, children: formatFen(lead.plannedInvestment) },
    { key: 'actual', label: t.actual, children: money(lead.actualInvestment, t.notReported) },
    { key: 'fundRequest', label: t.fundRequest, children: money(lead.fundRequest, t.none) },
    { key: 'municipal', label: t.municipal, children: lead.municipalMajorProject ? t.yes : t.no },
    { key: 'bespoke', label: t.bespoke, children: lead.bespokeTermsRequested ? t.yes : t.no },
    {
      key: 'officer',
      label: t.officer,
      children:
        officer === undefined
          ? t.none
          : [officer.name, officer.phone].filter((part) => part !== undefined).join('　'),
    },
  ];
}

function DecisionDetails({
  view,
  decision,
  t,
  language,
}: {
  view: LeadView;
  decision: DecisionRecord;
  t: Texts;
  language: Language;
}) {
  const reward = decision.decision.referralReward;
  const fund = decision.decision.fund;
  const allocation = view.allocation;
  const duplicate = decision.adjustments.filter((adjustment) => adjustment.code === 'DUPLICATE_PROJECT');
  const rewardItems: DescriptionsProps['items'] = [
    {
      key: 'amount',
      label: t.rewardAmount,
      children: <Typography.Text strong>{formatFen(reward.amountFen)}</Typography.Text>,
    },
    {
      key: 'payable',
      label: t.payableReward,
      children: (
        <Space size={4} wrap>
          <Typography.Text strong>{formatFen(decision.payableRewardFen)}</Typography.Text>
          <Typography.Text type="secondary">
            {decision.payableRewardFen > 0 ? t.payableYes : t.payableNo}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: 'basis',
      label: t.basis,
      children: `${BASIS_NAMES[reward.basis][language]} ${formatFen(reward.baseFen)}`,
    },
    { key: 'rate', label: t.rate, children: formatBasisPoints(reward.basisPoints) },
    {
      key: 'threshold',
      label: t.threshold,
      children: `${formatFen(reward.thresholdFen)}${reward.thresholdInclusive ? t.inclusive : t.exclusive}`,
    },
    { key: 'cap', label: t.cap, children: money(reward.capFen, t.noCap) },
  ];
  const fundItems: DescriptionsProps['items'] = [
    {
      key: 'cap',
      label: t.fundCap,
      children: <Typography.Text strong>{formatFen(fund.capFen)}</Typography.Text>,
    },
    { key: 'requested', label: t.fundRequested, children: money(fund.requestedFen, t.none) },
    {
      key: 'basis',
      label: t.fundBasis,
      children: `${BASIS_NAMES[fund.basis][language]} ${formatFen(fund.investmentFen)}`,
    },
    { key: 'allocation', label: t.allocation, children: allocationText(view, fund.capFen, t, language) },
    ...(allocation === null
      ? []
      : [
          {
            key: 'granted',
            label: t.granted,
            children: formatFen(
              allocation.state === 'committed' ? allocation.committedFen : allocation.reservedFen,
            ),
          },
          ...(allocation.state === 'waitlisted'
            ? [
                { key: 'waiting', label: t.waiting, children: formatFen(allocation.wantFen) },
                {
                  key: 'since',
                  label: t.waitingSince,
                  children: formatInstant(allocation.waitingSince, language),
                },
              ]
            : []),
        ]),
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions
        title={t.reward}
        bordered
        column={{ xs: 1, md: 2 }}
        size="small"
        styles={LABELS}
        items={rewardItems}
      />
      <Explanation label={t.explanation} text={pick(language, reward.explanation)} />
      <Descriptions
        title={t.fund}
        bordered
        column={{ xs: 1, md: 2 }}
        size="small"
        styles={LABELS}
        items={fundItems}
      />
      <Explanation label={t.explanation} text={pick(language, fund.explanation)} />
      {decision.decision.flags.length === 0 && duplicate.length === 0 ? null : (
        <div>
          <Typography.Title level={4} style={{ fontSize: 15 }}>
            {t.flags}
          </Typography.Title>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {decision.decision.flags.map((flag) => (
              <li key={flag.code}>
                <Typography.Text strong>{t.caseFlag}</Typography.Text>：{pick(language, flag.explanation)}
              </li>
            ))}
            {duplicate.map((adjustment) => (
              <li key={adjustment.firstLeadId}>
                <Typography.Text strong>
                  {t.duplicate} / {adjustment.code}
                </Typography.Text>
                ：<DuplicateText t={t} firstLeadId={adjustment.firstLeadId} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t.policy}：{decision.policyVersion}（{formatInstant(decision.evaluatedAt, language)}）　
        {t.legalBasis}：{decision.decision.legalBasis.document}{' '}
        {decision.decision.legalBasis.clauses.join('；')}
      </Typography.Paragraph>
    </Space>
  );
}

/** The decision's own words for a figure block, in the user's language. */
function Explanation({ label, text }: { label: string; text: string }) {
  return (
    <Typography.Paragraph style={{ margin: 0, padding: '8px 12px', background: '#fafafa', borderRadius: 6 }}>
      <Typography.Text strong>{label}：</Typography.Text>
      {text}
    </Typography.Paragraph>
  );
}

function allocationText(view: LeadView, capFen: number, t: Texts, language: Language): string {
  const allocation = view.allocation;
  if (allocation !== null) return ALLOCATION_NAMES[allocation.state][language];
  return capFen > 0 ? t.allocationPending : t.allocationNone;
}

function reviewItems(view: LeadView, t: Texts, language: Language): DescriptionsProps['items'] {
  const review = view.review;
  const outcome = view.caseOutcome;
  return [
    ...(outcome === null
      ? []
      : [
          { key: 'caseReward', label: t.caseReward, children: formatFen(outcome.rewardFen) },
          { key: 'caseFund', label: t.caseFund, children: formatFen(outcome.fundFen) },
          { key: 'caseReason', label: t.caseReason, span: 'filled' as const, children: outcome.reason },
        ]),
    ...(review === null
      ? []
      : [
          {
            key: 'state',
            label: t.reviewState,
            children: <LeadStatusTag status={review.state} />,
          },
          { key: 'reward', label: t.rewardAmount, children: formatFen(review.rewardFen) },
          { key: 'fund', label: t.granted, children: formatFen(review.fundFen) },
          { key: 'by', label: t.reviewedBy, children: review.decidedBy.userId },
          { key: 'at', label: t.reviewedAt, children: formatInstant(review.decidedAt, language) },
          ...(review.note === null ? [] : [{ key: 'note', label: t.note, children: review.note }]),
          ...(review.payment === null
            ? []
            : [
                { key: 'reference', label: t.paymentReference, children: review.payment.reference },
                { key: 'paidBy', label: t.paidBy, children: review.payment.paidBy.userId },
                { key: 'paidAt', label: t.paidAt, children: formatInstant(review.payment.paidAt, language) },
                // A staged reward's payment is its last stage's: the stages section shows each one's.
                ...((review.payment.deductions ?? []).length === 0 || review.paidFen !== undefined
                  ? []
                  : [
                      {
                        key: 'deductions',
                        label: t.deductions,
                        span: 'filled' as const,
                        children: (
                          <PaymentDeductions
                            amountFen={review.rewardFen}
                            deductions={review.payment.deductions}
                          />
                        ),
                      },
                    ]),
              ]),
        ]),
  ];
}

function RevisionTable({
  view,
  t,
  language,
  replay,
}: {
  view: LeadView;
  t: Texts;
  language: Language;
  replay: boolean;
}) {
  const columns: ColumnsType<Revision> = [
    { title: t.revision, dataIndex: 'revision', render: (n: number) => fill(t.revisionOf, { n }) },
    { title: t.evaluatedAt, dataIndex: 'evaluatedAt', render: (at: string) => formatInstant(at, language) },
    {
      title: t.status,
      dataIndex: 'status',
      render: (status: LeadStatus) => leadStatusName(status, language),
    },
    { title: t.policyVersion, dataIndex: 'policyVersion' },
    {
      title: t.payableReward,
      dataIndex: 'payableRewardFen',
      align: 'right',
      render: (fen: number) => formatFen(fen),
    },
    ...(replay
      ? [
          {
            title: t.replay,
            key: 'replay',
            render: (_: unknown, revision: Revision) => (
              <ReplayAction leadId={view.leadId} revision={revision.revision} />
            ),
          },
        ]
      : []),
  ];
  return (
    <Table<Revision>
      rowKey="revision"
      size="small"
      caption={<span style={VISUALLY_HIDDEN}>{t.revisionsCaption}</span>}
      columns={columns}
      dataSource={view.revisions}
      pagination={false}
      locale={{ emptyText: <Typography.Text>{t.waitingDecision}</Typography.Text> }}
    />
  );
}

/** Labels on one line, so figures line up. */
const LABELS = { label: { width: 136, whiteSpace: 'nowrap' } } as const;

const VISUALLY_HIDDEN: React.CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
};
