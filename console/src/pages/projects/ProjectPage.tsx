import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { roleKinds, useMe } from '../../auth/me.ts';
import { AmountInput } from '../../components/AmountInput.tsx';
import { QUIET_TEXT, VISUALLY_HIDDEN } from '../../components/a11y.ts';
import { showProblemOnFields } from '../../components/form-problems.ts';
import { fill, useLanguage, useTexts } from '../../i18n/language.ts';
import {
  defaultLedgerMonth,
  kindName,
  LightTag,
  majorName,
  STAGE_CODES,
  stageName,
} from './project-names.tsx';

type View = components['schemas']['ProjectView'];

const texts = {
  zh: {
    failed: '无法读取项目',
    figures: '{month} 台账',
    sector: '招商专班',
    kind: '类别',
    major: '市级重大项目',
    stage: '阶段',
    since: '自 {on}',
    started: '开工日期',
    resumed: '复工日期',
    plannedStart: '计划开工月份',
    investor: '投资方',
    investment: '总投资',
    team: '帮包责任',
    leader: '县级领导',
    department: '帮包部门',
    township: '乡镇（街道）',
    commissioner: '责任专员',
    annual: '全年计划投资',
    planToDate: '截至本月计划',
    completed: '截至本月累计完成',
    scheduleRate: '完成序时计划',
    annualRate: '完成年度计划',
    light: '红黄绿灯',
    progressTitle: '月度进度',
    progressCaption: '月度进度报送记录',
    month: '月份',
    amount: '完成投资',
    reportedAt: '报送时间',
    by: '报送人',
    state: '状态',
    current: '有效',
    corrected: '已被更正',
    late: '逾期',
    onTime: '按期',
    note: '说明',
    report: '报送月度进度',
    reportMonth: '报送月份',
    reportAmount: '本月完成投资',
    submitReport: '报送',
    reported: '已报送 {month} 月度进度',
    stagesTitle: '阶段记录',
    stagesCaption: '阶段变更记录',
    from: '原阶段',
    to: '新阶段',
    on: '日期',
    reason: '退回原因',
    move: '变更阶段',
    newStage: '新阶段',
    moveOn: '变更日期',
    moveReason: '原因（退回到较早阶段时必填）',
    submitMove: '确认变更',
    moved: '阶段已变更为 {stage}',
    plansTitle: '年度投资计划',
    plansCaption: '年度投资计划修订记录',
    year: '年度',
    revision: '修订',
    split: '分月方式',
    even: '平均分配（余数计入12月）',
    given: '逐月填报',
    plan: '设定年度计划',
    planYear: '计划年度',
    planAnnual: '年度计划投资',
    submitPlan: '保存计划',
    planned: '已保存 {year} 年度计划',
    none: '—',
  },
  en: {
    failed: 'Could not read the project',
    figures: 'Ledger of {month}',
    sector: 'Sector team',
    kind: 'Kind',
    major: 'Municipal major project',
    stage: 'Stage',
    since: 'since {on}',
    started: 'Started',
    resumed: 'Back at work',
    plannedStart: 'Planned start month',
    investor: 'Investor',
    investment: 'Total investment',
    team: '帮包 team',
    leader: 'Leader',
    department: 'Department',
    township: 'Township',
    commissioner: 'Commissioner',
    annual: 'Annual plan',
    planToDate: 'Plan to date',
    completed: 'Completed to date',
    scheduleRate: 'Of the plan to date',
    annualRate: 'Of the annual plan',
    light: 'Light',
    progressTitle: 'Monthly progress',
    progressCaption: 'Monthly reports',
    month: 'Month',
    amount: 'Completed',
    reportedAt: 'Reported',
    by: 'By',
    state: 'State',
    current: 'counts',
    corrected: 'corrected',
    late: 'late',
    onTime: 'on time',
    note: 'Note',
    report: 'Report a month',
    reportMonth: 'Month reported',
    reportAmount: 'Completed this month',
    submitReport: 'Report',
    reported: 'Reported {month}',
    stagesTitle: 'Stages',
    stagesCaption: 'Stage history',
    from: 'From',
    to: 'To',
    on: 'On',
    reason: 'Reason',
    move: 'Change the stage',
    newStage: 'New stage',
    moveOn: 'Date',
    moveReason: 'Reason (required to move back)',
    submitMove: 'Change',
    moved: 'Now at {stage}',
    plansTitle: 'Annual plans',
    plansCaption: 'Plan revisions',
    year: 'Year',
    revision: 'Revision',
    split: 'Split',
    even: 'even (remainder in December)',
    given: 'month by month',
    plan: 'Set the year’s plan',
    planYear: 'Year',
    planAnnual: 'Annual plan',
    submitPlan: 'Save the plan',
    planned: 'Plan of {year} saved',
    none: '—',
  },
};

