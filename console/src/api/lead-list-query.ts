import type { components } from './schema.d.ts';

/*
 * The 我的线索 query as the address gives it: pure, no client and no React, so the start-up script
 * (src/early.ts) asks for the first page with the very query the page will ask.
 */

export type LeadStatus = components['schemas']['LeadView']['status'];

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
