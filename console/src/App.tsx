import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import type { RuntimeConfig } from './auth/session.ts';
import { ConsoleLayout } from './components/ConsoleLayout.tsx';
import { RequireRole } from './components/RequireRole.tsx';
import { useLanguage } from './i18n/language.ts';
import { pageChunks } from './page-chunks.ts';
import { HomeRedirect } from './pages/HomeRedirect.tsx';

// Each page is its own chunk: the first paint loads only the shell; charts come with the pages that draw them.
const LeadListPage = lazy(pageChunks.leadList);
const NewLeadPage = lazy(pageChunks.newLead);
const LeadImportPage = lazy(pageChunks.leadImport);
const LeadPage = lazy(pageChunks.lead);
const ReviewQueuePage = lazy(pageChunks.reviewQueue);
const FundPage = lazy(pageChunks.fund);
const DiscretionaryRewardsPage = lazy(pageChunks.discretionaryRewards);
const AuditPage = lazy(pageChunks.audit);
const AdminPage = lazy(pageChunks.admin);
const ProjectLedgerPage = lazy(pageChunks.projectLedger);
const ProjectPage = lazy(pageChunks.project);
const SupervisionPage = lazy(pageChunks.supervision);
const ReportsPage = lazy(pageChunks.reports);
const PublicNoticesPage = lazy(pageChunks.publicNotices);
const SignInPage = lazy(async () => ({ default: (await pageChunks.signIn()).SignInPage }));

const ALL_ROLES = ['sector', 'finance', 'auditor', 'admin'] as const;

function page(element: React.ReactNode) {
  return <Suspense fallback={<Spin style={{ display: 'block', marginTop: 64 }} />}>{element}</Suspense>;
}

function routes(config: RuntimeConfig): RouteObject[] {
  return [
    { path: '/sign-in', element: page(<SignInPage config={config} />) },
    { path: '/callback', element: <Navigate to="/" replace /> },
    // 公示 (issue 17): public, outside the signed-in frame, so it never asks anyone to sign in.
    { path: '/public/notices', element: page(<PublicNoticesPage />) },
    {
      element: <ConsoleLayout />,
      children: [
        { index: true, element: <HomeRedirect /> },
        {
          path: 'leads',
          element: (
            <RequireRole kinds={['sector', 'finance', 'auditor']}>{page(<LeadListPage />)}</RequireRole>
          ),
        },
        { path: 'leads/new', element: <RequireRole kinds={['sector']}>{page(<NewLeadPage />)}</RequireRole> },
        {
          path: 'leads/import',
          element: <RequireRole kinds={['sector']}>{page(<LeadImportPage />)}</RequireRole>,
        },
        {
          path: 'leads/:id',
          element: (
            <RequireRole kinds={['sector', 'finance', 'finance-head', 'auditor']}>
              {page(<LeadPage />)}
            </RequireRole>
          ),
        },
        {
          path: 'reviews',
          element: <RequireRole kinds={['finance', 'finance-head']}>{page(<ReviewQueuePage />)}</RequireRole>,
        },
        {
          path: 'funds',
          element: <RequireRole kinds={['finance', 'auditor', 'admin']}>{page(<FundPage />)}</RequireRole>,
        },
        {
          path: 'funds/:fundId',
          element: <RequireRole kinds={['finance', 'auditor', 'admin']}>{page(<FundPage />)}</RequireRole>,
        },
        {
          path: 'discretionary-rewards',
          element: (
            <RequireRole kinds={['finance', 'finance-head', 'auditor']}>
              {page(<DiscretionaryRewardsPage />)}
            </RequireRole>
          ),
        },
        { path: 'audit', element: <RequireRole kinds={['auditor']}>{page(<AuditPage />)}</RequireRole> },
        { path: 'admin', element: <RequireRole kinds={['admin']}>{page(<AdminPage />)}</RequireRole> },
        // Projects after signing (issue 15): every role reads; a sector team sees and records its own sector.
        {
          path: 'projects',
          element: <RequireRole kinds={ALL_ROLES}>{page(<ProjectLedgerPage />)}</RequireRole>,
        },
        {
          path: 'projects/:id',
          element: <RequireRole kinds={ALL_ROLES}>{page(<ProjectPage />)}</RequireRole>,
        },
        {
          path: 'supervision',
          element: <RequireRole kinds={ALL_ROLES}>{page(<SupervisionPage />)}</RequireRole>,
        },
        { path: 'reports', element: <RequireRole kinds={ALL_ROLES}>{page(<ReportsPage />)}</RequireRole> },
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ];
}

export function App({ config }: { config: RuntimeConfig }) {
  const language = useLanguage();
  dayjs.locale(language === 'zh' ? 'zh-cn' : 'en');
  const router = useRouter(config);
  return (
    // Buttons keep their words as written: antd would otherwise show 批准 as "批 准".
    <ConfigProvider
      locale={language === 'zh' ? zhCN : enUS}
      // Links in the primary blue, secondary and help texts darker than antd's defaults: both are below 4.5:1
      // on white otherwise (axe).
      theme={{
        // antd's styles come from its prebuilt stylesheet (main.tsx), not generated in the browser on every
        // first render: that generation was most of a cold load's CPU. Tokens still apply as CSS variables.
        zeroRuntime: true,
        token: {
          colorPrimary: '#1f5fbf',
          // antd derives a lighter hover shade (under 4.5:1 on white); keep hovered buttons readable.
          colorPrimaryHover: '#174a96',
          colorLink: '#1f5fbf',
          colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
          colorTextDescription: 'rgba(0, 0, 0, 0.65)',
          // Descriptions labels and form errors: antd's #8c8c8c and #ff4d4f are near 3.3:1 on white.
          colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
          colorError: '#cf1322',
        },
      }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

let built: ReturnType<typeof createBrowserRouter> | undefined;
function useRouter(config: RuntimeConfig) {
  built ??= createBrowserRouter(routes(config), { basename: '/console' });
  return built;
}
