import { Alert, Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { type ReactNode, useRef, useState } from 'react';
import { Link } from 'react-router';
import { DEFAULT_POLICY } from '#shared/policy/default-policy.ts';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { AmountInput, amountRules } from '../../components/AmountInput.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useLanguage, useTexts } from '../../i18n/language.ts';
import { DEFAULT_FUND_ID } from '../finance/default-fund.ts';
import { lineAndColumn, lineOf, lineOfEachPath } from './json-paths.ts';

type FundView = components['schemas']['FundView'];
type Policy = components['schemas']['Policy'];

const texts = {
  zh: {
    title: '政策与基金管理',
    policyTitle: '发布政策版本',
    policyIntro:
      '模板是当前默认政策（kfq-2019）。请修改 version（新的版本号）与 effectiveFrom（生效时间，北京时间）及需要调整的规则后发布。已发布的版本永不修改；已有决定按其记录的版本重放。',
    policyJson: '政策 JSON',
    publish: '发布政策版本',
    reset: '恢复模板',
    published: '已发布政策版本 {version}，自 {from} 起生效',
    policyHash: '政策哈希',
    syntax: 'JSON 格式错误（第 {line} 行第 {column} 列）：{message}',
    problems: '政策未通过校验，以下字段有问题：',
    problemCount: '{count} 处问题，见下方列表',
    lineLabel: '第 {line} 行',
    goToLine: '定位到第 {line} 行',
    root: '（整个文档）',
    fundTitle: '设立专项基金',
    fundId: '基金编号',
    fundIdHelp: '小写字母、数字与短横线，如 conversion-2027',
    fundIdRequired: '请输入基金编号',
    total: '基金总额',
    openFund: '设立基金',
    opened: '已设立专项基金 {fund}，总额 {total}',
    topUpTitle: '追加专项基金',
    amount: '追加金额',
    topUp: '追加',
    toppedUp: '已向 {fund} 追加：现总额 {total}，可用 {available}',
    viewFund: '查看基金',
    failed: '未完成',
  },
  en: {
    title: 'Policies and funds',
    policyTitle: 'Publish a policy version',
    policyIntro:
      'The template is the current default policy (kfq-2019). Change version (a new version id), effectiveFrom (Asia/Shanghai) and the rules you mean to change, then publish. A published version is never edited; existing decisions replay with the version they recorded.',
    policyJson: 'Policy JSON',
    publish: 'Publish policy version',
    reset: 'Restore the template',
    published: 'Published policy version {version}, in effect from {from}',
    policyHash: 'Policy hash',
    syntax: 'The JSON does not parse (line {line}, column {column}): {message}',
    problems: 'The policy is not valid; these fields have problems:',
    problemCount: '{count} problems, listed below',
    lineLabel: 'line {line}',
    goToLine: 'Go to line {line}',
    root: '(the whole document)',
    fundTitle: 'Open a fund',
    fundId: 'Fund id',
    fundIdHelp: 'lower-case letters, digits and dashes, e.g. conversion-2027',
    fundIdRequired: 'Enter a fund id',
    total: 'Fund total',
    openFund: 'Open fund',
    opened: 'Opened fund {fund} with {total}',
    topUpTitle: 'Top up a fund',
    amount: 'Amount to add',
    topUp: 'Top up',
    toppedUp: 'Topped up {fund}: total now {total}, available {available}',
    viewFund: 'View fund',
    failed: 'Not done',
  },
};

type Texts = (typeof texts)['zh'];

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}

const TEMPLATE = `${JSON.stringify(DEFAULT_POLICY, null, 2)}\n`;

export default function AdminPage() {
  const t = useTexts(texts);
  return (
    <section>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <PolicyCard t={t} />
        <OpenFundCard t={t} />
        <TopUpCard t={t} />
      </Space>
    </section>
  );
}

interface PathProblem {
  readonly field: string;
  readonly message: string;
  readonly line: number | undefined;
}

