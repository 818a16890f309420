import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { useMe } from '../../auth/me.ts';
import { AmountInput, amountRules } from '../../components/AmountInput.tsx';
import { showProblemOnFields } from '../../components/form-problems.ts';
import { formatInstant } from '../../components/instant.ts';
import { fill, type Language, useLanguage, useTexts } from '../../i18n/language.ts';

const texts = {
  zh: {
    title: '投资证据',
    rule: '实际投资须有会计师事务所的验资报告或专项审计报告，以及现场核查记录，两者须由两位不同人员登记：登记审计报告的人不能再登记现场核查，请由专班另一位同事登录后登记。登记证据的人员不能批准该奖励。只计建设期内的固定资产投资；土地、租金、流动资金另列，不计入。',
    loading: '正在加载投资证据',
    loadFailed: '投资证据加载失败',
    status: '证据是否齐全',
    statusCaption: '批准前须齐备的投资证据',
    auditReport: '审计报告',
    siteCheck: '现场核查',
    recordedItem: '已登记',
    missingItem: '未登记（缺）',
    confirmedItem: '已登记，核查确认投资到位',
    unconfirmedItem: '已登记，但核查未确认投资到位（缺确认）',
    distinct: '登记人员',
    distinctYes: '由两位不同人员登记',
    distinctNo: '同一人登记了审计报告和现场核查（缺：须由另一人重新登记现场核查）',
    distinctPending: '待两项均登记后判断',
    covers: '审计金额与实际投资',
    coversYes: '审计报告确认的 {audited} 不少于实际投资额 {actual}',
    coversNo:
      '审计报告确认的 {audited} 少于实际投资额 {actual}（缺：须登记相符的审计报告或按审计金额登记实际投资）',
    latestReport: '最新审计报告',
    latestCheck: '最新现场核查',
    earlier: '另有 {n} 条较早的记录（以最新一条为准，均保留在审计记录中）。',
    recordedBy: '登记人',
    recordedAt: '登记时间',
    you: '（您）',
    kind: '报告类型',
    number: '报告文号',
    firm: '会计师事务所',
    reportDate: '报告日期',
    from: '建设期开始日期',
    to: '建设期结束日期',
    period: '建设期',
    amount: '建设期内固定资产投资额',
    amountHelp: '报告确认的建设期内固定资产投资，唯一计入的金额，如“1.2亿”。',
    apart: '另列，不计入',
    land: '土地款（另列）',
    rent: '租金（另列）',
    workingCapital: '流动资金（另列）',
    outside: '建设期外投资（另列）',
    checkedBy: '核查人',
    checkedOn: '核查日期',
    finding: '核查情况',
    findingHelp: '如“主要生产设备已安装调试，厂房竣工”。',
    confirmed: '核查结论',
    confirmedYes: '确认投资到位',
    confirmedNo: '未确认',
    recordReport: '登记审计报告',
    recordCheck: '登记现场核查',
    reportDone: '审计报告已登记',
    checkDone: '现场核查已登记',
    failed: '未登记',
    sameForCheck:
      '审计报告由您（{user}）登记，现场核查须由另一人登记：请专班的另一位同事登录后登记现场核查。',
    sameForReport:
      '最新的现场核查由您（{user}）登记，审计报告须由另一人登记：请专班的另一位同事登录后登记审计报告。',
    required: '请填写{field}',
    none: '无',
  },
  en: {
    title: 'Investment evidence',
    rule: 'The actual investment needs a CPA capital verification or special audit report and an on-site check, recorded by two different people: whoever recorded the audit report may not record the site check — a colleague of the team signs in and records it. Whoever records evidence may not approve the reward. Only fixed-asset investment within the construction period counts; land, rent and working capital are reported apart and never counted.',
    loading: 'Loading the evidence',
    loadFailed: 'The evidence could not be loaded',
    status: 'Is the evidence complete',
    statusCaption: 'The evidence needed before approval',
    auditReport: 'Audit report',
    siteCheck: 'On-site check',
    recordedItem: 'Recorded',
    missingItem: 'Not recorded (missing)',
    confirmedItem: 'Recorded, confirms the investment',
    unconfirmedItem: 'Recorded, but it does not confirm the investment (missing a confirmation)',
    distinct: 'Recorders',
    distinctYes: 'Recorded by two different people',
    distinctNo:
      'One person recorded both the audit report and the on-site check (missing: someone else must record the site check again)',
    distinctPending: 'Known once both are recorded',
    covers: 'Audited amount and actual investment',
    coversYes: 'The report certifies {audited}, at least the actual investment {actual}',
    coversNo:
      'The report certifies {audited}, less than the actual investment {actual} (missing: a matching report, or report the audited figure as the actual investment)',
    latestReport: 'Latest audit report',
    latestCheck: 'Latest on-site check',
    earlier: '{n} earlier entries as well (the latest counts; all stay in the audit trail).',
    recordedBy: 'Recorded by',
    recordedAt: 'Recorded at',
    you: ' (you)',
    kind: 'Report type',
    number: 'Report number',
    firm: 'Accounting firm',
    reportDate: 'Report date',
    from: 'Construction period from',
    to: 'Construction period to',
    period: 'Construction period',
    amount: 'Fixed-asset investment within the construction period',
    amountHelp:
      'What the report certifies within the construction period, the only figure that counts, e.g. "1.2亿".',
    apart: 'Reported apart, never counted',
    land: 'Land (apart)',
    rent: 'Rent (apart)',
    workingCapital: 'Working capital (apart)',
    outside: 'Outside the construction period (apart)',
    checkedBy: 'Checked by',
    checkedOn: 'Checked on',
    finding: 'Finding',
    findingHelp: 'E.g. "main production equipment installed and commissioned".',
    confirmed: 'Conclusion',
    confirmedYes: 'Confirms the investment',
    confirmedNo: 'Does not confirm',
    recordReport: 'Record the audit report',
    recordCheck: 'Record the on-site check',
    reportDone: 'Audit report recorded',
    checkDone: 'On-site check recorded',
    failed: 'Not recorded',
    sameForCheck:
      'You ({user}) recorded the audit report, so someone else must record the on-site check: a colleague of the team signs in and records it.',
    sameForReport:
      'You ({user}) recorded the latest on-site check, so someone else must record the audit report: a colleague of the team signs in and records it.',
    required: 'Enter: {field}',
    none: 'None',
  },
};

