import { Button, Layout, Segmented, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { formatFen } from '#shared/domain/money-format.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { roleKinds, useMe } from '../../auth/me.ts';
import { useSession } from '../../auth/session.ts';
import { QUIET_TEXT } from '../../components/a11y.ts';
import { useCursorPaging } from '../../components/CursorPager.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { type Language, setLanguage, useLanguage, useTexts } from '../../i18n/language.ts';
import { NoticeSection, NoticeStatusTag } from './NoticeSection.tsx';

type Notice = components['schemas']['PublicNoticePage']['items'][number];

const texts = {
  zh: {
    app: '招商引资奖励管理',
    title: '公示',
    intro:
      '以下招商引资奖励已经审批，现予公示。公示期内对公示内容有异议的，请于异议截止日（含）前以书面形式向开发区管委会提出；公示期满且无异议的，方予支付。',
    caption: '奖励公示列表',
    project: '项目名称',
    investor: '投资方',
    introducer: '引荐人',
    reward: '引荐奖励',
    fund: '基金支持',
    basis: '政策依据',
    openedOn: '公示日期',
    deadline: '异议截止日',
    status: '状态',
    open: '公示中',
    ended: '公示期满',
    none: '无',
    empty: '暂无公示',
    failed: '无法读取公示',
    signIn: '工作人员登录',
    console: '返回工作台',
    manage: '异议处理',
  },
  en: {
    app: 'Investment incentives',
    title: 'Public notices',
    intro:
      'The investment-promotion rewards below have been approved and are published for objection. Objections to a notice reach the zone’s administrative committee in writing by its objection deadline (inclusive); a reward is paid only once its notice has ended without objection.',
    caption: 'Public notices of rewards',
    project: 'Project',
    investor: 'Investor',
    introducer: 'Introducer',
    reward: 'Referral reward',
    fund: 'Fund support',
    basis: 'Legal basis',
    openedOn: 'Published on',
    deadline: 'Objection deadline',
    status: 'Status',
    open: 'Under notice',
    ended: 'Ended',
    none: 'None',
    empty: 'No notice',
    failed: 'Could not read the notices',
    signIn: 'Staff sign-in',
    console: 'Back to the console',
    manage: 'Objections',
  },
};

const PAGE_SIZE = 20;

const leadOf = (noticeId: string) => `ld_${noticeId.slice('nt_'.length)}`;

/**
 * 公示: the public list of approved rewards under notice. Reachable without signing in (the API answers
 * `GET /public/notices` without a token); a signed-in admin also records and resolves objections here.
 */
export default function PublicNoticesPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const { token } = useSession();
  const { me } = useMe();
  const isAdmin = roleKinds(me).includes('admin');
  const paging = useCursorPaging();
  const [rows, setRows] = useState<Notice[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>();
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem>();
  const [managing, setManaging] = useState<Notice>();

  useEffect(() => {
    let current = true;
    setLoading(true);
    void api
      .GET('/public/notices', {
        params: {
          query: { limit: PAGE_SIZE, ...(paging.cursor === undefined ? {} : { cursor: paging.cursor }) },
        },
      })
      .then(({ data, error, response }) => {
        if (!current) return;
        setLoading(false);
        if (data === undefined) setProblem(problemOf(error, response.status));
        else {
          setProblem(undefined);
          setRows(data.items);
          setNextCursor(data.nextCursor);
        }
      });
    return () => {
      current = false;
    };
  }, [paging.cursor]);

  const columns: ColumnsType<Notice> = [
    { title: t.project, key: 'project', render: (_, row) => row.projectName },
    { title: t.investor, key: 'investor', render: (_, row) => row.investorName },
    { title: t.introducer, key: 'introducer', render: (_, row) => row.introducerName ?? t.none },
    { title: t.reward, key: 'reward', align: 'right', render: (_, row) => formatFen(row.rewardFen) },
    { title: t.fund, key: 'fund', align: 'right', render: (_, row) => formatFen(row.fundFen) },
    {
      title: t.basis,
      key: 'basis',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          {row.legalBasis.map((basis) => (
            <Typography.Text key={basis.document} style={{ ...QUIET_TEXT, display: 'block', maxWidth: 320 }}>
              {basis.document} {basis.clauses.join('；')}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    { title: t.openedOn, key: 'openedOn', render: (_, row) => row.openedOn },
    { title: t.deadline, key: 'deadline', render: (_, row) => row.objectionDeadline },
    {
      title: t.status,
      key: 'status',
      // The words say it; the colour only repeats them.
      render: (_, row) => <NoticeStatusTag status={row.status} text={t[row.status]} />,
    },
  ];

  // The admin opens a notice's objections below the list (the notice id names its lead: nt_<hex> ↔ ld_<hex>).
  const manageColumn: ColumnsType<Notice>[number] = {
    title: t.manage,
    key: 'manage',
    render: (_, row) => (
      <Button onClick={() => setManaging(row)} aria-label={`${t.manage} ${row.projectName}`}>
        {t.manage}
      </Button>
    ),
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingInline: 24 }}
      >
        <Typography.Title level={1} style={{ color: '#fff', margin: 0, fontSize: 20 }}>
          {t.app}
        </Typography.Title>
        <Space size="middle">
          {me !== undefined && (
            <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-user">
              {me.userId}
            </Typography.Text>
          )}
          <Link to={token === undefined ? '/sign-in' : '/'} style={{ color: '#fff' }}>
            {token === undefined ? t.signIn : t.console}
          </Link>
          <Segmented<Language>
            aria-label="语言 / Language"
            value={language}
            onChange={setLanguage}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'English', value: 'en' },
            ]}
          />
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main>
          <Typography.Title level={2}>{t.title}</Typography.Title>
          <Typography.Paragraph>{t.intro}</Typography.Paragraph>
          <ListTable<Notice>
            caption={t.caption}
            emptyText={t.empty}
            failedTitle={t.failed}
            problem={problem}
            rows={rows}
            rowKey="noticeId"
            columns={isAdmin ? [...columns, manageColumn] : columns}
            loading={loading}
            paging={{ page: paging.page, nextCursor, onNext: paging.next, onPrevious: paging.previous }}
          />
          {isAdmin && managing !== undefined && (
            <div style={{ marginTop: 24 }}>
              <Typography.Title level={3}>{managing.projectName}</Typography.Title>
              <NoticeSection key={managing.noticeId} leadId={leadOf(managing.noticeId)} canAct />
            </div>
          )}
        </main>
      </Layout.Content>
    </Layout>
  );
}
