import { api } from './client.ts';
import type { components } from './schema.d.ts';

/*
 * The 我的线索 query, read from the address the same way by the page and by the start-up prefetch. Kept out
 * of the page's chunk (no antd, no dayjs): the console asks for the first page of leads while it is still
 * loading the page and `GET /me`, instead of after both, and the page takes that answer when it asks the same.
 */

export type LeadStatus = components['schemas']['LeadView']['status'];
type LeadListAnswer = Awaited<ReturnType<typeof fetchLeadPage>>;

/** Every status of a lead, in the order of its lifecycle. */
export const LEAD_STATUSES: readonly LeadStatus[] = [
  'RECEIVED',
  'EVALUATED',
  'PENDING_FINANCE',
  'PENDING_CASE_REVIEW',
  'APPROVED',
  'REJECTED',
  'PAID',
];

export const PAGE_SIZES = [20, 50, 100] as const;

export interface LeadListFilters {
  readonly status: LeadStatus | undefined;
  /** YYYY-MM */
  readonly month: string | undefined;
  readonly sector: string | undefined;
}

/** The filters the address holds; anything malformed is ignored, as if absent. */
export function filtersOf(search: URLSearchParams): LeadListFilters {
  const status = search.get('status') ?? '';
  const month = search.get('month') ?? '';
  return {
    status: (LEAD_STATUSES as readonly string[]).includes(status) ? (status as LeadStatus) : undefined,
    month: /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : undefined,
    sector: search.get('sector') ?? undefined,
  };
}

/** A month (YYYY-MM) as the API's from/to: its first and last day (the API reads days in Beijing time). */
export function monthRange(month: string): { from: string; to: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(lastDay).padStart(2, '0')}` };
}

/** The query parameters of `GET /leads` for these filters, this page size and cursor. */
export function leadListQuery(
  filters: LeadListFilters,
  pageSize: number,
  cursor: string | undefined,
): Record<string, string> {
  return {
    ...(filters.status === undefined ? {} : { status: filters.status }),
    ...(filters.sector === undefined ? {} : { sector: filters.sector }),
    ...(filters.month === undefined ? {} : monthRange(filters.month)),
    ...(cursor === undefined ? {} : { cursor }),
    limit: String(pageSize),
  };
}

function fetchLeadPage(query: Record<string, string>) {
  return api.GET('/leads', { params: { query } });
}

// At most one answer waits, for the first page the address asked for; it is taken once. `settled` holds it
// once it came, so the page can draw its rows in its very first render.
let prefetched: { key: string; answer: Promise<LeadListAnswer>; settled?: LeadListAnswer } | undefined;

/** Starts `GET /leads` for the first page the address shows, with the default page size. */
export function prefetchLeadList(search: URLSearchParams): void {
  const query = leadListQuery(filtersOf(search), PAGE_SIZES[0], undefined);
  const answer = fetchLeadPage(query);
  const waiting: NonNullable<typeof prefetched> = { key: JSON.stringify(query), answer };
  // A failure is the page's to show when it asks; nothing is reported here.
  answer.then(
    (settled) => {
      waiting.settled = settled;
    },
    () => undefined,
  );
  prefetched = waiting;
}

type LeadPage = NonNullable<LeadListAnswer['data']>;

/**
 * The prefetched first page, if it already came with rows for this very query (taken: asked once). The page
 * starts from it instead of drawing an empty table with a spinner and then the rows, two renders on the
 * cold load's critical path.
 */
export function takeAnsweredLeadPage(query: Record<string, string>): LeadPage | undefined {
  const data = prefetched?.settled?.data;
  if (data === undefined || prefetched?.key !== JSON.stringify(query)) return undefined;
  prefetched = undefined;
  return data;
}

/** The page's request: the prefetched answer when it asked the very same, otherwise a new request. */
export function loadLeadPage(query: Record<string, string>): Promise<LeadListAnswer> {
  const waiting = prefetched;
  prefetched = undefined;
  if (waiting !== undefined && waiting.key === JSON.stringify(query)) return waiting.answer;
  return fetchLeadPage(query);
}
