import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { downloadFile, type ExportFormat } from '../api/download.ts';
import { useTexts } from '../i18n/language.ts';

const texts = {
  zh: { xlsx: '导出 Excel', csv: '导出 CSV', failed: '导出失败', group: '导出' },
  en: { xlsx: 'Export Excel', csv: 'Export CSV', failed: 'Export failed', group: 'Export' },
};

/**
 * 导出: the list or report as .xlsx or .csv, through `path` with the page's own filters (`query`) and the
 * chosen `format`; the API names the file. A refusal is shown in the API's words.
 */
export function ExportButtons({ path, query }: { path: string; query: Readonly<Record<string, string>> }) {
  const t = useTexts(texts);
  const { message } = App.useApp();
  const [busy, setBusy] = useState<ExportFormat>();

  async function exportAs(format: ExportFormat) {
    setBusy(format);
    try {
      await downloadFile(path, { ...query, format });
    } catch (error) {
      const problem = error as { title?: string; detail?: string };
      void message.error(`${t.failed}：${problem.title ?? ''}${problem.detail ? ` ${problem.detail}` : ''}`);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <Space.Compact aria-label={t.group}>
      {(['xlsx', 'csv'] as const).map((format) => (
        <Button
          key={format}
          icon={<DownloadOutlined />}
          loading={busy === format}
          disabled={busy !== undefined && busy !== format}
          onClick={() => void exportAs(format)}
        >
          {t[format]}
        </Button>
      ))}
    </Space.Compact>
  );
}

/** The query parameters that have a value (the API refuses empty ones). */
export function definedOnly(query: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}
