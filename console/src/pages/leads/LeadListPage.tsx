import { PlusOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Flex, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formatFen } from '#shared/domain/money-format.ts';
import { type Problem, problemOf } from '../../api/client.ts';
import {
  filtersOf,
  leadListQuery,
  loadLeadPage,
  PAGE_SIZES,
  takeAnsweredLeadPage,
} from '../../api/lead-list.ts';
import type { components } from '../../api/schema.d.ts';
import { roleKinds, useMe } from '../../auth/me.ts';
import { formatInstant } from '../../components/instant.ts';
import { type LeadStatus, LeadStatusTag } from '../../components/LeadStatusTag.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useLanguage, useTexts } from '../../i18n/language.ts';

const LeadListFilters = lazy(() => import('./LeadListFilters.tsx'));

const texts = {
  zh: {
    mine: '我的线索',
    all: '全部线索',
    caption: '线索列表（按提交时间从新到旧）',
    month: '提交月份',
    status: '状态',
    sector: '招商专班',
    anyStatus: '全部状态',
    anySector: '全部专班',
    newLead: '新建线索',
    importLeads: '导入',
    projectName: '项目名称',
    investor: '投资方',
    planned: '计划投资额',
    submittedAt: '提交时间',
    duplicate: '重复项目',
    evaluationFailed: '评估失败',
    empty: '没有符合条件的线索',
    failed: '线索列表加载失败',
    pageSize: '每页条数',
  },
  en: {
    mine: 'My leads',
    all: 'All leads',
    caption: 'Leads (newest first)',
    month: 'Month submitted',
    status: 'Status',
    sector: 'Sector team',
    anyStatus: 'Any status',
    anySector: 'Any sector',
    newLead: 'New lead',
    importLeads: 'Import',
    projectName: 'Project',
    investor: 'Investor',
    planned: 'Planned investment',
    submittedAt: 'Submitted',
    duplicate: 'Duplicate project',
    evaluationFailed: 'Evaluation failed',
    empty: 'No leads match',
    failed: 'The leads could not be loaded',
    pageSize: 'Rows per page',
  },
};

type LeadSummary = components['schemas']['LeadList']['items'][number];

/**
 * 我的线索 (a sector team's own leads; finance and auditors see every sector): filters by status, month and
 * sector kept in the address, one page at a time from the server (cursor paging), so it stays quick
 * whatever the number of leads.
 */
