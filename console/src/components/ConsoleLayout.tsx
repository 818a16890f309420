import {
  AlertOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  FileAddOutlined,
  NotificationOutlined,
  ProjectOutlined,
  SettingOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
  AuditOutlined as VerifyIcon,
} from '@ant-design/icons';
import { Button, Layout, Menu, Segmented, Space, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { type ConsoleRole, roleKinds, useMe } from '../auth/me.ts';
import { signOut, useSession } from '../auth/session.ts';
import { type Language, setLanguage, useLanguage, useTexts } from '../i18n/language.ts';

const texts = {
  zh: {
    title: '招商引资奖励管理',
    leads: '我的线索',
    allLeads: '线索',
    newLead: '新建线索',
    reviews: '待审核',
    funds: '专项基金',
    discretionary: '重奖汇总',
    audit: '审计',
    admin: '政策与基金管理',
    projects: '项目台账',
    supervision: '督办',
    reports: '报表',
    notices: '公示',
    signOut: '退出登录',
    sector: '招商专班',
    finance: '财务',
    financeHead: '财政负责人',
    auditor: '审计',
    adminRole: '管理员',
    navigation: '主导航',
  },
  en: {
    title: 'Investment incentives',
    leads: 'My leads',
    allLeads: 'Leads',
    newLead: 'New lead',
    reviews: 'Review queue',
    funds: 'Conversion fund',
    discretionary: 'Rewards by decision',
    audit: 'Audit',
    admin: 'Policies and funds',
    projects: 'Project ledger',
    supervision: 'Supervision',
    reports: 'Reports',
    notices: 'Public notices',
    signOut: 'Sign out',
    sector: 'Sector team',
    finance: 'Finance',
    financeHead: 'Finance head',
    auditor: 'Auditor',
    adminRole: 'Admin',
    navigation: 'Main navigation',
  },
};

interface MenuEntry {
  readonly key: string;
  readonly label: string;
  readonly icon: ReactNode;
  readonly kinds: readonly ConsoleRole[];
}

/** The frame of every signed-in page: the menu shows what the caller's roles may do. */
export function ConsoleLayout() {
  const t = useTexts(texts);
  const language = useLanguage();
  const session = useSession();
  const { me, loading } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  if (session.token === undefined) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`} replace />;
  }
  if (loading || me === undefined) return <Spin style={{ display: 'block', marginTop: 96 }} />;
  const kinds = roleKinds(me);
  const entries: MenuEntry[] = [
    { key: '/leads/new', label: t.newLead, icon: <FileAddOutlined />, kinds: ['sector'] },
    {
      key: '/leads',
      label: kinds.includes('sector') ? t.leads : t.allLeads,
      icon: <UnorderedListOutlined />,
      kinds: ['sector', 'finance', 'auditor'],
    },
    { key: '/reviews', label: t.reviews, icon: <VerifyIcon />, kinds: ['finance', 'finance-head'] },
    { key: '/funds', label: t.funds, icon: <BankOutlined />, kinds: ['finance', 'auditor', 'admin'] },
    {
      key: '/discretionary-rewards',
      label: t.discretionary,
      icon: <TrophyOutlined />,
      kinds: ['finance', 'finance-head', 'auditor'],
    },
    { key: '/audit', label: t.audit, icon: <AuditOutlined />, kinds: ['auditor'] },
    { key: '/admin', label: t.admin, icon: <SettingOutlined />, kinds: ['admin'] },
    // 公示 is public; the admin records objections there, finance sees what is under notice.
    { key: '/public/notices', label: t.notices, icon: <NotificationOutlined />, kinds: ['finance', 'admin'] },
    {
      key: '/projects',
      label: t.projects,
      icon: <ProjectOutlined />,
      kinds: ['sector', 'finance', 'auditor', 'admin'],
    },
    {
      key: '/supervision',
      label: t.supervision,
      icon: <AlertOutlined />,
      kinds: ['sector', 'finance', 'auditor', 'admin'],
    },
    {
      key: '/reports',
      label: t.reports,
      icon: <BarChartOutlined />,
      kinds: ['sector', 'finance', 'auditor', 'admin'],
    },
  ];
  const visible = entries.filter((entry) => entry.kinds.some((kind) => kinds.includes(kind)));
  const selected = visible
    .map((entry) => entry.key)
    .filter((key) => location.pathname === key || location.pathname.startsWith(`${key}/`))
    .sort((a, b) => b.length - a.length)[0];
  const roleNames = me.roles.map((role) => {
    if (role.startsWith('sector:')) {
      const code = role.slice('sector:'.length);
      const sector = me.sectors.find((candidate) => candidate.code === code);
      return `${t.sector} · ${sector === undefined ? code : sector[language]}`;
    }
    return role === 'finance'
      ? t.finance
      : role === 'finance-head'
        ? t.financeHead
        : role === 'auditor'
          ? t.auditor
          : role === 'admin'
            ? t.adminRole
            : role;
  });
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingInline: 24 }}
      >
        <Typography.Title level={1} style={{ color: '#fff', margin: 0, fontSize: 20 }}>
          {t.title}
        </Typography.Title>
        <Space size="middle">
          <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-user">
            {me.userId} · {roleNames.join('，')}
          </Typography.Text>
          <Segmented<Language>
            aria-label="语言 / Language"
            value={language}
            onChange={setLanguage}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'English', value: 'en' },
            ]}
          />
          <Button onClick={() => signOut('signed-out')}>{t.signOut}</Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={208} theme="light" breakpoint="lg" collapsedWidth={0}>
          <nav aria-label={t.navigation}>
            <Menu
              mode="inline"
              selectedKeys={selected === undefined ? [] : [selected]}
              items={visible.map((entry) => ({ key: entry.key, label: entry.label, icon: entry.icon }))}
              onClick={({ key }) => navigate(key)}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
