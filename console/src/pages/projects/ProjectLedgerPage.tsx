import { Alert, DatePicker, Form, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { roleKinds, useMe } from '../../auth/me.ts';
import { QUIET_TEXT, VISUALLY_HIDDEN } from '../../components/a11y.ts';
import { definedOnly, ExportButtons } from '../../components/ExportButtons.tsx';
import { fill, useLanguage, useTexts } from '../../i18n/language.ts';
import { defaultLedgerMonth, kindName, LightTag, majorName, stageName } from './project-names.tsx';

type Ledger = components['schemas']['MonthlyLedger'];
type Row = Ledger['rows'][number];

const texts = {
  zh: {
    title: '项目台账',
    intro:
      '重点项目月度工作台账：全年计划、1—M月计划与累计完成、完成序时计划与年度计划的比例、红黄绿灯与帮包责任人。',
    filters: '筛选',
    month: '台账月份',
    sector: '招商专班',
    allSectors: '全部专班',
    caption: '月度工作台账',
    project: '项目名称',
    kind: '类别',
    stage: '阶段',
    annual: '全年计划投资',
    planToDate: '1—{m}月计划',
    completed: '1—{m}月累计完成',
    scheduleRate: '完成序时计划',
    annualRate: '完成年度计划',
    light: '红黄绿灯',
    team: '帮包责任',
    total: '合计',
    projects: '{n}个项目',
    lights: '绿灯{g}个，黄灯{y}个，红灯{r}个',
    rates: '开工率 {start}（{started}/{base}）；复工率 {resume}（{resumed}/{continued}）',
    none: '—',
    late: '逾期报送',
    notReported: '本月未报',
    empty: '该月台账没有项目',
    failed: '无法读取台账',
  },
  en: {
    title: 'Project ledger',
    intro:
      'The monthly ledger of key projects: the year’s plan, the plan and the completion to date, the shares of the plan done, the light and the 帮包 team.',
    filters: 'Filters',
    month: 'Ledger month',
    sector: 'Sector team',
    allSectors: 'All sectors',
    caption: 'Monthly ledger',
    project: 'Project',
    kind: 'Kind',
    stage: 'Stage',
    annual: 'Annual plan',
    planToDate: 'Plan, months 1–{m}',
    completed: 'Completed, months 1–{m}',
    scheduleRate: 'Of the plan to date',
    annualRate: 'Of the annual plan',
    light: 'Light',
    team: '帮包 team',
    total: 'Total',
    projects: '{n} projects',
    lights: '{g} green, {y} yellow, {r} red',
    rates: 'Start rate {start} ({started}/{base}); back at work {resume} ({resumed}/{continued})',
    none: '—',
    late: 'reported late',
    notReported: 'not reported',
    empty: 'No project in this month’s ledger',
    failed: 'Could not read the ledger',
  },
};

/** 项目台账: the monthly ledger (GET /reports/monthly) with its 合计 row; a project opens its page. */
export default function ProjectLedgerPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const { me } = useMe();
  const seesAll = roleKinds(me).some((kind) => kind !== 'sector');
  const [search, setSearch] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(search.get('month') ?? '')
    ? (search.get('month') as string)
    : defaultLedgerMonth();
  const sector = search.get('sector') ?? undefined;
  const [ledger, setLedger] = useState<Ledger>();
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    let current = true;
    setLoading(true);
    void api
      .GET('/reports/monthly', { params: { query: { month, ...(sector === undefined ? {} : { sector }) } } })
      .then(({ data, error, response }) => {
        if (!current) return;
        setLoading(false);
        // Without `format` the ledger comes as JSON (the sheets are the same route's other answers).
        if (data === undefined || typeof data === 'string') {
          setProblem(problemOf(error, response.status));
          return;
        }
        setProblem(undefined);
        setLedger(data);
      });
    return () => {
      current = false;
    };
  }, [month, sector]);

  const setFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value === undefined || value === '') next.delete(name);
    else next.set(name, value);
    setSearch(next, { replace: true });
  };

  const m = Number(month.slice(5, 7));
  const percent = (value: Row['scheduleRate']) => value?.text ?? t.none;
  const columns: ColumnsType<Row> = [
    {
      title: t.project,
      key: 'project',
      fixed: 'left',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/projects/${row.projectId}`}>{row.name}</Link>
          <Typography.Text style={QUIET_TEXT}>
            {row.sectorName[language]}
            {row.municipalMajor === null ? '' : ` · ${majorName(row.municipalMajor, language)}`}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t.kind, key: 'kind', render: (_, row) => kindName(row.kind, language) },
    {
      title: t.stage,
      key: 'stage',
      render: (_, row) => row.stageName[language] ?? stageName(row.stage, language),
    },
    { title: t.annual, key: 'annual', align: 'right', render: (_, row) => row.annualPlan.text },
    {
      title: fill(t.planToDate, { m }),
      key: 'plan',
      align: 'right',
      render: (_, row) => row.planToDate.text,
    },
    {
      title: fill(t.completed, { m }),
      key: 'completed',
      align: 'right',
      render: (_, row) => (
        <Space orientation="vertical" size={0} style={{ alignItems: 'flex-end' }}>
          <span>{row.completedToDate.text}</span>
          {row.late ? <Typography.Text style={QUIET_TEXT}>{t.late}</Typography.Text> : null}
          {row.reported ? null : <Typography.Text style={QUIET_TEXT}>{t.notReported}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t.scheduleRate,
      key: 'scheduleRate',
      align: 'right',
      render: (_, row) => percent(row.scheduleRate),
    },
    { title: t.annualRate, key: 'annualRate', align: 'right', render: (_, row) => percent(row.annualRate) },
    {
      title: t.light,
      key: 'light',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <LightTag light={row.light} language={language} />
          {row.reasons.map((reason) => (
            <Typography.Text key={reason.code} style={{ ...QUIET_TEXT, maxWidth: 260, display: 'block' }}>
              {reason.text[language]}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    {
      title: t.team,
      key: 'team',
      render: (_, row) => (
        <Typography.Text style={{ display: 'block', maxWidth: 220 }}>
          {row.team.leader} · {row.team.department} · {row.team.township} · {row.team.commissioner}
        </Typography.Text>
      ),
    },
  ];

  const total = ledger?.total;
  return (
    <section>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Typography.Paragraph>{t.intro}</Typography.Paragraph>
      <Form layout="inline" aria-label={t.filters} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t.month} htmlFor="ledger-month">
          <DatePicker
            id="ledger-month"
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            onChange={(value: Dayjs | null) => setFilter('month', value?.format('YYYY-MM'))}
          />
        </Form.Item>
        {seesAll ? (
          <Form.Item label={t.sector} htmlFor="ledger-sector">
            <Select<string>
              id="ledger-sector"
              value={sector ?? ''}
              style={{ width: 200 }}
              onChange={(value) => setFilter('sector', value)}
              options={[
                { value: '', label: t.allSectors },
                ...(me?.sectorCatalogue ?? []).map((entry) => ({
                  value: entry.code,
                  label: entry[language],
                })),
              ]}
            />
          </Form.Item>
        ) : null}
        <Form.Item>
          <ExportButtons path="/reports/monthly" query={definedOnly({ month, sector })} />
        </Form.Item>
      </Form>
      {problem === undefined ? null : (
        <Alert
          type="error"
          showIcon
          title={t.failed}
          description={problem.detail}
          style={{ marginBottom: 16 }}
        />
      )}
      {ledger === undefined ? null : (
        <Typography.Paragraph>
          <Typography.Text strong>{ledger.title[language]}</Typography.Text>
          {'　'}
          {fill(t.rates, {
            start: ledger.rates.startRate?.text ?? t.none,
            started: ledger.rates.started,
            base: ledger.rates.startBase,
            resume: ledger.rates.resumptionRate?.text ?? t.none,
            resumed: ledger.rates.resumed,
            continued: ledger.rates.continued,
          })}
        </Typography.Paragraph>
      )}
      <Table<Row>
        rowKey="projectId"
        columns={columns}
        dataSource={ledger?.rows ?? []}
        loading={loading}
        pagination={false}
        caption={<span style={VISUALLY_HIDDEN}>{t.caption}</span>}
        locale={{ emptyText: <span style={QUIET_TEXT}>{t.empty}</span> }}
        scroll={{ x: 'max-content' }}
        summary={() =>
          total === undefined || total.projects === 0 ? null : (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t.total}</Typography.Text>
                <Typography.Text style={{ ...QUIET_TEXT, display: 'block' }}>
                  {fill(t.projects, { n: total.projects })}
                </Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} />
              <Table.Summary.Cell index={2} />
              <Table.Summary.Cell index={3} align="right">
                {total.annualPlan.text}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {total.planToDate.text}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                {total.completedToDate.text}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                {percent(total.scheduleRate)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={7} align="right">
                {percent(total.annualRate)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={8} colSpan={2}>
                {fill(t.lights, { g: total.lights.green, y: total.lights.yellow, r: total.lights.red })}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )
        }
      />
    </section>
  );
}