type Texts = (typeof texts)['zh'];
type EvidenceRecord = components['schemas']['EvidenceRecord'];
type AuditReportEntry = Extract<EvidenceRecord, { kind: 'audit_report' }>;
type SiteCheckEntry = Extract<EvidenceRecord, { kind: 'site_check' }>;
type ReportKind = components['schemas']['AuditReportRequest']['kind'];

const KIND_NAMES: Record<ReportKind, { zh: string; en: string }> = {
  capital_verification: { zh: '验资报告', en: 'Capital verification report (验资报告)' },
  special_audit: { zh: '专项审计报告', en: 'Special audit report (专项审计报告)' },
};

const APART = ['land', 'rent', 'workingCapital', 'outsideConstructionPeriod'] as const;

/** The latest entry of a kind: entries are never edited, a later one supersedes (as the API reads them). */
function latestOf<K extends EvidenceRecord['kind']>(
  items: readonly EvidenceRecord[],
  kind: K,
): Extract<EvidenceRecord, { kind: K }> | undefined {
  let latest: Extract<EvidenceRecord, { kind: K }> | undefined;
  for (const entry of items) {
    if (entry.kind !== kind) continue;
    const candidate = entry as Extract<EvidenceRecord, { kind: K }>;
    if (latest === undefined || candidate.recordedAt >= latest.recordedAt) latest = candidate;
  }
  return latest;
}

