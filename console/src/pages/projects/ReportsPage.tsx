import { Alert, Card, Descriptions, Form, Radio, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { QUIET_TEXT, VISUALLY_HIDDEN } from '../../components/a11y.ts';
import { fill, useLanguage, useTexts } from '../../i18n/language.ts';

type Review = components['schemas']['HalfYearReview'];
type Ranking = components['schemas']['TeamRanking'];
type Team = Ranking['teams'][number];

const texts = {
  zh: {
    title: '报表',
    intro: '半年综述（重点项目完成投资、续建项目复工率、新建项目开工、市级重大项目）与半年评比。',
    filters: '报表期间',
    year: '年度',
    half: '半年',
    first: '上半年',
    second: '下半年（全年）',
    review: '半年综述',
    keyProjects: '重点项目',
    completed: '完成投资',
    continued: '续建项目复工率',
    started: '新建项目开工',
    implementation: '市级重大项目（实施类）',
    preparatory: '市级重大项目（预备类）',
    projectsPlanCompleted: '{n}个，年度计划{plan}亿元，完成{done}亿元',
    projectsPlan: '{n}个，年度计划{plan}亿元',
    count: '{n}个',
    ranking: '半年评比',
    rankingCaption: '招商专班半年评比',
    rank: '名次',
    team: '招商专班',
    total: '总分',
    points: '得分说明',
    outsideProvinceProjects: '省外亿元以上新项目',
    investmentInPlace: '实际到位投资',
    targetCategoryShare: '目标产业占比',
    parkRating: '园区评议',
    fieldRating: '一线评议',
    none: '—',
    failed: '无法读取报表',
  },
  en: {
    title: 'Reports',
    intro:
      'The half-year review (key projects’ investment, continued projects back at work, new projects started, municipal major projects) and the half-year ranking of the sector teams.',
    filters: 'Period',
    year: 'Year',
    half: 'Half',
    first: 'First half',
    second: 'Second half (the year)',
    review: 'Half-year review',
    keyProjects: 'Key projects',
    completed: 'Investment completed',
    continued: 'Continued projects back at work',
    started: 'New projects started',
    implementation: 'Municipal major (implementation)',
    preparatory: 'Municipal major (preparatory)',
    projectsPlanCompleted: '{n}, planned {plan} 亿, completed {done} 亿',
    projectsPlan: '{n}, planned {plan} 亿',
    count: '{n}',
    ranking: 'Half-year ranking',
    rankingCaption: 'Ranking of the sector teams',
    rank: 'Rank',
    team: 'Sector team',
    total: 'Total',
    points: 'Points explained',
    outsideProvinceProjects: 'New 亿元 projects from outside the province',
    investmentInPlace: 'Investment in place',
    targetCategoryShare: 'Share in target categories',
    parkRating: 'Park rating',
    fieldRating: 'Field rating',
    none: '—',
    failed: 'Could not read the report',
  },
};

/** 报表: the half-year review with its paragraph, and the half-year ranking of the sector teams. */
export default function ReportsPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const [search, setSearch] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = /^20\d{2}$/.test(search.get('year') ?? '') ? (search.get('year') as string) : String(thisYear);
  const half = search.get('half') === '2' ? '2' : '1';
  const [review, setReview] = useState<Review>();
  const [ranking, setRanking] = useState<Ranking>();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    let current = true;
    const query = { year, half };
    void Promise.all([
      api.GET('/reports/half-year', { params: { query } }),
      api.GET('/reports/ranking', { params: { query } }),
    ]).then(([reviewAnswer, rankingAnswer]) => {
      if (!current) return;
      if (reviewAnswer.data === undefined) {
        setProblem(problemOf(reviewAnswer.error, reviewAnswer.response.status));
        return;
      }
      if (rankingAnswer.data === undefined) {
        setProblem(problemOf(rankingAnswer.error, rankingAnswer.response.status));
        return;
      }
      setProblem(undefined);
      setReview(reviewAnswer.data);
      setRanking(rankingAnswer.data);
    });
    return () => {
      current = false;
    };
  }, [year, half]);

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    next.set(name, value);
    setSearch(next, { replace: true });
  };
  const indicatorName = (code: string) => (t as Record<string, string>)[code] ?? code;

  const columns: ColumnsType<Team> = [
    { title: t.rank, key: 'rank', render: (_, team) => team.rank },
    { title: t.team, key: 'team', render: (_, team) => team[language] },
    { title: t.total, key: 'total', align: 'right', render: (_, team) => team.total },
    {
      title: t.points,
      key: 'points',
      render: (_, team) => (
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {team.indicators.map((indicator) => (
            <li key={indicator.code}>
              <Typography.Text strong>
                {indicatorName(indicator.code)} {indicator.points}
              </Typography.Text>
              <Typography.Text style={{ ...QUIET_TEXT, display: 'block' }}>
                {indicator.explanation[language]}
              </Typography.Text>
            </li>
          ))}
        </ul>
      ),
    },
  ];

  const years = Array.from({ length: thisYear - 2018 }, (_, i) => String(2019 + i)).reverse();
  return (
    <section>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Typography.Paragraph>{t.intro}</Typography.Paragraph>
      <Form layout="inline" aria-label={t.filters} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t.year} htmlFor="report-year">
          <Select<string>
            id="report-year"
            value={year}
            style={{ width: 110 }}
            onChange={(value) => setFilter('year', value)}
            options={years.map((value) => ({ value, label: value }))}
          />
        </Form.Item>
        <Form.Item label={<span id="report-half-label">{t.half}</span>}>
          <Radio.Group
            aria-labelledby="report-half-label"
            optionType="button"
            value={half}
            onChange={(event) => setFilter('half', event.target.value as string)}
            options={[
              { value: '1', label: t.first },
              { value: '2', label: t.second },
            ]}
          />
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
      {review === undefined ? null : (
        <Card title={t.review} size="small" style={{ marginBottom: 24 }}>
          <Typography.Paragraph data-testid="half-year-paragraph" style={{ fontSize: 16 }}>
            {review.paragraph[language]}
          </Typography.Paragraph>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t.keyProjects}>
              {fill(t.count, { n: review.keyProjects.projects })}
            </Descriptions.Item>
            <Descriptions.Item label={t.completed}>
              {formatFen(review.keyProjects.completedFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t.continued}>
              {review.continued.resumptionRate?.text ?? t.none}（{review.continued.resumed}/
              {review.continued.projects}）
            </Descriptions.Item>
            <Descriptions.Item label={t.started}>
              {fill(t.count, { n: review.newProjects.startedThisYear })}
            </Descriptions.Item>
            <Descriptions.Item label={t.implementation}>
              {fill(t.projectsPlanCompleted, {
                n: review.municipalMajor.implementation.projects,
                plan: review.municipalMajor.implementation.annualPlanYi,
                done: review.municipalMajor.implementation.completedYi,
              })}
            </Descriptions.Item>
            <Descriptions.Item label={t.preparatory}>
              {fill(t.projectsPlan, {
                n: review.municipalMajor.preparatory.projects,
                plan: review.municipalMajor.preparatory.annualPlanYi,
              })}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Typography.Title level={3}>{t.ranking}</Typography.Title>
      <Table<Team>
        rowKey="sector"
        columns={columns}
        dataSource={ranking?.teams ?? []}
        pagination={false}
        caption={<span style={VISUALLY_HIDDEN}>{t.rankingCaption}</span>}
        scroll={{ x: 'max-content' }}
      />
    </section>
  );
}
