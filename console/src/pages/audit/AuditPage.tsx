import { Alert, AutoComplete, Button, Card, DatePicker, Form, Input, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { type ChangeEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { QUIET_TEXT } from '../../components/a11y.ts';
import { useCursorPaging } from '../../components/CursorPager.tsx';
import { definedOnly, ExportButtons } from '../../components/ExportButtons.tsx';
import { formatInstant } from '../../components/instant.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { type Language, useLanguage, useTexts } from '../../i18n/language.ts';

type AuditEntry = components['schemas']['AuditPage']['items'][number];
type Verification = components['schemas']['Verification'];
type Digest = components['schemas']['Digest'];
type BrokenReason = Extract<Verification, { ok: false }>['reason'];

const texts = {
  zh: {
    title: '审计',
    chainTitle: '审计链',
    chainIntro:
      '审计记录分布在多条哈希链上（按对象分片），每条记录都含有同链前一条的哈希，任何改动、删除或插入都会使链断开；每分钟把所有链头汇成一个摘要（默克尔根）。验证会走完每条链和摘要链；保存一份摘要到系统之外，以后可核对此前的记录未被改动。',
    verify: '验证审计链',
    download: '下载摘要',
    ok: '审计链完整',
    okDetail: '已核验 {checked} 条记录，链头为第 {seq} 条，哈希 {hash}',
    broken: '审计链在第 {seq} 条处断开',
    brokenReason: '原因：{reason}',
    brokenChain: '断开的链：{chain}',
    attributes: '不一致的字段：{attributes}',
    checked: '已核验 {checked} 条记录',
    keptTitle: '按保存的摘要验证',
    keptIntro: '填入之前下载的摘要中的 seq 与 hash，或直接读取摘要文件。',
    digestSeq: '摘要序号（seq）',
    digestHash: '摘要哈希（hash）',
    digestFile: '读取摘要文件',
    verifyKept: '按摘要验证',
    digestSeqRequired: '请输入摘要序号',
    digestHashRequired: '请输入 64 位十六进制哈希',
    fileUnreadable: '文件不是本系统下载的摘要（缺少 seq 或 hash）',
    digestTaken: '摘要已下载：第 {seq} 条，哈希 {hash}',
    searchTitle: '审计记录查询',
    subject: '对象（线索编号等）',
    actor: '操作人',
    action: '操作',
    period: '期间',
    search: '查询',
    clear: '清除',
    caption: '审计记录（最新在前）',
    seq: '序号',
    at: '时间',
    details: '详情',
    hash: '哈希',
    empty: '没有符合条件的审计记录',
    failed: '请求失败',
    from: '开始日期',
    to: '结束日期',
  },
  en: {
    title: 'Audit',
    chainTitle: 'Audit chain',
    chainIntro:
      'Audit entries are spread over several hash chains (sharded by subject); every entry holds the hash of the one before it in its chain, so any change, deletion or insertion breaks it; every minute all chain heads are hashed into one digest (a Merkle root). Verification walks every chain and the digest chain; keep a digest outside the system to check later that nothing before it changed.',
    verify: 'Verify the audit chain',
    download: 'Download digest',
    ok: 'The audit chain is intact',
    okDetail: '{checked} entries checked; the head is entry {seq}, hash {hash}',
    broken: 'The audit chain is broken at entry {seq}',
    brokenReason: 'Reason: {reason}',
    brokenChain: 'Broken chain: {chain}',
    attributes: 'Attributes that disagree: {attributes}',
    checked: '{checked} entries checked',
    keptTitle: 'Verify against a kept digest',
    keptIntro: 'Enter the seq and hash of a digest you downloaded earlier, or read the digest file.',
    digestSeq: 'Digest seq',
    digestHash: 'Digest hash',
    digestFile: 'Read a digest file',
    verifyKept: 'Verify against the digest',
    digestSeqRequired: 'Enter the digest seq',
    digestHashRequired: 'Enter the 64-character hex hash',
    fileUnreadable: 'The file is not a digest of this system (no seq or hash)',
    digestTaken: 'Digest downloaded: entry {seq}, hash {hash}',
    searchTitle: 'Audit history',
    subject: 'Subject (lead id, …)',
    actor: 'Actor',
    action: 'Action',
    period: 'Period',
    search: 'Search',
    clear: 'Clear',
    caption: 'Audit entries, newest first',
    seq: 'Seq',
    at: 'At',
    details: 'Details',
    hash: 'Hash',
    empty: 'No audit entry matches',
    failed: 'The request failed',
    from: 'Start date',
    to: 'End date',
  },
};

const REASONS: Record<BrokenReason, { zh: string; en: string }> = {
  gap: { zh: '序号不连续，有记录缺失', en: 'a gap in the sequence: an entry is missing' },
  hash_mismatch: {
    zh: '记录内容与其哈希不符，记录被改动过',
    en: 'the entry does not match its hash: it was changed',
  },
  prev_hash_mismatch: {
    zh: '记录与前一条的链接不符（前序哈希不一致）',
    en: 'the link to the entry before does not match (previous hash)',
  },
  index_mismatch: {
    zh: '查询索引中的字段与已哈希的记录不一致（如操作人被改写）',
    en: 'indexed attributes disagree with the hashed entry (an actor rewritten, say)',
  },
  head_mismatch: { zh: '链头记录与最后一条记录不符', en: 'the head record does not match the last entry' },
  digest_mismatch: {
    zh: '与保存的摘要不符：链在摘要之后被替换或截断',
    en: 'does not match the kept digest: the chain was replaced or cut after it',
  },
  root_mismatch: {
    zh: '摘要的默克尔根与其所列链头不符：摘要被改动过',
    en: 'the digest’s Merkle root does not match the heads it lists: the digest was changed',
  },
};

/** The audited actions, with their names for people (free text is accepted too). */
const ACTIONS: Record<string, { zh: string; en: string }> = {
  'lead.received': { zh: '受理线索', en: 'lead received' },
  'lead.evaluated': { zh: '评估决定', en: 'lead evaluated' },
  'lead.evaluation_failed': { zh: '评估失败', en: 'evaluation failed' },
  'lead.actual_investment_reported': { zh: '登记实际投资', en: 'actual investment reported' },
  'fund.reserved': { zh: '基金预留', en: 'fund reserved' },
  'fund.adjusted': { zh: '基金调整', en: 'fund adjusted' },
  'fund.waitlisted': { zh: '进入候补', en: 'waitlisted' },
  'fund.waitlist_served': { zh: '候补获配', en: 'waitlist served' },
  'fund.waitlist_dropped': { zh: '退出候补', en: 'left the waitlist' },
  'fund.released_for_other_fund': { zh: '转至其他基金', en: 'released for another fund' },
  'fund.opened': { zh: '设立基金', en: 'fund opened' },
  'fund.topped_up': { zh: '追加基金', en: 'fund topped up' },
  'case.outcome_recorded': { zh: '登记一事一议结果', en: 'case outcome recorded' },
  'reward.approved': { zh: '批准奖励', en: 'reward approved' },
  'reward.rejected': { zh: '驳回', en: 'reward rejected' },
  'reward.paid': { zh: '标记已支付', en: 'reward paid' },
  'reward.stage_approved': { zh: '批准分期', en: 'stage approved' },
  'reward.stage_paid': { zh: '分期标记已支付', en: 'stage paid' },
  'reward.clawback_proposed': { zh: '申请追回', en: 'clawback proposed' },
  'reward.clawback_approved': { zh: '批准追回（冲减）', en: 'clawback approved (reversal)' },
  'reward.clawback_rejected': { zh: '驳回追回', en: 'clawback rejected' },
  'reward.clawback_refund_received': { zh: '追回退款到账', en: 'clawback refund received' },
  'reward.discretionary_proposed': { zh: '提出重奖', en: 'reward by decision proposed' },
  'reward.discretionary_signed_off': { zh: '签批重奖', en: 'reward by decision signed off' },
  'reward.discretionary_approved': {
    zh: '批准重奖（开始公示）',
    en: 'reward by decision approved (notice opened)',
  },
  'reward.discretionary_rejected': { zh: '驳回重奖', en: 'reward by decision rejected' },
  'reward.discretionary_paid': { zh: '重奖标记已支付', en: 'reward by decision paid' },
  'policy.published': { zh: '发布政策版本', en: 'policy published' },
};

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}

function actionName(action: string, language: Language): string {
  const name = ACTIONS[action];
  return name === undefined ? action : `${name[language]}（${action}）`;
}

export default function AuditPage() {
  const t = useTexts(texts);
  return (
    <section>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <ChainCard />
        <HistoryCard />
      </Space>
    </section>
  );
}

/** 验证审计链, the digest to download and a check against a kept digest. */
function ChainCard() {
  const t = useTexts(texts);
  const language = useLanguage();
  const [result, setResult] = useState<Verification>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState<'verify' | 'digest' | 'kept'>();
  const [taken, setTaken] = useState<Digest>();
  const [form] = Form.useForm<{ digestSeq: string; digestHash: string }>();
  const [fileProblem, setFileProblem] = useState<string>();

  const verify = async (digest?: { digestSeq: string; digestHash: string }) => {
    setBusy(digest === undefined ? 'verify' : 'kept');
    setProblem(undefined);
    setResult(undefined);
    const { data, error, response } = await api.GET('/audit/verify', {
      params: { query: digest === undefined ? {} : digest },
    });
    setBusy(undefined);
    if (data !== undefined) {
      setResult(data);
      return;
    }
    const answer = problemOf(error, response.status);
    const fields = (answer.errors ?? []).filter((e) => e.field === 'digestSeq' || e.field === 'digestHash');
    if (digest !== undefined && fields.length > 0) {
      form.setFields(
        fields.map((e) => ({ name: e.field as 'digestSeq' | 'digestHash', errors: [e.message] })),
      );
    } else {
      setProblem(answer);
    }
  };

  const download = async () => {
    setBusy('digest');
    setProblem(undefined);
    const { data, error, response } = await api.GET('/audit/digest');
    setBusy(undefined);
    if (data === undefined) {
      setProblem(problemOf(error, response.status));
      return;
    }
    setTaken(data);
    const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `audit-digest-${data.chain}-${data.seq}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    setFileProblem(undefined);
    const file = event.target.files?.[0];
    if (file === undefined) return;
    try {
      const kept = JSON.parse(await file.text()) as { seq?: unknown; hash?: unknown };
      if (typeof kept.seq !== 'number' || typeof kept.hash !== 'string') throw new Error('not a digest');
      form.setFieldsValue({ digestSeq: String(kept.seq), digestHash: kept.hash });
    } catch {
      setFileProblem(t.fileUnreadable);
    }
  };

  return (
    <Card title={<span>{t.chainTitle}</span>}>
      <Typography.Paragraph>{t.chainIntro}</Typography.Paragraph>
      <Space wrap>
        <Button type="primary" onClick={() => void verify()} loading={busy === 'verify'}>
          {t.verify}
        </Button>
        <Button onClick={() => void download()} loading={busy === 'digest'}>
          {t.download}
        </Button>
      </Space>
      <div aria-live="polite" style={{ marginTop: 16 }}>
        {result === undefined ? null : <VerificationResult result={result} language={language} />}
        {taken === undefined ? null : (
          <Typography.Paragraph style={{ marginTop: 8 }} data-testid="digest-taken">
            {fill(t.digestTaken, { seq: taken.seq, hash: taken.hash })}
          </Typography.Paragraph>
        )}
        {problem === undefined ? null : (
          <Alert type="error" showIcon title={problem.title || t.failed} description={problem.detail} />
        )}
      </div>
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 24 }}>
        {t.keptTitle}
      </Typography.Title>
      <Typography.Paragraph>{t.keptIntro}</Typography.Paragraph>
      <Form
        form={form}
        name="keptDigest"
        layout="vertical"
        onFinish={(values) => void verify(values)}
        style={{ maxWidth: 720 }}
      >
        <Form.Item
          label={t.digestFile}
          htmlFor="digest-file"
          validateStatus={fileProblem ? 'error' : undefined}
          help={fileProblem}
        >
          <input
            id="digest-file"
            type="file"
            accept="application/json,.json"
            onChange={(event) => void readFile(event)}
          />
        </Form.Item>
        <Form.Item
          label={t.digestSeq}
          name="digestSeq"
          rules={[{ required: true, pattern: /^[1-9]\d{0,15}$/, message: t.digestSeqRequired }]}
        >
          <Input style={{ width: 200 }} inputMode="numeric" />
        </Form.Item>
        <Form.Item
          label={t.digestHash}
          name="digestHash"
          rules={[{ required: true, pattern: /^[0-9a-f]{64}$/, message: t.digestHashRequired }]}
        >
          <Input style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Button htmlType="submit" loading={busy === 'kept'}>
          {t.verifyKept}
        </Button>
      </Form>
    </Card>
  );
}

function VerificationResult({ result, language }: { result: Verification; language: Language }) {
  const t = useTexts(texts);
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="verification"
        title={`✓ ${t.ok}`}
        description={fill(t.okDetail, {
          checked: result.checked,
          seq: result.head.seq,
          hash: result.head.hash,
        })}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      data-testid="verification"
      title={`✗ ${fill(t.broken, { seq: result.firstBrokenSeq })}`}
      description={
        <div>
          <div>{fill(t.brokenReason, { reason: REASONS[result.reason][language] })}</div>
          {result.chain === undefined ? null : <div>{fill(t.brokenChain, { chain: result.chain })}</div>}
          {result.attributes === undefined ? null : (
            <div>{fill(t.attributes, { attributes: result.attributes.join(', ') })}</div>
          )}
          <div>{fill(t.checked, { checked: result.checked })}</div>
          <div style={QUIET_TEXT}>{result.detail}</div>
        </div>
      }
    />
  );
}

interface Filters {
  subject?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** The history search: subject, actor, action and period, newest first, paged by cursor. */
function HistoryCard() {
  const t = useTexts(texts);
  const language = useLanguage();
  const [form] = Form.useForm<{
    subject?: string;
    actor?: string;
    action?: string;
    period?: [Dayjs | null, Dayjs | null] | null;
  }>();
  const [filters, setFilters] = useState<Filters>({});
  const paging = useCursorPaging();
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem>();
  const { cursor, reset } = paging;

  useEffect(() => {
    let current = true;
    setLoading(true);
    void api
      .GET('/audit', {
        params: { query: { ...filters, ...(cursor === undefined ? {} : { cursor }), limit: '20' } },
      })
      .then(({ data, error, response }) => {
        if (!current) return;
        setLoading(false);
        if (data === undefined) {
          const answer = problemOf(error, response.status);
          const names = ['subject', 'actor', 'action'];
          const onFields = (answer.errors ?? []).filter(
            (e) => names.includes(e.field) || e.field === 'from' || e.field === 'to',
          );
          if (onFields.length > 0) {
            form.setFields(
              onFields.map((e) => ({
                name: (names.includes(e.field) ? e.field : 'period') as
                  | 'subject'
                  | 'actor'
                  | 'action'
                  | 'period',
                errors: [e.message],
              })),
            );
          }
          setProblem(answer);
          return;
        }
        setProblem(undefined);
        setItems(data.items);
        setNextCursor(data.nextCursor);
      });
    return () => {
      current = false;
    };
  }, [filters, cursor, form]);

  const search = (values: {
    subject?: string;
    actor?: string;
    action?: string;
    period?: [Dayjs | null, Dayjs | null] | null;
  }) => {
    const trimmed = (value: string | undefined) =>
      value === undefined || value.trim() === '' ? undefined : value.trim();
    const from = values.period?.[0]?.format('YYYY-MM-DD');
    const to = values.period?.[1]?.format('YYYY-MM-DD');
    const next: Filters = {};
    const subject = trimmed(values.subject);
    const actor = trimmed(values.actor);
    const action = trimmed(values.action);
    if (subject !== undefined) next.subject = subject;
    if (actor !== undefined) next.actor = actor;
    if (action !== undefined) next.action = action;
    if (from !== undefined) next.from = from;
    if (to !== undefined) next.to = to;
    setFilters(next);
    reset();
  };

  const columns: ColumnsType<AuditEntry> = [
    { title: t.seq, dataIndex: 'seq', key: 'seq', width: 80 },
    { title: t.at, key: 'at', render: (_, entry) => formatInstant(entry.at, language) },
    {
      title: t.actor,
      key: 'actor',
      render: (_, entry) => (
        <span>
          {entry.actor.userId}
          <span style={{ ...QUIET_TEXT, display: 'block' }}>{entry.actor.role}</span>
        </span>
      ),
    },
    { title: t.action, key: 'action', render: (_, entry) => actionName(entry.action, language) },
    {
      title: t.subject,
      key: 'subject',
      render: (_, entry) =>
        entry.subject.startsWith('ld_') ? (
          <Link to={`/leads/${entry.subject}`}>{entry.subject}</Link>
        ) : (
          entry.subject
        ),
    },
    {
      title: t.details,
      key: 'details',
      render: (_, entry) => (
        <span style={{ display: 'inline-block', maxWidth: 300, wordBreak: 'break-all' }}>
          {Object.entries(entry.details)
            .map(([key, value]) => `${key}=${value === null ? '—' : String(value)}`)
            .join('；')}
        </span>
      ),
    },
    {
      title: t.hash,
      key: 'hash',
      render: (_, entry) => (
        <code title={entry.hash} style={{ fontSize: 12 }}>
          {entry.hash.slice(0, 12)}…
        </code>
      ),
    },
  ];

  return (
    <Card title={<span>{t.searchTitle}</span>}>
      <Form
        form={form}
        name="auditSearch"
        layout="inline"
        onFinish={search}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item label={t.subject} name="subject">
          <Input style={{ width: 220 }} allowClear />
        </Form.Item>
        <Form.Item label={t.actor} name="actor">
          <Input style={{ width: 160 }} allowClear />
        </Form.Item>
        <Form.Item label={t.action} name="action">
          <AutoComplete
            style={{ width: 260 }}
            allowClear
            options={Object.keys(ACTIONS).map((value) => ({ value, label: actionName(value, language) }))}
            filterOption={(input, option) =>
              (option?.value ?? '').includes(input) || String(option?.label ?? '').includes(input)
            }
          />
        </Form.Item>
        <Form.Item label={t.period} name="period">
          <DatePicker.RangePicker allowEmpty={[true, true]} placeholder={[t.from, t.to]} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t.search}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              search({});
            }}
          >
            {t.clear}
          </Button>
        </Space>
      </Form>
      <div style={{ marginBottom: 16 }}>
        <ExportButtons
          path="/audit/export"
          query={definedOnly({ subject: filters.subject, from: filters.from, to: filters.to })}
        />
      </div>
      <ListTable<AuditEntry>
        caption={t.caption}
        emptyText={t.empty}
        failedTitle={t.failed}
        problem={problem}
        rows={items}
        rowKey={(entry) => `${entry.chain}:${entry.seq}`}
        columns={columns}
        loading={loading}
        paging={{ page: paging.page, nextCursor, onNext: paging.next, onPrevious: paging.previous }}
      />
    </Card>
  );
}