/** A project: its figures and light for a month, its stages, plans and monthly reports; a team records them. */
export default function ProjectPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(search.get('month') ?? '')
    ? (search.get('month') as string)
    : defaultLedgerMonth();
  const { me } = useMe();
  const [view, setView] = useState<View>();
  const [problem, setProblem] = useState<Problem>();
  const [reportForm] = Form.useForm();
  const [stageForm] = Form.useForm();
  const [planForm] = Form.useForm();
  const [formProblem, setFormProblem] = useState<string>();

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/projects/{projectId}', {
      params: { path: { projectId: id }, query: { month } },
    });
    if (data === undefined) setProblem(problemOf(error, response.status));
    else {
      setProblem(undefined);
      setView(data);
    }
  }, [id, month]);
  useEffect(() => {
    void load();
  }, [load]);

  if (problem !== undefined)
    return <Alert type="error" showIcon title={t.failed} description={problem.detail} />;
  if (view === undefined) return null;
  const mayChange =
    roleKinds(me).includes('admin') || (me?.sectors ?? []).some((sector) => sector.code === view.sector);
  const sectorLabel =
    me?.sectorCatalogue.find((entry) => entry.code === view.sector)?.[language] ?? view.sector;
  const figures = view.figures;

  const afterWrite = async (
    form: ReturnType<typeof Form.useForm>[0],
    fields: string[],
    answer: { error?: unknown; response: Response },
    done: string,
  ) => {
    if (answer.response.ok) {
      setFormProblem(undefined);
      form.resetFields();
      message.success(done);
      await load();
      return;
    }
    const failure = problemOf(answer.error, answer.response.status);
    const elsewhere = showProblemOnFields(form, failure, fields);
    setFormProblem((failure.errors ?? []).length === 0 || elsewhere.length > 0 ? failure.detail : undefined);
  };

  return (
    <section>
      <Typography.Title level={2}>{view.name}</Typography.Title>
      <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t.sector}>{sectorLabel}</Descriptions.Item>
        <Descriptions.Item label={t.kind}>
          {kindName(view.kind, language)}
          {view.municipalMajor === null ? '' : ` · ${majorName(view.municipalMajor, language)}`}
        </Descriptions.Item>
        <Descriptions.Item label={t.stage}>
          {stageName(view.stage, language)} {fill(t.since, { on: view.stageOn })}
        </Descriptions.Item>
        <Descriptions.Item label={t.plannedStart}>{view.plannedStartMonth ?? t.none}</Descriptions.Item>
        <Descriptions.Item label={t.started}>{view.startedOn ?? t.none}</Descriptions.Item>
        <Descriptions.Item label={t.resumed}>
          {Object.entries(view.resumptions)
            .map(([, on]) => on)
            .join('，') || t.none}
        </Descriptions.Item>
        <Descriptions.Item label={t.investor}>{view.investor?.name ?? t.none}</Descriptions.Item>
        <Descriptions.Item label={t.investment}>{view.totalInvestmentText ?? t.none}</Descriptions.Item>
        <Descriptions.Item label={t.team} span={2}>
          {t.leader} {view.team.leader}；{t.department} {view.team.department}；{t.township}{' '}
          {view.team.township}；{t.commissioner} {view.team.commissioner}
        </Descriptions.Item>
      </Descriptions>

      <Card title={fill(t.figures, { month: figures.month })} size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t.annual}>{figures.annualPlanText}</Descriptions.Item>
          <Descriptions.Item label={t.planToDate}>{figures.planToDateText}</Descriptions.Item>
          <Descriptions.Item label={t.completed}>{figures.completedToDateText}</Descriptions.Item>
          <Descriptions.Item label={t.scheduleRate}>{figures.scheduleRate?.text ?? t.none}</Descriptions.Item>
          <Descriptions.Item label={t.annualRate}>{figures.annualRate?.text ?? t.none}</Descriptions.Item>
          <Descriptions.Item label={t.light}>
            <Space orientation="vertical" size={0}>
              <LightTag light={figures.light} language={language} />
              {figures.reasons.map((reason) => (
                <Typography.Text key={reason.code} style={QUIET_TEXT}>
                  {reason.text[language]}
                </Typography.Text>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>

      {formProblem === undefined ? null : (
        <Alert type="error" showIcon title={formProblem} style={{ marginBottom: 16 }} />
      )}

      <Typography.Title level={3}>{t.progressTitle}</Typography.Title>
      {mayChange ? (
        <Form
          form={reportForm}
          layout="inline"
          name="report-progress"
          aria-label={t.report}
          style={{ marginBottom: 12, rowGap: 8 }}
          onFinish={async (values: { month: Dayjs; completed: string; note?: string }) => {
            const reportMonth = values.month.format('YYYY-MM');
            const answer = await api.POST('/projects/{projectId}/progress', {
              params: { path: { projectId: id } },
              body: {
                month: reportMonth,
                completed: values.completed,
                ...(values.note === undefined || values.note === '' ? {} : { note: values.note }),
              },
            });
            await afterWrite(
              reportForm,
              ['month', 'completed', 'note'],
              answer,
              fill(t.reported, { month: reportMonth }),
            );
          }}
        >
          <Form.Item label={t.reportMonth} name="month" rules={[{ required: true, message: t.reportMonth }]}>
            <DatePicker picker="month" />
          </Form.Item>
          <Form.Item
            label={t.reportAmount}
            name="completed"
            rules={[{ required: true, message: t.reportAmount }]}
          >
            <AmountInput placeholder="950万" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t.note} name="note">
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t.submitReport}
          </Button>
        </Form>
      ) : null}
      <Table
        rowKey={(entry) => `${entry.month}#${entry.seq}`}
        dataSource={[...view.progress].reverse()}
        pagination={false}
        size="small"
        caption={<span style={VISUALLY_HIDDEN}>{t.progressCaption}</span>}
        style={{ marginBottom: 24 }}
        columns={[
          { title: t.month, key: 'month', render: (_, entry) => entry.month },
          {
            title: t.amount,
            key: 'amount',
            align: 'right',
            render: (_, entry) => formatFen(entry.completedFen),
          },
          {
            title: t.state,
            key: 'state',
            render: (_, entry) =>
              `${entry.current ? t.current : t.corrected}，${entry.late ? t.late : t.onTime}`,
          },
          {
            title: t.reportedAt,
            key: 'at',
            render: (_, entry) => dayjs(entry.reportedAt).format('YYYY-MM-DD HH:mm'),
          },
          { title: t.by, key: 'by', render: (_, entry) => entry.by.userId },
          { title: t.note, key: 'note', render: (_, entry) => entry.note ?? '' },
        ]}
      />

      <Typography.Title level={3}>{t.stagesTitle}</Typography.Title>
      {mayChange ? (
        <Form
          form={stageForm}
          layout="inline"
          name="move-stage"
          aria-label={t.move}
          style={{ marginBottom: 12, rowGap: 8 }}
          onFinish={async (values: { stage: string; on: Dayjs; reason?: string }) => {
            const answer = await api.POST('/projects/{projectId}/stage', {
              params: { path: { projectId: id } },
              body: {
                stage: values.stage,
                on: values.on.format('YYYY-MM-DD'),
                ...(values.reason === undefined || values.reason === '' ? {} : { reason: values.reason }),
              },
            });
            await afterWrite(
              stageForm,
              ['stage', 'on', 'reason'],
              answer,
              fill(t.moved, { stage: stageName(values.stage, language) }),
            );
          }}
        >
          <Form.Item label={t.newStage} name="stage" rules={[{ required: true, message: t.newStage }]}>
            <Select
              style={{ width: 160 }}
              options={STAGE_CODES.map((code) => ({ value: code, label: stageName(code, language) }))}
            />
          </Form.Item>
          <Form.Item label={t.moveOn} name="on" rules={[{ required: true, message: t.moveOn }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item label={t.moveReason} name="reason">
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Button htmlType="submit">{t.submitMove}</Button>
        </Form>
      ) : null}
      <Table
        rowKey="seq"
        dataSource={[...view.stages].reverse()}
        pagination={false}
        size="small"
        caption={<span style={VISUALLY_HIDDEN}>{t.stagesCaption}</span>}
        style={{ marginBottom: 24 }}
        columns={[
          { title: t.on, key: 'on', render: (_, event) => event.on },
          {
            title: t.from,
            key: 'from',
            render: (_, event) => (event.from === null ? t.none : stageName(event.from, language)),
          },
          { title: t.to, key: 'to', render: (_, event) => stageName(event.to, language) },
          { title: t.reason, key: 'reason', render: (_, event) => event.reason ?? event.note ?? '' },
          { title: t.by, key: 'by', render: (_, event) => event.by.userId },
        ]}
      />

      <Typography.Title level={3}>{t.plansTitle}</Typography.Title>
      {mayChange ? (
        <Form
          form={planForm}
          layout="inline"
          name="set-plan"
          aria-label={t.plan}
          style={{ marginBottom: 12, rowGap: 8 }}
          initialValues={{ year: month.slice(0, 4) }}
          onFinish={async (values: { year: string; annual: string }) => {
            const answer = await api.PUT('/projects/{projectId}/plans/{year}', {
              params: { path: { projectId: id, year: values.year } },
              body: { annual: values.annual },
            });
            await afterWrite(planForm, ['annual'], answer, fill(t.planned, { year: values.year }));
          }}
        >
          <Form.Item
            label={t.planYear}
            name="year"
            rules={[{ required: true, pattern: /^20\d{2}$/, message: t.planYear }]}
          >
            <Input style={{ width: 90 }} />
          </Form.Item>
          <Form.Item label={t.planAnnual} name="annual" rules={[{ required: true, message: t.planAnnual }]}>
            <AmountInput placeholder="1.2亿" style={{ width: 160 }} />
          </Form.Item>
          <Button htmlType="submit">{t.submitPlan}</Button>
        </Form>
      ) : null}
      <Table
        rowKey={(plan) => `${plan.year}#${plan.revision}`}
        dataSource={[...view.plans].reverse()}
        pagination={false}
        size="small"
        caption={<span style={VISUALLY_HIDDEN}>{t.plansCaption}</span>}
        columns={[
          { title: t.year, key: 'year', render: (_, plan) => plan.year },
          {
            title: t.revision,
            key: 'revision',
            render: (_, plan) => `${plan.revision}${plan.current ? `（${t.current}）` : ''}`,
          },
          { title: t.annual, key: 'annual', align: 'right', render: (_, plan) => formatFen(plan.annualFen) },
          { title: t.split, key: 'split', render: (_, plan) => (plan.split === 'even' ? t.even : t.given) },
          { title: t.by, key: 'by', render: (_, plan) => plan.by.userId },
        ]}
      />
    </section>
  );
}