export default function LeadListPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const navigate = useNavigate();
  const { me } = useMe();
  const kinds = roleKinds(me);
  const seesAll = kinds.includes('finance') || kinds.includes('auditor');
  const ownSectors = me?.sectors ?? [];
  const sectorNames = new Map((me?.sectorCatalogue ?? []).map((sector) => [sector.code, sector[language]]));
  const [search, setSearch] = useSearchParams();
  const fromAddress = filtersOf(search);
  const { status, month } = fromAddress;
  // A team with several sectors must name one (the API refuses to guess); one sector needs no choice.
  const sector = fromAddress.sector ?? (!seesAll && ownSectors.length > 1 ? ownSectors[0]?.code : undefined);
  const [pageSize, setPageSize] = useState<number>(PAGE_SIZES[0]);
  // The cursors that led to the pages before this one, for these filters only: a cursor is valid for the
  // query it came from, so new filters start again from the first page.
  const filterKey = `${status}|${month}|${sector}|${pageSize}`;
  const [cursors, setCursors] = useState<{ key: string; stack: string[] }>({ key: filterKey, stack: [] });
  const stack = cursors.key === filterKey ? cursors.stack : [];
  const cursor = stack.at(-1);
  // On a cold load the first page has usually come before this chunk ran: drawn at once, asked no more.
  const [answered] = useState(() =>
    takeAnsweredLeadPage(leadListQuery({ status, month, sector }, pageSize, cursor)),
  );
  const [page, setPage] = useState<{ items: LeadSummary[]; nextCursor: string | null } | undefined>(answered);
  const [loading, setLoading] = useState(answered === undefined);
  const [problem, setProblem] = useState<Problem>();
  const firstPageTaken = useRef(answered !== undefined);
  // The filters' widgets (date picker, selects: their chunk and their first render) come a frame after the
  // page's first paint, so a cold load draws the rows first.
  const [filtersShown, setFiltersShown] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setFiltersShown(true));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    if (firstPageTaken.current) {
      firstPageTaken.current = false;
      return;
    }
    let current = true;
    setLoading(true);
    void loadLeadPage(leadListQuery({ status, month, sector }, pageSize, cursor))
      .then(({ data, error, response }) => {
        if (!current) return;
        if (data !== undefined) {
          setPage(data);
          setProblem(undefined);
        } else {
          setProblem(problemOf(error, response.status));
        }
      })
      .catch(() => current && setProblem({ type: 'about:blank', title: t.failed, status: 0, detail: '' }))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [status, month, sector, pageSize, cursor, t.failed]);

  function setFilter(name: 'status' | 'month' | 'sector', value: string | undefined) {
    const next = new URLSearchParams(search);
    if (value === undefined || value === '') next.delete(name);
    else next.set(name, value);
    setSearch(next, { replace: true });
  }

  const columns: ColumnsType<LeadSummary> = [
    {
      title: t.projectName,
      dataIndex: 'projectName',
      render: (name: string, lead) => (
        <Space size={4} wrap>
          <Link to={`/leads/${encodeURIComponent(lead.leadId)}`}>{name}</Link>
          {lead.duplicateOf === null ? null : (
            <Typography.Text type="warning">
              <WarningOutlined /> {t.duplicate}
            </Typography.Text>
          )}
          {lead.evaluationFailed ? (
            <Typography.Text type="danger">
              <WarningOutlined /> {t.evaluationFailed}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { title: t.investor, dataIndex: 'investorName' },
    ...(seesAll || ownSectors.length > 1
      ? [
          {
            title: t.sector,
            dataIndex: 'sector',
            render: (code: string) => sectorNames.get(code) ?? code,
          },
        ]
      : []),
    {
      title: t.planned,
      dataIndex: 'plannedInvestmentFen',
      align: 'right' as const,
      render: (fen: number) => formatFen(fen),
    },
    {
      title: t.status,
      dataIndex: 'status',
      render: (value: LeadStatus) => <LeadStatusTag status={value} />,
    },
    {
      title: t.submittedAt,
      dataIndex: 'submittedAt',
      render: (at: string) => formatInstant(at, language),
    },
  ];

  const sectorOptions = seesAll ? (me?.sectorCatalogue ?? []) : ownSectors;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {kinds.includes('sector') && !seesAll ? t.mine : t.all}
        </Typography.Title>
        {kinds.includes('sector') ? (
          <Space>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/leads/new')}>
              {t.newLead}
            </Button>
            <Button icon={<UploadOutlined />} onClick={() => navigate('/leads/import')}>
              {t.importLeads}
            </Button>
          </Space>
        ) : null}
      </Flex>
      {/* The filters' widgets (date picker, selects) load once the rows are drawn, not before them. */}
      <Suspense fallback={<div style={{ minHeight: 32 }} />}>
        {filtersShown ? (
          <LeadListFilters
            texts={t}
            month={month}
            status={status}
            sector={sector}
            sectorOptions={seesAll || ownSectors.length > 1 ? sectorOptions : undefined}
            anySector={seesAll}
            pageSize={pageSize}
            onFilter={setFilter}
            onPageSize={setPageSize}
          />
        ) : (
          <div style={{ minHeight: 32 }} />
        )}
      </Suspense>
      <ListTable<LeadSummary>
        caption={t.caption}
        emptyText={t.empty}
        failedTitle={t.failed}
        problem={problem}
        rows={page?.items ?? []}
        rowKey="leadId"
        columns={columns}
        loading={loading}
        paging={{
          page: stack.length + 1,
          nextCursor: page?.nextCursor,
          onNext: (next) => setCursors({ key: filterKey, stack: [...stack, next] }),
          onPrevious: () => setCursors({ key: filterKey, stack: stack.slice(0, -1) }),
        }}
      />
    </Space>
  );
}