/**
 * 投资证据 on the lead page: what is recorded (the latest audit report and on-site check, who recorded
 * them), what is still missing before approval, and for the lead's sector team the two forms
 * (POST /leads/{id}/evidence/audit-report and /site-check). The two must be recorded by different people:
 * the form says so, and does not offer the site check to whoever recorded the latest report (nor the
 * report to whoever recorded the latest check).
 */
export function EvidenceSection({
  leadId,
  actualInvestmentFen,
  canRecord,
}: {
  leadId: string;
  /** The actual investment the latest decision rests on, if reported. */
  actualInvestmentFen: number | undefined;
  /** The lead's own sector team while finance has not decided. */
  canRecord: boolean;
}) {
  const t = useTexts(texts);
  const language = useLanguage();
  const { me } = useMe();
  const [items, setItems] = useState<readonly EvidenceRecord[]>();
  const [problem, setProblem] = useState<Problem>();

  const reload = useCallback(async () => {
    try {
      const { data, error, response } = await api.GET('/leads/{id}/evidence', {
        params: { path: { id: leadId } },
      });
      if (data !== undefined) {
        setItems(data.items);
        setProblem(undefined);
      } else setProblem(problemOf(error, response.status));
    } catch {
      setProblem({ type: 'about:blank', title: t.loadFailed, status: 0, detail: '' });
    }
  }, [leadId, t.loadFailed]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const report = items === undefined ? undefined : latestOf(items, 'audit_report');
  const check = items === undefined ? undefined : latestOf(items, 'site_check');
  const userId = me?.userId;
  const who = (entry: EvidenceRecord) =>
    `${entry.recordedBy.userId}${entry.recordedBy.userId === userId ? t.you : ''}`;

  return (
    <Card>
      <section aria-label={t.title}>
        <Typography.Title level={3} style={{ marginTop: 0, fontSize: 16 }}>
          {t.title}
        </Typography.Title>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Alert type="info" showIcon title={t.rule} />
          {problem === undefined ? null : (
            <Alert
              type="error"
              showIcon
              title={problem.title || t.loadFailed}
              description={problem.detail || undefined}
            />
          )}
          {items === undefined ? (
            problem === undefined ? (
              <Spin tip={t.loading} />
            ) : null
          ) : (
            <div aria-live="polite">
              <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                <Descriptions
                  title={t.status}
                  bordered
                  size="small"
                  column={1}
                  styles={{ label: { width: 180 } }}
                  items={statusItems(report, check, actualInvestmentFen, t)}
                />
                {report === undefined ? null : (
                  <Descriptions
                    title={t.latestReport}
                    bordered
                    size="small"
                    column={{ xs: 1, md: 2 }}
                    styles={{ label: { width: 136 } }}
                    items={reportItems(report, t, language, who(report))}
                  />
                )}
                {check === undefined ? null : (
                  <Descriptions
                    title={t.latestCheck}
                    bordered
                    size="small"
                    column={{ xs: 1, md: 2 }}
                    styles={{ label: { width: 136 } }}
                    items={checkItems(check, t, language, who(check))}
                  />
                )}
                {items.length > (report === undefined ? 0 : 1) + (check === undefined ? 0 : 1) ? (
                  <Typography.Text type="secondary">
                    {fill(t.earlier, {
                      n: items.length - (report === undefined ? 0 : 1) - (check === undefined ? 0 : 1),
                    })}
                  </Typography.Text>
                ) : null}
              </Space>
            </div>
          )}
          {canRecord && items !== undefined ? (
            <>
              <Typography.Title level={4} style={{ fontSize: 15, margin: 0 }}>
                {t.recordReport}
              </Typography.Title>
              {check !== undefined && userId !== undefined && check.recordedBy.userId === userId ? (
                <Alert type="warning" showIcon title={fill(t.sameForReport, { user: userId })} />
              ) : (
                <AuditReportForm leadId={leadId} onRecorded={reload} />
              )}
              <Typography.Title level={4} style={{ fontSize: 15, margin: 0 }}>
                {t.recordCheck}
              </Typography.Title>
              {report !== undefined && userId !== undefined && report.recordedBy.userId === userId ? (
                <Alert type="warning" showIcon title={fill(t.sameForCheck, { user: userId })} />
              ) : (
                <SiteCheckForm leadId={leadId} onRecorded={reload} />
              )}
            </>
          ) : null}
        </Space>
      </section>
    </Card>
  );
}

function statusItems(
  report: AuditReportEntry | undefined,
  check: SiteCheckEntry | undefined,
  actualFen: number | undefined,
  t: Texts,
) {
  const items = [
    { key: 'report', label: t.auditReport, children: report === undefined ? t.missingItem : t.recordedItem },
    {
      key: 'check',
      label: t.siteCheck,
      children:
        check === undefined ? t.missingItem : check.siteCheck.confirmed ? t.confirmedItem : t.unconfirmedItem,
    },
    {
      key: 'distinct',
      label: t.distinct,
      children:
        report === undefined || check === undefined
          ? t.distinctPending
          : report.recordedBy.userId === check.recordedBy.userId
            ? t.distinctNo
            : t.distinctYes,
    },
  ];
  if (report !== undefined && actualFen !== undefined) {
    const values = { audited: formatFen(report.auditReport.amountFen), actual: formatFen(actualFen) };
    items.push({
      key: 'covers',
      label: t.covers,
      children: fill(report.auditReport.amountFen >= actualFen ? t.coversYes : t.coversNo, values),
    });
  }
  return items;
}

function reportItems(entry: AuditReportEntry, t: Texts, language: Language, recordedBy: string) {
  const report = entry.auditReport;
  const apart = [
    [t.land, report.reportedApart.landFen],
    [t.rent, report.reportedApart.rentFen],
    [t.workingCapital, report.reportedApart.workingCapitalFen],
    [t.outside, report.reportedApart.outsideConstructionPeriodFen],
  ] as const;
  const apartText = apart
    .filter(([, fen]) => fen > 0)
    .map(([label, fen]) => `${label.replace(/（另列）| \(apart\)/, '')} ${formatFen(fen)}`)
    .join('，');
  return [
    { key: 'kind', label: t.kind, children: KIND_NAMES[report.kind][language] },
    { key: 'number', label: t.number, children: report.number },
    { key: 'firm', label: t.firm, children: report.firm },
    { key: 'date', label: t.reportDate, children: report.reportDate },
    {
      key: 'period',
      label: t.period,
      children: `${report.constructionPeriod.from} ~ ${report.constructionPeriod.to}`,
    },
    { key: 'amount', label: t.amount, children: formatFen(report.amountFen) },
    { key: 'apart', label: t.apart, children: apartText === '' ? t.none : apartText },
    { key: 'by', label: t.recordedBy, children: recordedBy },
    { key: 'at', label: t.recordedAt, children: formatInstant(entry.recordedAt, language) },
  ];
}

function checkItems(entry: SiteCheckEntry, t: Texts, language: Language, recordedBy: string) {
  const check = entry.siteCheck;
  return [
    { key: 'checkedBy', label: t.checkedBy, children: check.checkedBy },
    { key: 'checkedOn', label: t.checkedOn, children: check.checkedOn },
    { key: 'finding', label: t.finding, children: check.finding },
    { key: 'confirmed', label: t.confirmed, children: check.confirmed ? t.confirmedYes : t.confirmedNo },
    { key: 'by', label: t.recordedBy, children: recordedBy },
    { key: 'at', label: t.recordedAt, children: formatInstant(entry.recordedAt, language) },
  ];
}

/** A problem's field errors on the form; `constructionPeriod` (from after to) on its end date. */
function showProblem(
  form: Parameters<typeof showProblemOnFields>[0],
  answer: Problem,
  fields: readonly string[],
): boolean {
  const moved: Problem = {
    ...answer,
    ...(answer.errors === undefined
      ? {}
      : {
          errors: answer.errors.map((error) =>
            error.field === 'constructionPeriod' ? { ...error, field: 'constructionPeriod.to' } : error,
          ),
        }),
  };
  const elsewhere = showProblemOnFields(form, moved, fields);
  return elsewhere.length > 0 || (answer.errors ?? []).length === 0;
}

function ProblemText({ problem, t }: { problem: Problem | undefined; t: Texts }) {
  if (problem === undefined) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={`${t.failed}：${problem.title}`}
      description={problem.detail || undefined}
    />
  );
}

