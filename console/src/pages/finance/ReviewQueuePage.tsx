import { DatePicker, Form, Radio, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { useMe } from '../../auth/me.ts';
import { QUIET_TEXT } from '../../components/a11y.ts';
import { useCursorPaging } from '../../components/CursorPager.tsx';
import { formatInstant } from '../../components/instant.ts';
import { LeadStatusTag, leadStatusName } from '../../components/LeadStatusTag.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useLanguage, useTexts } from '../../i18n/language.ts';
import { PaymentListExport } from './PaymentListExport.tsx';
import { conflictWords } from './review-refusals.ts';

type RewardItem = components['schemas']['RewardList']['items'][number];
type Reward = Extract<RewardItem, { approvable: boolean }>;
type QueueStatus = 'PENDING_FINANCE' | 'PENDING_CASE_REVIEW' | 'APPROVED';
const QUEUE_STATUSES: readonly QueueStatus[] = ['PENDING_FINANCE', 'PENDING_CASE_REVIEW', 'APPROVED'];

const texts = {
  zh: {
    title: '待审核',
    intro: '等待财务处理的奖励：点击项目名称打开线索，在线索页批准、驳回、登记一事一议结果或标记已支付。',
    filters: '筛选',
    status: '状态',
    sector: '招商专班',
    allSectors: '全部专班',
    month: '提交月份',
    caption: '待审核奖励列表',
    project: '项目名称',
    submitted: '提交',
    reward: '奖励',
    provisional: '（预估）',
    fund: '专项基金',
    approvable: '可否批准',
    yes: '可以批准',
    no: '暂不能批准',
    reserved: '已预留',
    waitlisted: '候补中',
    committed: '已承诺',
    released: '已释放',
    noFund: '不申请',
    empty: '没有符合条件的线索',
    failed: '无法读取待审核列表',
    paidOrPay: '待支付',
  },
  en: {
    title: 'Review queue',
    intro:
      'Rewards waiting for finance: open a lead by its project name to approve, reject, record a case outcome or mark it paid.',
    filters: 'Filters',
    status: 'Status',
    sector: 'Sector team',
    allSectors: 'All sectors',
    month: 'Month submitted',
    caption: 'Rewards waiting for review',
    project: 'Project',
    submitted: 'Submitted',
    reward: 'Reward',
    provisional: ' (estimate)',
    fund: 'Fund',
    approvable: 'Approvable',
    yes: 'Can be approved',
    no: 'Not yet',
    reserved: 'reserved',
    waitlisted: 'waitlisted',
    committed: 'committed',
    released: 'released',
    noFund: 'not asked',
    empty: 'No lead matches',
    failed: 'Could not read the review queue',
    paidOrPay: 'to pay',
  },
};

/** 待审核: the leads waiting for finance (GET /rewards), filtered by status, sector and month, paged by cursor. */
export default function ReviewQueuePage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const { me } = useMe();
  const [search, setSearch] = useSearchParams();
  const status = (QUEUE_STATUSES as readonly string[]).includes(search.get('status') ?? '')
    ? (search.get('status') as QueueStatus)
    : 'PENDING_FINANCE';
  const sector = search.get('sector') ?? undefined;
  const month = /^\d{4}-\d{2}$/.test(search.get('month') ?? '')
    ? (search.get('month') ?? undefined)
    : undefined;
  const paging = useCursorPaging();
  const [items, setItems] = useState<Reward[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem>();

  const { cursor, reset } = paging;
  useEffect(() => {
    let current = true;
    setLoading(true);
    const range =
      month === undefined
        ? {}
        : {
            from: dayjs(`${month}-01`).format('YYYY-MM-DD'),
            to: dayjs(`${month}-01`).endOf('month').format('YYYY-MM-DD'),
          };
    void api
      .GET('/rewards', {
        params: {
          query: {
            status,
            ...(sector === undefined ? {} : { sector }),
            ...range,
            ...(cursor === undefined ? {} : { cursor }),
            limit: '20',
          },
        },
      })
      .then(({ data, error, response }) => {
        if (!current) return;
        setLoading(false);
        if (data === undefined) {
          setProblem(problemOf(error, response.status));
          return;
        }
        setProblem(undefined);
        setItems(data.items.filter((item): item is Reward => 'approvable' in item));
        setNextCursor(data.nextCursor);
      });
    return () => {
      current = false;
    };
  }, [status, sector, month, cursor]);

  const setFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value === undefined || value === '') next.delete(name);
    else next.set(name, value);
    setSearch(next, { replace: true });
    reset();
  };

  const sectorName = (code: string) => {
    const found = me?.sectorCatalogue.find((candidate) => candidate.code === code);
    return found === undefined ? code : found[language];
  };

  const columns: ColumnsType<Reward> = [
    {
      title: t.project,
      key: 'project',
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/leads/${item.leadId}`}>{item.projectName}</Link>
          <Typography.Text style={QUIET_TEXT}>{item.investorName}</Typography.Text>
        </Space>
      ),
    },
    { title: t.sector, key: 'sector', render: (_, item) => sectorName(item.sector) },
    { title: t.status, key: 'status', render: (_, item) => <LeadStatusTag status={item.status} /> },
    {
      title: t.submitted,
      key: 'submitted',
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <span>{formatInstant(item.submittedAt, language)}</span>
          <Typography.Text style={QUIET_TEXT}>{item.submittedBy.userId}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t.reward,
      key: 'reward',
      render: (_, item) => {
        const reward = item.referralReward;
        if (item.caseOutcome !== null) return formatFen(item.caseOutcome.rewardFen);
        if (reward.basis === 'planned') return `${reward.amountText}${t.provisional}`;
        return reward.payableRewardText;
      },
    },
    {
      title: t.fund,
      key: 'fund',
      render: (_, item) => {
        const allocation = item.fund.allocation;
        if (allocation === null) return item.fund.capFen === 0 ? t.noFund : item.fund.capText;
        const amount =
          allocation.state === 'committed'
            ? allocation.committedFen
            : allocation.state === 'waitlisted'
              ? allocation.wantFen
              : allocation.reservedFen;
        return `${formatFen(amount)}（${t[allocation.state]}）`;
      },
    },
    {
      title: t.approvable,
      key: 'approvable',
      render: (_, item) =>
        item.status === 'APPROVED' ? (
          t.paidOrPay
        ) : item.approvable ? (
          <Typography.Text strong>✓ {t.yes}</Typography.Text>
        ) : (
          <span>
            ✗ {t.no}
            {item.notApprovableBecause === null ? null : (
              <Typography.Text style={{ ...QUIET_TEXT, display: 'block', maxWidth: 240 }}>
                {conflictWords(item.notApprovableBecause.code, language) ??
                  item.notApprovableBecause.message[language]}
              </Typography.Text>
            )}
          </span>
        ),
    },
  ];

  return (
    <section>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Typography.Paragraph>{t.intro}</Typography.Paragraph>
      <Form layout="inline" aria-label={t.filters} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={<span id="queue-status-label">{t.status}</span>}>
          <Radio.Group
            aria-labelledby="queue-status-label"
            optionType="button"
            value={status}
            onChange={(event) => setFilter('status', event.target.value as QueueStatus)}
            options={QUEUE_STATUSES.map((value) => ({ value, label: leadStatusName(value, language) }))}
          />
        </Form.Item>
        <Form.Item label={t.sector} htmlFor="queue-sector">
          <Select<string>
            id="queue-sector"
            value={sector ?? ''}
            style={{ width: 200 }}
            onChange={(value) => setFilter('sector', value)}
            options={[
              { value: '', label: t.allSectors },
              ...(me?.sectorCatalogue ?? []).map((entry) => ({ value: entry.code, label: entry[language] })),
            ]}
          />
        </Form.Item>
        <Form.Item label={t.month} htmlFor="queue-month">
          <DatePicker
            id="queue-month"
            picker="month"
            value={month === undefined ? null : dayjs(`${month}-01`)}
            onChange={(value: Dayjs | null) => setFilter('month', value?.format('YYYY-MM'))}
          />
        </Form.Item>
        <Form.Item>
          <PaymentListExport month={month} />
        </Form.Item>
      </Form>
      <ListTable<Reward>
        caption={t.caption}
        emptyText={t.empty}
        failedTitle={t.failed}
        problem={problem === undefined ? undefined : { ...problem, title: t.failed }}
        rows={items}
        rowKey="leadId"
        columns={columns}
        loading={loading}
        paging={{ page: paging.page, nextCursor, onNext: paging.next, onPrevious: paging.previous }}
      />
    </section>
  );
}
