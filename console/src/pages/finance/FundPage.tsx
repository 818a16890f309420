import { Alert, Button, Card, Descriptions, Form, Input, Space, Spin, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { roleKinds, useMe } from '../../auth/me.ts';
import { QUIET_TEXT, VISUALLY_HIDDEN } from '../../components/a11y.ts';
import { formatInstant } from '../../components/instant.ts';
import { useLanguage, useTexts } from '../../i18n/language.ts';
import { DEFAULT_FUND_ID } from './default-fund.ts';
import { FundChart } from './FundChart.tsx';

type FundView = components['schemas']['FundView'];
type WaitlistEntry = FundView['waitlist'][number];

const texts = {
  zh: {
    title: '专项基金',
    fundId: '基金编号',
    open: '打开',
    figures: '资金情况',
    total: '总额',
    available: '可用',
    reserved: '已预留',
    committed: '已承诺',
    percent: '可用比例',
    chart: '资金构成图',
    chartDescription:
      '专项基金 {fund}：总额 {total}，其中已承诺 {committed}，已预留 {reserved}，可用 {available}。',
    waitlist: '候补队列',
    waitlistIntro: '按评估时间先后排序：有资金释放或追加时，先到先得，不可插队。',
    waitlistCaption: '候补队列（按顺序）',
    position: '顺序',
    lead: '线索',
    revision: '决定版本',
    want: '待补足金额',
    since: '评估时间',
    emptyWaitlist: '没有线索在候补',
    notFound: '没有这个专项基金',
    failed: '无法读取专项基金',
    fundIdRequired: '请输入基金编号',
  },
  en: {
    title: 'Conversion fund',
    fundId: 'Fund id',
    open: 'Open',
    figures: 'Figures',
    total: 'Total',
    available: 'Available',
    reserved: 'Reserved',
    committed: 'Committed',
    percent: 'Available share',
    chart: 'How the fund is used',
    chartDescription:
      'Fund {fund}: total {total}, of which committed {committed}, reserved {reserved}, available {available}.',
    waitlist: 'Waitlist',
    waitlistIntro:
      'In order of evaluation: money released or added goes to the first in line; nobody overtakes.',
    waitlistCaption: 'Waitlist, in order',
    position: 'Place',
    lead: 'Lead',
    revision: 'Decision revision',
    want: 'Still wanted',
    since: 'Evaluated at',
    emptyWaitlist: 'Nobody is waiting',
    notFound: 'There is no such fund',
    failed: 'Could not read the fund',
    fundIdRequired: 'Enter a fund id',
  },
};

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** 专项基金: total, available, reserved and committed (chart and figures) and the waitlist in order. */
export default function FundPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const { me } = useMe();
  const params = useParams();
  const navigate = useNavigate();
  const fundId = params.fundId ?? DEFAULT_FUND_ID;
  const [fund, setFund] = useState<FundView>();
  const [problem, setProblem] = useState<Problem>();
  const [form] = Form.useForm<{ fundId: string }>();
  // Admins see the fund but not leads: the waitlist names leads without linking them.
  const readsLeads = roleKinds(me).some((kind) => kind === 'finance' || kind === 'auditor');

  useEffect(() => {
    let current = true;
    setFund(undefined);
    setProblem(undefined);
    form.setFieldsValue({ fundId });
    void api.GET('/funds/{fundId}', { params: { path: { fundId } } }).then(({ data, error, response }) => {
      if (!current) return;
      if (data === undefined) setProblem(problemOf(error, response.status));
      else setFund(data);
    });
    return () => {
      current = false;
    };
  }, [fundId, form]);

  const chartTexts = useMemo(
    () =>
      fund === undefined
        ? undefined
        : {
            available: t.available,
            reserved: t.reserved,
            committed: t.committed,
            total: t.total,
            description: fill(t.chartDescription, {
              fund: fund.fundId,
              total: fund.totalText,
              committed: fund.committedText,
              reserved: fund.reservedText,
              available: fund.availableText,
            }),
          },
    [fund, t],
  );

  const columns: ColumnsType<WaitlistEntry> = [
    { title: t.position, dataIndex: 'position', key: 'position', width: 80 },
    {
      title: t.lead,
      key: 'lead',
      render: (_, entry) =>
        readsLeads ? <Link to={`/leads/${entry.leadId}`}>{entry.leadId}</Link> : entry.leadId,
    },
    { title: t.revision, dataIndex: 'revision', key: 'revision', width: 120 },
    { title: t.want, dataIndex: 'wantText', key: 'want' },
    { title: t.since, key: 'since', render: (_, entry) => formatInstant(entry.evaluatedAt, language) },
  ];

  return (
    <section>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Form
        form={form}
        name="openFundView"
        layout="inline"
        onFinish={({ fundId: asked }) => navigate(`/funds/${encodeURIComponent(asked.trim())}`)}
        style={{ marginBottom: 16 }}
      >
        <Form.Item
          label={t.fundId}
          name="fundId"
          rules={[{ required: true, whitespace: true, message: t.fundIdRequired }]}
        >
          <Input style={{ width: 220 }} />
        </Form.Item>
        <Button htmlType="submit">{t.open}</Button>
      </Form>
      {problem === undefined ? null : (
        <Alert
          type="error"
          showIcon
          title={problem.status === 404 ? t.notFound : t.failed}
          description={problem.detail}
        />
      )}
      {fund === undefined || chartTexts === undefined ? (
        problem === undefined ? (
          <Spin />
        ) : null
      ) : (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Card title={<span>{`${t.figures} · ${fund.fundId}`}</span>}>
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, sm: 2, lg: 5 }}
              styles={{ label: { color: '#262626' } }}
              data-testid="fund-figures"
            >
              <Descriptions.Item label={t.total}>{fund.totalText}</Descriptions.Item>
              <Descriptions.Item label={t.available}>{fund.availableText}</Descriptions.Item>
              <Descriptions.Item label={t.reserved}>{fund.reservedText}</Descriptions.Item>
              <Descriptions.Item label={t.committed}>{fund.committedText}</Descriptions.Item>
              <Descriptions.Item
                label={t.percent}
              >{`${fund.availablePercent.toFixed(1)}%`}</Descriptions.Item>
            </Descriptions>
            <Typography.Title level={3} style={{ fontSize: 16, marginTop: 24 }}>
              {t.chart}
            </Typography.Title>
            <FundChart fund={fund} texts={chartTexts} />
          </Card>
          <Card title={<span>{t.waitlist}</span>}>
            <Typography.Paragraph>{t.waitlistIntro}</Typography.Paragraph>
            <Table<WaitlistEntry>
              rowKey="leadId"
              columns={columns}
              dataSource={fund.waitlist}
              pagination={fund.waitlist.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              caption={<span style={VISUALLY_HIDDEN}>{t.waitlistCaption}</span>}
              locale={{ emptyText: <span style={QUIET_TEXT}>{t.emptyWaitlist}</span> }}
            />
          </Card>
        </Space>
      )}
    </section>
  );
}
