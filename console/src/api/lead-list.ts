import { takeEarlyAnswer } from '../early.ts';
import { answerOf, api } from './client.ts';
import { filtersOf, leadListQuery, PAGE_SIZES } from './lead-list-query.ts';

export {
  filtersOf,
  LEAD_STATUSES,
  type LeadListFilters,
  type LeadStatus,
  leadListQuery,
  monthRange,
  PAGE_SIZES,
} from './lead-list-query.ts';

/*
 * The first page of 我的线索 asked at start-up (the query as lead-list-query.ts reads the address), kept out of
 * the page's chunk (no antd, no dayjs): the page takes that answer when it asks the same, instead of asking
 * after the app and the page have loaded.
 */

function fetchLeadPage(query: Record<string, string>) {
  return api.GET('/leads', { params: { query } });
}

type LeadListAnswer = Awaited<ReturnType<typeof fetchLeadPage>>;

// At most one answer waits, for the first page the address asked for; it is taken once. `settled` holds it
// once it came, so the page can draw its rows in its very first render.
let prefetched: { key: string; answer: Promise<LeadListAnswer>; settled?: LeadListAnswer } | undefined;

/** Starts `GET /leads` for the first page the address shows, with the default page size. */
export function prefetchLeadList(search: URLSearchParams, token: string): Promise<unknown> {
  const query = leadListQuery(filtersOf(search), PAGE_SIZES[0], undefined);
  // Asked by the start-up script already (src/early.ts) when it could: taken over, not asked again.
  const early = takeEarlyAnswer(token, '/leads', query);
  const answer =
    early === undefined
      ? fetchLeadPage(query)
      : (answerOf(early) as Promise<unknown> as Promise<LeadListAnswer>);
  const waiting: NonNullable<typeof prefetched> = { key: JSON.stringify(query), answer };
  // A failure is the page's to show when it asks; nothing is reported here.
  answer.then(
    (settled) => {
      waiting.settled = settled;
    },
    () => undefined,
  );
  prefetched = waiting;
  return answer.catch(() => undefined);
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
