import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Progress, Radio, Space, Table, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, type Problem, problemOf } from '../../api/client.ts';
import { downloadFile } from '../../api/download.ts';
import type { components } from '../../api/schema.d.ts';
import { QUIET_TEXT, VISUALLY_HIDDEN } from '../../components/a11y.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { fill, useTexts } from '../../i18n/language.ts';

const texts = {
  zh: {
    title: '导入线索',
    intro:
      '下载导入模板，按“说明”工作表逐列填写后上传。每一行都按“新建线索”的同样规则校验；同一文件再次上传不会重复创建线索。',
    template: '下载导入模板',
    file: '导入文件',
    drop: '点击或将 .xlsx 文件拖到此处',
    limits: '最多 1000 行、5 MB；加密文件、旧版 .xls 与含未计算公式的单元格会被拒绝。',
    mode: '导入方式',
    acceptValid: '只导入有效行（其余行列出原因）',
    allOrNothing: '全部有效才导入（有一行有误则都不导入）',
    submit: '导入',
    failed: '导入失败',
    templateFailed: '模板下载失败',
    summary: '共读取 {rows} 行：接受 {accepted} 行，拒绝 {refused} 行，跳过示例行 {skipped} 行。',
    replayed: '此文件此前已导入，以下为当时的结果，没有新建线索。',
    progress: '已创建 {created} / {accepted} 条线索',
    complete: '全部线索已创建。',
    working: '正在后台创建线索……',
    acceptedTitle: '已接受的行',
    refusedTitle: '被拒绝的行',
    row: '行号',
    lead: '线索',
    pending: '创建中',
    column: '列',
    message: '原因',
    forbidden: '其他专班的线索（无权导入）',
    backToList: '返回我的线索',
  },
  en: {
    title: 'Import leads',
    intro:
      'Download the template, fill it in column by column as its 说明 sheet explains, and upload it. Every row is checked with the rules of New lead; uploading the same file again creates nothing new.',
    template: 'Download the template',
    file: 'File to import',
    drop: 'Click or drop an .xlsx file here',
    limits:
      'At most 1,000 rows and 5 MB; encrypted files, legacy .xls and cells with formulas never calculated are refused.',
    mode: 'Mode',
    acceptValid: 'Import the valid rows (the others are listed with why)',
    allOrNothing: 'All or nothing (one bad row and nothing is imported)',
    submit: 'Import',
    failed: 'The import failed',
    templateFailed: 'The template could not be downloaded',
    summary: '{rows} rows read: {accepted} accepted, {refused} refused, {skipped} example rows skipped.',
    replayed: 'This file was imported before: these are the results of then, and no new lead was created.',
    progress: '{created} of {accepted} leads created',
    complete: 'Every lead is created.',
    working: 'Creating the leads in the background…',
    acceptedTitle: 'Accepted rows',
    refusedTitle: 'Refused rows',
    row: 'Row',
    lead: 'Lead',
    pending: 'being created',
    column: 'Column',
    message: 'Why',
    forbidden: "Another sector's lead (not yours to import)",
    backToList: 'Back to my leads',
  },
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type ImportAnswer = components['schemas']['LeadImportAccepted'];
type RefusedRow = components['schemas']['ImportRefusedRow'];
type ImportView = components['schemas']['LeadImport'];
type Mode = ImportAnswer['mode'];

/**
 * 导入线索: the template, the upload, then each row's fate — the accepted rows with links to their leads
 * as the background creates them, the refused rows with the column and why.
 */
export default function LeadImportPage() {
  const t = useTexts(texts);
  const [file, setFile] = useState<File>();
  const [mode, setMode] = useState<Mode>('accept-valid');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [refusedByProblem, setRefusedByProblem] = useState<readonly RefusedRow[]>([]);
  const [answer, setAnswer] = useState<{ result: ImportAnswer; replayed: boolean }>();
  const view = useImportProgress(answer?.result);

  async function downloadTemplate() {
    try {
      await downloadFile('/imports/leads/template');
    } catch (error) {
      setProblem({ ...(error as Problem), title: `${t.templateFailed}：${(error as Problem).title}` });
    }
  }

  async function upload() {
    if (file === undefined) return;
    setBusy(true);
    setProblem(undefined);
    setRefusedByProblem([]);
    setAnswer(undefined);
    try {
      const { data, error, response } = await api.POST('/imports/leads', {
        params: { query: { mode } },
        // The file as it is: the API reads the bytes, not JSON.
        body: file as never,
        bodySerializer: (body: unknown) => body as Blob,
        headers: { 'content-type': XLSX },
      });
      if (data !== undefined) {
        setAnswer({ result: data, replayed: response.headers.get('idempotent-replayed') === 'true' });
      } else {
        const refused = (error as { rows?: RefusedRow[] } | undefined)?.rows ?? [];
        setProblem(problemOf(error, response.status));
        setRefusedByProblem(refused);
      }
    } catch {
      setProblem({ type: 'about:blank', title: t.failed, status: 0, detail: '' });
    } finally {
      setBusy(false);
    }
  }

  const refused = answer?.result.refused ?? refusedByProblem;

  return (
    <section>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Typography.Paragraph>{t.intro}</Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="vertical" onFinish={() => void upload()} style={{ maxWidth: 640 }}>
          <Form.Item>
            <Button icon={<DownloadOutlined />} onClick={() => void downloadTemplate()}>
              {t.template}
            </Button>
          </Form.Item>
          <Form.Item label={t.file} extra={t.limits} required>
            <Upload.Dragger
              accept=".xlsx"
              maxCount={1}
              // Sent by the form's own request below, not by antd's uploader.
              beforeUpload={(chosen) => {
                setFile(chosen);
                return false;
              }}
              onRemove={() => setFile(undefined)}
              fileList={
                file === undefined ? [] : [{ uid: 'chosen', name: file.name, status: 'done' as const }]
              }
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t.drop}</p>
            </Upload.Dragger>
          </Form.Item>
          <Form.Item label={<span id="import-mode-label">{t.mode}</span>}>
            <Radio.Group
              aria-labelledby="import-mode-label"
              value={mode}
              onChange={(event) => setMode(event.target.value as Mode)}
            >
              <Space orientation="vertical">
                <Radio value="accept-valid">{t.acceptValid}</Radio>
                <Radio value="all-or-nothing">{t.allOrNothing}</Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              icon={<UploadOutlined />}
              loading={busy}
              disabled={file === undefined}
            >
              {t.submit}
            </Button>
            <Link to="/leads">{t.backToList}</Link>
          </Space>
        </Form>
      </Card>
      <ProblemAlert problem={problem} fallbackTitle={t.failed} />
      {answer === undefined ? null : (
        <ImportSummary answer={answer.result} replayed={answer.replayed} view={view} />
      )}
      {answer === undefined || answer.result.accepted.length === 0 ? null : (
        <AcceptedRows answer={answer.result} view={view} />
      )}
      {refused.length === 0 ? null : <RefusedRows rows={refused} />}
    </section>
  );
}

