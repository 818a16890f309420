import { Card, Descriptions, Form, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { QUIET_TEXT } from '../../components/a11y.ts';
import { formatInstant } from '../../components/instant.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { fill, useLanguage, useTexts } from '../../i18n/language.ts';

type DiscretionaryYear = components['schemas']['DiscretionaryYear'];
type Item = DiscretionaryYear['items'][number];

const texts = {
  zh: {
    title: '重奖汇总',
    intro:
      '按决定给予中介机构、专业招商团队的奖励（重奖），与 2% 引荐奖励分开统计；按提出年度（北京时间）汇总。',
    year: '年度',
    totals: '{year} 年重奖合计',
    proposed: '已提出待审批',
    approved: '已批准（含已支付）',
    paid: '已支付',
    rejected: '已驳回',
    count: '笔数',
    caption: '{year} 年的重奖',
    none: '该年度暂无重奖。',
    project: '项目名称',
    leadId: '线索编号 {leadId}',
    recipient: '受奖人',
    intermediary: '中介机构',
    professional_team: '专业团队',
    amount: '金额',
    status: '状态',
    PROPOSED: '待审批',
    APPROVED: '已批准（公示中）',
    REJECTED: '已驳回',
    PAID: '已支付',
    proposedBy: '提出人',
    date: '日期',
    failed: '无法读取重奖汇总',
  },
  en: {
    title: 'Rewards by decision',
    intro:
      'Rewards granted by decision to intermediaries and professional attraction teams (重奖), counted apart from the 2% referral rewards, by the year of their proposal (Beijing time).',
    year: 'Year',
    totals: 'Rewards by decision in {year}',
    proposed: 'Proposed, to approve',
    approved: 'Approved (paid included)',
    paid: 'Paid',
    rejected: 'Rejected',
    count: 'Count',
    caption: 'The rewards by decision of {year}',
    none: 'No rewards by decision this year.',
    project: 'Project',
    leadId: 'Lead {leadId}',
    recipient: 'Recipient',
    intermediary: 'Intermediary',
    professional_team: 'Professional team',
    amount: 'Amount',
    status: 'Status',
    PROPOSED: 'To approve',
    APPROVED: 'Approved (under public notice)',
    REJECTED: 'Rejected',
    PAID: 'Paid',
    proposedBy: 'Proposed by',
    date: 'Date',
    failed: 'Could not read the rewards by decision',
  },
};

/** The current year in Beijing, where the server counts a reward's year. */
function beijingYear(): number {
  return new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
}

/**
 * 重奖汇总 (issue 20): the year's rewards by decision, apart from the 2% rewards: totals proposed, approved,
 * paid and rejected, and each reward with its project (named, linking to its lead, the lead id beneath),
 * recipient, amount, status, proposer and date.
 */
export default function DiscretionaryRewardsPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const [params, setParams] = useSearchParams();
  const current = beijingYear();
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : current;
  const [view, setView] = useState<DiscretionaryYear>();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    let live = true;
    void (async () => {
      const { data, error, response } = await api.GET('/discretionary-rewards', {
        params: { query: { year } },
      });
      if (!live) return;
      if (data !== undefined) {
        setView(data);
        setProblem(undefined);
      } else setProblem(problemOf(error, response.status));
    })();
    return () => {
      live = false;
    };
  }, [year]);

  const years = Array.from({ length: 7 }, (_, i) => current + 1 - i);
  const columns: ColumnsType<Item> = [
    {
      title: t.project,
      key: 'project',
      // Finance knows projects by name; the lead id stays beneath. The API names every reward's project
      // (from its lead for rewards recorded before names were); null only when the lead is gone, and then
      // the link shows the lead id alone.
      render: (_, item) => (
        <>
          <Link to={`/leads/${encodeURIComponent(item.leadId)}`} style={{ display: 'block' }}>
            {item.projectName ?? item.leadId}
          </Link>
          {item.projectName === null ? null : (
            <Typography.Text style={QUIET_TEXT}>{fill(t.leadId, { leadId: item.leadId })}</Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t.recipient,
      key: 'recipient',
      render: (_, item) => (
        <>
          <span style={{ display: 'block' }}>{item.recipient.name}</span>
          <Typography.Text style={QUIET_TEXT}>{t[item.recipient.type]}</Typography.Text>
        </>
      ),
    },
    {
      title: t.amount,
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => <span style={{ whiteSpace: 'nowrap' }}>{formatFen(fen)}</span>,
    },
    { title: t.status, dataIndex: 'state', render: (state: Item['state']) => <Tag>{t[state]}</Tag> },
    { title: t.proposedBy, key: 'proposedBy', render: (_, item) => item.proposedBy.userId },
    {
      title: t.date,
      dataIndex: 'proposedAt',
      render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatInstant(at, language)}</span>,
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Typography.Paragraph style={QUIET_TEXT}>{t.intro}</Typography.Paragraph>
      <Form layout="inline">
        <Form.Item label={t.year} htmlFor="discretionary-year">
          <Select
            id="discretionary-year"
            aria-label={t.year}
            value={year}
            style={{ width: 120 }}
            options={years.map((y) => ({ value: y, label: String(y) }))}
            onChange={(value: number) => setParams({ year: String(value) })}
          />
        </Form.Item>
      </Form>
      <ProblemAlert problem={problem} fallbackTitle={t.failed} />
      {view === undefined || view.year !== year ? null : (
        <>
          <Card>
            <Descriptions
              title={<span style={{ fontSize: 14 }}>{fill(t.totals, { year })}</span>}
              bordered
              size="small"
              column={{ xs: 1, md: 5 }}
              data-testid="discretionary-totals"
              items={[
                { key: 'proposed', label: t.proposed, children: formatFen(view.totals.proposedFen) },
                { key: 'approved', label: t.approved, children: formatFen(view.totals.approvedFen) },
                { key: 'paid', label: t.paid, children: formatFen(view.totals.paidFen) },
                { key: 'rejected', label: t.rejected, children: formatFen(view.totals.rejectedFen) },
                { key: 'count', label: t.count, children: view.totals.count },
              ]}
            />
          </Card>
          <Card>
            <Table<Item>
              rowKey="rewardId"
              size="small"
              columns={columns}
              dataSource={view.items}
              pagination={view.items.length > 20 ? { pageSize: 20 } : false}
              aria-label={fill(t.caption, { year })}
              locale={{ emptyText: <Typography.Text>{t.none}</Typography.Text> }}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