interface AuditReportValues {
  kind: ReportKind;
  number: string;
  firm: string;
  reportDate: Dayjs;
  constructionPeriod: { from: Dayjs; to: Dayjs };
  amount: string;
  reportedApart?: Partial<Record<(typeof APART)[number], string>>;
}

const REPORT_FIELDS = [
  'kind',
  'number',
  'firm',
  'reportDate',
  'constructionPeriod.from',
  'constructionPeriod.to',
  'amount',
  ...APART.map((item) => `reportedApart.${item}`),
];

const day = (value: Dayjs) => value.format('YYYY-MM-DD');

function AuditReportForm({ leadId, onRecorded }: { leadId: string; onRecorded: () => Promise<void> }) {
  const t = useTexts(texts);
  const language = useLanguage();
  const { message } = App.useApp();
  const [form] = Form.useForm<AuditReportValues>();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const required = (field: string) => [{ required: true, message: fill(t.required, { field }) }];

  async function record(values: AuditReportValues) {
    setSending(true);
    setProblem(undefined);
    try {
      const apart = Object.fromEntries(
        APART.flatMap((item) => {
          const text = values.reportedApart?.[item]?.trim();
          return text === undefined || text === '' ? [] : [[item, text]];
        }),
      );
      const { data, error, response } = await api.POST('/leads/{id}/evidence/audit-report', {
        params: { path: { id: leadId } },
        body: {
          kind: values.kind,
          number: values.number,
          firm: values.firm,
          reportDate: day(values.reportDate),
          constructionPeriod: {
            from: day(values.constructionPeriod.from),
            to: day(values.constructionPeriod.to),
          },
          amount: values.amount,
          ...(Object.keys(apart).length === 0 ? {} : { reportedApart: apart }),
        },
      });
      if (data !== undefined || response.ok) {
        form.resetFields();
        void message.success(t.reportDone);
        await onRecorded();
        return;
      }
      const answer = problemOf(error, response.status);
      if (showProblem(form, answer, REPORT_FIELDS)) setProblem(answer);
    } catch {
      setProblem({ type: 'about:blank', title: t.failed, status: 0, detail: '' });
    } finally {
      setSending(false);
    }
  }

  return (
    <Form<AuditReportValues>
      form={form}
      name="auditReport"
      layout="vertical"
      onFinish={record}
      style={{ maxWidth: 720 }}
    >
      <ProblemText problem={problem} t={t} />
      <Space wrap size="large" align="start">
        <Form.Item name="kind" label={t.kind} rules={required(t.kind)}>
          <Select
            style={{ width: 240 }}
            options={(Object.keys(KIND_NAMES) as ReportKind[]).map((kind) => ({
              value: kind,
              label: KIND_NAMES[kind][language],
            }))}
          />
        </Form.Item>
        <Form.Item name="reportDate" label={t.reportDate} rules={required(t.reportDate)}>
          <DatePicker />
        </Form.Item>
      </Space>
      <Space wrap size="large" align="start">
        <Form.Item name="number" label={t.number} rules={required(t.number)}>
          <Input maxLength={100} style={{ width: 280 }} />
        </Form.Item>
        <Form.Item name="firm" label={t.firm} rules={required(t.firm)}>
          <Input maxLength={200} style={{ width: 280 }} />
        </Form.Item>
      </Space>
      <Space wrap size="large" align="start">
        <Form.Item name={['constructionPeriod', 'from']} label={t.from} rules={required(t.from)}>
          <DatePicker />
        </Form.Item>
        <Form.Item name={['constructionPeriod', 'to']} label={t.to} rules={required(t.to)}>
          <DatePicker />
        </Form.Item>
      </Space>
      <Form.Item
        name="amount"
        label={t.amount}
        required
        extra={t.amountHelp}
        rules={amountRules(language, { required: true, positive: false })}
      >
        <AmountInput placeholder="1.2亿" />
      </Form.Item>
      <Typography.Text type="secondary">{t.apart}</Typography.Text>
      <Space wrap size="large" align="start" style={{ marginTop: 8 }}>
        {(
          [
            ['land', t.land],
            ['rent', t.rent],
            ['workingCapital', t.workingCapital],
            ['outsideConstructionPeriod', t.outside],
          ] as const
        ).map(([item, label]) => (
          <Form.Item
            key={item}
            name={['reportedApart', item]}
            label={label}
            rules={amountRules(language, { required: false, positive: false })}
          >
            <AmountInput />
          </Form.Item>
        ))}
      </Space>
      <div>
        <Button type="primary" htmlType="submit" loading={sending}>
          {t.recordReport}
        </Button>
      </div>
    </Form>
  );
}

