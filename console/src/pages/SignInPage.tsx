import { Alert, Button, Card, List, Space, Typography } from 'antd';
import { Navigate, useSearchParams } from 'react-router';
import { type RuntimeConfig, signInWithOidc, useSession } from '../auth/session.ts';
import { useTexts } from '../i18n/language.ts';

const texts = {
  zh: {
    title: '登录 招商引资奖励管理',
    oidc: '使用单位统一身份认证登录',
    devIntro: '本地开发环境：选择一个角色登录（仅限本机，令牌仅用于开发）。',
    expired: '登录已过期，请重新登录。',
    sector: '招商专班（智能光电信息）',
    sectorFood: '招商专班（食品加工）',
    finance: '财务（审核）',
    finance2: '财务（支付）',
    financeHead: '财政负责人（签批）',
    auditor: '审计',
    admin: '管理员',
  },
  en: {
    title: 'Sign in to Investment incentives',
    oidc: 'Sign in with the organisation account',
    devIntro: 'Local development: sign in as one role (this machine only; dev tokens).',
    expired: 'Your session has expired. Please sign in again.',
    sector: 'Sector team (optoelectronics)',
    sectorFood: 'Sector team (food processing)',
    finance: 'Finance (review)',
    finance2: 'Finance (payment)',
    financeHead: 'Finance head (sign-off)',
    auditor: 'Auditor',
    admin: 'Admin',
  },
};

/** Locally: one link per role to `/dev/sign-in`; in the cloud: the OIDC issuer's sign-in page. */
export function SignInPage({ config }: { config: RuntimeConfig }) {
  const t = useTexts(texts);
  const session = useSession();
  const [search] = useSearchParams();
  const next = search.get('next') ?? '/';
  if (session.token !== undefined) return <Navigate to={next} replace />;
  const devRoles = [
    { role: 'sector:optoelectronics', user: 'officer-1', label: t.sector },
    { role: 'sector:food', user: 'officer-food-1', label: t.sectorFood },
    { role: 'finance', user: 'fin-1', label: t.finance },
    { role: 'finance', user: 'fin-2', label: t.finance2 },
    { role: 'finance-head', user: 'head-1', label: t.financeHead },
    { role: 'auditor', user: 'auditor-1', label: t.auditor },
    { role: 'admin', user: 'admin-1', label: t.admin },
  ];
  const returnTo = `/console${next === '/' ? '/' : next}`;
  return (
    <main style={{ maxWidth: 560, margin: '64px auto', padding: 16 }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          {t.title}
        </Typography.Title>
        {session.endedBecause === 'expired' ? <Alert type="warning" title={t.expired} showIcon /> : null}
        {config.auth.mode === 'oidc' ? (
          <Button type="primary" size="large" onClick={() => void signInWithOidc(returnTo)}>
            {t.oidc}
          </Button>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph>{t.devIntro}</Typography.Paragraph>
            <List
              bordered
              dataSource={devRoles}
              renderItem={(item) => (
                <List.Item>
                  <a
                    href={`/dev/sign-in?${new URLSearchParams({ role: item.role, user: item.user, next: returnTo })}`}
                  >
                    {item.label} — {item.user}
                  </a>
                </List.Item>
              )}
            />
          </Space>
        )}
      </Card>
    </main>
  );
}