/** Follows `GET /imports/leads/{importId}` until every accepted row has its lead. */
function useImportProgress(answer: ImportAnswer | undefined): ImportView | undefined {
  const [view, setView] = useState<ImportView>();
  useEffect(() => {
    setView(undefined);
    if (answer === undefined || answer.accepted.length === 0) return;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const { data } = await api.GET('/imports/leads/{importId}', {
        params: { path: { importId: answer.importId } },
      });
      if (!current) return;
      if (data !== undefined) setView(data);
      if (data?.status !== 'COMPLETE') timer = setTimeout(() => void poll(), 1000);
    };
    void poll();
    return () => {
      current = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [answer]);
  return view;
}

function ImportSummary({
  answer,
  replayed,
  view,
}: {
  answer: ImportAnswer;
  replayed: boolean;
  view: ImportView | undefined;
}) {
  const t = useTexts(texts);
  const accepted = answer.accepted.length;
  const created = view?.accepted.filter((row) => row.created).length ?? 0;
  const complete = view?.status === 'COMPLETE' || accepted === 0;
  return (
    <Alert
      type={answer.refused.length > 0 ? 'warning' : 'success'}
      showIcon
      style={{ marginBottom: 16 }}
      title={fill(t.summary, {
        rows: answer.rowCount,
        accepted,
        refused: answer.refused.length,
        skipped: answer.skipped.length,
      })}
      description={
        <Space orientation="vertical" style={{ width: '100%' }}>
          {replayed ? <span>{t.replayed}</span> : null}
          {accepted === 0 ? null : (
            <>
              <span role="status">{complete ? t.complete : t.working}</span>
              <Progress
                percent={Math.round((100 * created) / accepted)}
                showInfo={false}
                aria-label={fill(t.progress, { created, accepted })}
              />
              <span>{fill(t.progress, { created, accepted })}</span>
            </>
          )}
        </Space>
      }
    />
  );
}

function AcceptedRows({ answer, view }: { answer: ImportAnswer; view: ImportView | undefined }) {
  const t = useTexts(texts);
  const created = new Set(view?.accepted.filter((row) => row.created).map((row) => row.row));
  const columns: ColumnsType<ImportAnswer['accepted'][number]> = [
    { title: t.row, dataIndex: 'row', width: 90 },
    {
      title: t.lead,
      dataIndex: 'leadId',
      render: (leadId: string, row) =>
        created.has(row.row) ? (
          <Link to={`/leads/${encodeURIComponent(leadId)}`}>{leadId}</Link>
        ) : (
          <span style={QUIET_TEXT}>
            {leadId}（{t.pending}）
          </span>
        ),
    },
  ];
  return (
    <Card size="small" title={t.acceptedTitle} style={{ marginBottom: 16 }}>
      <Table
        rowKey="row"
        size="small"
        columns={columns}
        dataSource={answer.accepted}
        pagination={answer.accepted.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        caption={<span style={VISUALLY_HIDDEN}>{t.acceptedTitle}</span>}
      />
    </Card>
  );
}

function RefusedRows({ rows }: { rows: readonly RefusedRow[] }) {
  const t = useTexts(texts);
  // One line per problem: a row with three bad cells shows three lines under its number.
  const lines = rows.flatMap((row) =>
    row.errors.length === 0
      ? [{ key: `${row.row}`, row: row.row, column: '', message: row.status === 403 ? t.forbidden : '' }]
      : row.errors.map((error, index) => ({
          key: `${row.row}:${index}`,
          row: row.row,
          column: error.column,
          message: row.status === 403 ? `${t.forbidden}：${error.message}` : error.message,
        })),
  );
  const columns: ColumnsType<(typeof lines)[number]> = [
    { title: t.row, dataIndex: 'row', width: 90 },
    { title: t.column, dataIndex: 'column', width: 220 },
    { title: t.message, dataIndex: 'message' },
  ];
  return (
    <Card size="small" title={t.refusedTitle}>
      <Table
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={lines}
        pagination={lines.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        caption={<span style={VISUALLY_HIDDEN}>{t.refusedTitle}</span>}
      />
    </Card>
  );
}