interface SiteCheckValues {
  checkedBy: string;
  checkedOn: Dayjs;
  finding: string;
  confirmed: boolean;
}

const CHECK_FIELDS = ['checkedBy', 'checkedOn', 'finding', 'confirmed'];

function SiteCheckForm({ leadId, onRecorded }: { leadId: string; onRecorded: () => Promise<void> }) {
  const t = useTexts(texts);
  const { message } = App.useApp();
  const [form] = Form.useForm<SiteCheckValues>();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const required = (field: string) => [{ required: true, message: fill(t.required, { field }) }];

  async function record(values: SiteCheckValues) {
    setSending(true);
    setProblem(undefined);
    try {
      const { data, error, response } = await api.POST('/leads/{id}/evidence/site-check', {
        params: { path: { id: leadId } },
        body: {
          checkedBy: values.checkedBy,
          checkedOn: day(values.checkedOn),
          finding: values.finding,
          confirmed: values.confirmed,
        },
      });
      if (data !== undefined || response.ok) {
        form.resetFields();
        void message.success(t.checkDone);
        await onRecorded();
        return;
      }
      const answer = problemOf(error, response.status);
      if (showProblem(form, answer, CHECK_FIELDS)) setProblem(answer);
    } catch {
      setProblem({ type: 'about:blank', title: t.failed, status: 0, detail: '' });
    } finally {
      setSending(false);
    }
  }

  return (
    <Form<SiteCheckValues>
      form={form}
      name="siteCheck"
      layout="vertical"
      onFinish={record}
      style={{ maxWidth: 720 }}
    >
      <ProblemText problem={problem} t={t} />
      <Space wrap size="large" align="start">
        <Form.Item name="checkedBy" label={t.checkedBy} rules={required(t.checkedBy)}>
          <Input maxLength={100} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="checkedOn" label={t.checkedOn} rules={required(t.checkedOn)}>
          <DatePicker />
        </Form.Item>
      </Space>
      <Form.Item name="finding" label={t.finding} extra={t.findingHelp} rules={required(t.finding)}>
        <Input.TextArea maxLength={1000} rows={2} />
      </Form.Item>
      <Form.Item name="confirmed" label={t.confirmed} rules={required(t.confirmed)}>
        <Radio.Group
          aria-label={t.confirmed}
          options={[
            { value: true, label: t.confirmedYes },
            { value: false, label: t.confirmedNo },
          ]}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={sending}>
        {t.recordCheck}
      </Button>
    </Form>
  );
}
