import { Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Key, ReactNode } from 'react';
import type { Problem } from '../api/client.ts';
import { QUIET_TEXT, VISUALLY_HIDDEN } from './a11y.ts';
import { CursorPager } from './CursorPager.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';

/** Where a list is in the server's pages (see useCursorPaging). */
export interface ListPaging {
  readonly page: number;
  readonly nextCursor: string | null | undefined;
  readonly onNext: (cursor: string) => void;
  readonly onPrevious: () => void;
}

/**
 * One page of a server-paged list as every list page shows it: why the last request failed (if it did),
 * the rows with a caption for screen readers and a quiet empty text, and the pager.
 */
export function ListTable<Row extends object>({
  caption,
  emptyText,
  failedTitle,
  problem,
  rows,
  rowKey,
  columns,
  loading,
  paging,
  summary,
}: {
  /** Read by screen readers (the page's title already says it to the eye). */
  readonly caption: string;
  readonly emptyText: string;
  /** The alert's title when the problem has none of its own. */
  readonly failedTitle: string;
  readonly problem: Problem | undefined;
  readonly rows: readonly Row[];
  readonly rowKey: (keyof Row & string) | ((row: Row) => Key);
  readonly columns: ColumnsType<Row>;
  readonly loading: boolean;
  readonly paging?: ListPaging;
  readonly summary?: (rows: readonly Row[]) => ReactNode;
}) {
  return (
    <>
      <ProblemAlert problem={problem} fallbackTitle={failedTitle} />
      {/* Narrow screens scroll the table sideways: a plain overflow box, not the table's own scroll.x, whose
          column-measuring row forces a layout before the first paint. */}
      <div style={{ overflowX: 'auto' }}>
        <Table<Row>
          rowKey={rowKey}
          columns={columns}
          dataSource={rows}
          loading={loading}
          pagination={false}
          caption={<span style={VISUALLY_HIDDEN}>{caption}</span>}
          locale={{ emptyText: <span style={QUIET_TEXT}>{emptyText}</span> }}
          {...(summary === undefined ? {} : { summary })}
        />
      </div>
      {paging === undefined ? null : (
        <CursorPager
          page={paging.page}
          nextCursor={paging.nextCursor}
          onNext={paging.onNext}
          onPrevious={paging.onPrevious}
          loading={loading}
        />
      )}
    </>
  );
}