/** Publish a policy: the JSON as typed, its problems listed on their JSON paths with the line of each. */
function PolicyCard({ t }: { t: Texts }) {
  const [form] = Form.useForm<{ policy: string }>();
  const editor = useRef<HTMLTextAreaElement | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReactNode>();
  const [pathProblems, setPathProblems] = useState<PathProblem[]>([]);
  const [problem, setProblem] = useState<Problem>();

  const goTo = (line: number) => {
    const area = editor.current;
    if (area === null) return;
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    // Bring the line into view: the textarea scrolls to the selection only in some browsers.
    area.scrollTop = Math.max(0, (line - 5) * (area.scrollHeight / Math.max(1, lines.length)));
  };

  const publish = async ({ policy }: { policy: string }) => {
    setOutcome(undefined);
    setPathProblems([]);
    setProblem(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(policy);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const offset = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
      const where = Number.isNaN(offset) ? { line: 1, column: 1 } : lineAndColumn(policy, offset);
      form.setFields([{ name: 'policy', errors: [fill(t.syntax, { ...where, message })] }]);
      return;
    }
    setBusy(true);
    const { data, error, response } = await api.POST('/policies', { body: parsed as Policy });
    setBusy(false);
    if (data !== undefined) {
      setOutcome(
        <Alert
          type="success"
          showIcon
          title={fill(t.published, { version: data.version, from: data.effectiveFrom })}
          description={`${t.policyHash}: ${data.policyHash}`}
        />,
      );
      return;
    }
    const answer = problemOf(error, response.status);
    if (answer.errors !== undefined && answer.errors.length > 0) {
      const lines = lineOfEachPath(policy);
      setPathProblems(
        answer.errors.map((entry) => {
          const path = entry.field === '(root)' ? '' : entry.field;
          return { field: entry.field, message: entry.message, line: lineOf(lines, path) };
        }),
      );
      form.setFields([{ name: 'policy', errors: [fill(t.problemCount, { count: answer.errors.length })] }]);
      return;
    }
    setProblem(answer);
  };

  return (
    <Card title={<span>{t.policyTitle}</span>}>
      <Typography.Paragraph>{t.policyIntro}</Typography.Paragraph>
      <Form
        form={form}
        name="publishPolicy"
        aria-label={t.policyTitle}
        layout="vertical"
        initialValues={{ policy: TEMPLATE }}
        onFinish={(v) => void publish(v)}
      >
        <Form.Item label={t.policyJson} name="policy" rules={[{ required: true, message: t.policyJson }]}>
          <Input.TextArea
            ref={(instance) => {
              editor.current = instance?.resizableTextArea?.textArea ?? null;
            }}
            rows={18}
            spellCheck={false}
            style={{ fontFamily: 'monospace', fontSize: 13 }}
          />
        </Form.Item>
        {pathProblems.length === 0 ? null : (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t.problems}
            style={{ marginBottom: 16 }}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="policy-problems">
                {pathProblems.map((entry) => (
                  <li key={`${entry.field}:${entry.message}`}>
                    <code>{entry.field === '(root)' ? t.root : entry.field}</code>
                    {'：'}
                    {entry.message}
                    {entry.line === undefined ? null : (
                      <>
                        {' '}
                        <Button
                          type="link"
                          size="small"
                          onClick={() => goTo(entry.line ?? 1)}
                          aria-label={fill(t.goToLine, { line: entry.line })}
                          style={{ paddingInline: 4, color: '#173f7a' }}
                        >
                          {fill(t.lineLabel, { line: entry.line })}
                        </Button>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <ProblemAlert problem={problem} fallbackTitle={t.failed} />
        {outcome === undefined ? null : <div style={{ marginBottom: 16 }}>{outcome}</div>}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t.publish}
          </Button>
          <Button
            onClick={() => {
              form.setFieldsValue({ policy: TEMPLATE });
              setPathProblems([]);
              setProblem(undefined);
              form.setFields([{ name: 'policy', errors: [] }]);
            }}
          >
            {t.reset}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

/** Puts each field problem of an answer on its form field; the rest becomes the problem shown above. */
function placeProblems<Values>(
  form: ReturnType<typeof Form.useForm<Values>>[0],
  answer: Problem,
  fieldOf: Record<string, string>,
): Problem | undefined {
  const placed = (answer.errors ?? []).filter((entry) => fieldOf[entry.field] !== undefined);
  if (placed.length === 0) return answer;
  form.setFields(
    placed.map((entry) => ({
      name: fieldOf[entry.field] ?? entry.field,
      errors: [entry.message],
    })) as Parameters<typeof form.setFields>[0],
  );
  return placed.length === (answer.errors ?? []).length ? undefined : answer;
}

function OpenFundCard({ t }: { t: Texts }) {
  const language = useLanguage();
  const [form] = Form.useForm<{ fundId: string; total: string }>();
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<FundView>();
  const [problem, setProblem] = useState<Problem>();

  const open = async ({ fundId, total }: { fundId: string; total: string }) => {
    setBusy(true);
    setOpened(undefined);
    setProblem(undefined);
    const { data, error, response } = await api.POST('/funds', {
      body: { fundId: fundId.trim(), total: total.trim() },
    });
    setBusy(false);
    if (data !== undefined) {
      setOpened(data);
      return;
    }
    setProblem(placeProblems(form, problemOf(error, response.status), { fundId: 'fundId', total: 'total' }));
  };

  return (
    <Card title={<span>{t.fundTitle}</span>}>
      <Form
        form={form}
        name="openFund"
        aria-label={t.fundTitle}
        layout="vertical"
        onFinish={(values) => void open(values)}
        style={{ maxWidth: 560 }}
      >
        <Form.Item
          label={t.fundId}
          name="fundId"
          extra={t.fundIdHelp}
          rules={[{ required: true, whitespace: true, message: t.fundIdRequired }]}
        >
          <Input style={{ maxWidth: 320 }} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t.total}
          name="total"
          rules={amountRules(language, { required: true, positive: true })}
        >
          <AmountInput placeholder="5000万" />
        </Form.Item>
        <ProblemAlert problem={problem} fallbackTitle={t.failed} />
        {opened === undefined ? null : (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            title={fill(t.opened, { fund: opened.fundId, total: opened.totalText })}
            description={<Link to={`/funds/${opened.fundId}`}>{t.viewFund}</Link>}
          />
        )}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t.openFund}
        </Button>
      </Form>
    </Card>
  );
}

function TopUpCard({ t }: { t: Texts }) {
  const language = useLanguage();
  const [form] = Form.useForm<{ fundId: string; amount: string }>();
  const [busy, setBusy] = useState(false);
  const [fund, setFund] = useState<FundView>();
  const [problem, setProblem] = useState<Problem>();

  const topUp = async ({ fundId, amount }: { fundId: string; amount: string }) => {
    setBusy(true);
    setFund(undefined);
    setProblem(undefined);
    const { data, error, response } = await api.POST('/funds/{fundId}/top-up', {
      params: { path: { fundId: fundId.trim() } },
      body: { amount: amount.trim() },
    });
    setBusy(false);
    if (data !== undefined) {
      setFund(data);
      return;
    }
    setProblem(
      placeProblems(form, problemOf(error, response.status), { fundId: 'fundId', amount: 'amount' }),
    );
  };

  return (
    <Card title={<span>{t.topUpTitle}</span>}>
      <Form
        form={form}
        name="topUp"
        aria-label={t.topUpTitle}
        layout="vertical"
        initialValues={{ fundId: DEFAULT_FUND_ID }}
        onFinish={(values) => void topUp(values)}
        style={{ maxWidth: 560 }}
      >
        <Form.Item
          label={t.fundId}
          name="fundId"
          rules={[{ required: true, whitespace: true, message: t.fundIdRequired }]}
        >
          <Input style={{ maxWidth: 320 }} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t.amount}
          name="amount"
          rules={amountRules(language, { required: true, positive: true })}
        >
          <AmountInput placeholder="1000万" />
        </Form.Item>
        <ProblemAlert problem={problem} fallbackTitle={t.failed} />
        {fund === undefined ? null : (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            title={fill(t.toppedUp, {
              fund: fund.fundId,
              total: fund.totalText,
              available: fund.availableText,
            })}
            description={
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t.viewFund}>
                  <Link to={`/funds/${fund.fundId}`}>{fund.fundId}</Link>
                </Descriptions.Item>
              </Descriptions>
            }
          />
        )}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t.topUp}
        </Button>
      </Form>
    </Card>
  );
}
