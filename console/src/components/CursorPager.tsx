import { Button, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTexts } from '../i18n/language.ts';

const texts = {
  zh: { previous: '上一页', next: '下一页', page: '第 {n} 页', paging: '翻页' },
  en: { previous: 'Previous', next: 'Next', page: 'Page {n}', paging: 'Paging' },
};

/**
 * Server paging by cursor: the API hands out the next page's cursor; going back re-asks with the cursor
 * that led to the page before (kept here), so no page is held in memory and a list of any size stays quick.
 */
export function useCursorPaging() {
  // cursors[i] is the cursor that asks page i + 1 (undefined: the first page).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length;
  const cursor = cursors[cursors.length - 1];
  const next = useCallback((nextCursor: string) => setCursors((kept) => [...kept, nextCursor]), []);
  const previous = useCallback(() => setCursors((kept) => (kept.length > 1 ? kept.slice(0, -1) : kept)), []);
  const reset = useCallback(() => setCursors([undefined]), []);
  return { cursor, page, next, previous, reset };
}

export function CursorPager({
  page,
  nextCursor,
  onNext,
  onPrevious,
  loading,
}: {
  page: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  loading?: boolean;
}) {
  const t = useTexts(texts);
  return (
    <nav aria-label={t.paging}>
      <Space style={{ marginTop: 16 }}>
        <Button onClick={onPrevious} disabled={page <= 1 || loading === true}>
          {t.previous}
        </Button>
        <Typography.Text>{t.page.replace('{n}', String(page))}</Typography.Text>
        <Button
          onClick={() => nextCursor != null && onNext(nextCursor)}
          disabled={nextCursor == null || loading === true}
        >
          {t.next}
        </Button>
      </Space>
    </nav>
  );
}
