/**
 * Every page's chunk, by route. The console starts loading the chunk of the address it opens with while
 * its shell starts (and while `GET /me` is in flight), instead of after: the page arrives with the shell.
 */
export const pageChunks = {
  leadList: () => import('./pages/leads/LeadListPage.tsx'),
  newLead: () => import('./pages/leads/NewLeadPage.tsx'),
  leadImport: () => import('./pages/leads/LeadImportPage.tsx'),
  lead: () => import('./pages/leads/LeadPage.tsx'),
  reviewQueue: () => import('./pages/finance/ReviewQueuePage.tsx'),
  fund: () => import('./pages/finance/FundPage.tsx'),
  discretionaryRewards: () => import('./pages/finance/DiscretionaryRewardsPage.tsx'),
  audit: () => import('./pages/audit/AuditPage.tsx'),
  admin: () => import('./pages/admin/AdminPage.tsx'),
  projectLedger: () => import('./pages/projects/ProjectLedgerPage.tsx'),
  project: () => import('./pages/projects/ProjectPage.tsx'),
  supervision: () => import('./pages/projects/SupervisionPage.tsx'),
  reports: () => import('./pages/projects/ReportsPage.tsx'),
  signIn: () => import('./pages/SignInPage.tsx'),
  publicNotices: () => import('./pages/notices/PublicNoticesPage.tsx'),
} as const;

/** The chunk a console path (under /console) opens with, if any. */
export function chunkForPath(path: string): keyof typeof pageChunks | undefined {
  const rest = path.replace(/^\/console/, '').replace(/\/$/, '');
  const [first, second] = rest.split('/').filter((part) => part.length > 0);
  switch (first) {
    case 'leads':
      if (second === undefined) return 'leadList';
      return second === 'new' ? 'newLead' : second === 'import' ? 'leadImport' : 'lead';
    case 'reviews':
      return 'reviewQueue';
    case 'funds':
      return 'fund';
    case 'discretionary-rewards':
      return 'discretionaryRewards';
    case 'audit':
      return 'audit';
    case 'admin':
      return 'admin';
    case 'projects':
      return second === undefined ? 'projectLedger' : 'project';
    case 'supervision':
      return 'supervision';
    case 'reports':
      return 'reports';
    case 'sign-in':
      return 'signIn';
    case 'public':
      return second === 'notices' ? 'publicNotices' : undefined;
    default:
      return undefined;
  }
}

export function preloadPageOf(path: string): void {
  const chunk = chunkForPath(path);
  if (chunk !== undefined) void pageChunks[chunk]();
}
