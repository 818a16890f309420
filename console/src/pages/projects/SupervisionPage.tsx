import { App, Button, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { roleKinds, useMe } from '../../auth/me.ts';
import { QUIET_TEXT } from '../../components/a11y.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { fill, useLanguage, useTexts } from '../../i18n/language.ts';
import { type Level, LevelTag, levelName } from './project-names.tsx';

type Item = components['schemas']['SupervisionItem'];

const texts = {
  zh: {
    title: '督办',
    intro:
      '每天 8:00（北京时间）为红灯、黄灯项目和逾期未报的月度进度开立督办事项；逾期未办结依次升级为蓝色提醒、黄色预警、红色约谈（点名帮包领导）。',
    filters: '筛选',
    status: '状态',
    open: '未办结',
    resolved: '已办结',
    level: '级别',
    allLevels: '全部级别',
    caption: '督办事项列表',
    project: '项目名称',
    cause: '事由',
    light: '红黄绿灯',
    overdue: '月度进度逾期未报',
    owner: '责任专员',
    escalatedTo: '约谈领导',
    deadline: '办结期限',
    opened: '开立日期',
    resolve: '办结',
    resolveTitle: '办结督办事项',
    note: '办结说明',
    noteRequired: '请填写办结说明',
    confirm: '确认办结',
    cancel: '取消',
    done: '已办结',
    resolvedBy: '{by} 于 {at} 办结：{note}',
    empty: '没有督办事项',
    failed: '无法读取督办事项',
  },
  en: {
    title: 'Supervision',
    intro:
      'Every morning at 08:00 Beijing time an item is opened for each red or yellow project and each overdue monthly report; unresolved past its deadline it escalates: blue reminder, yellow warning, red talk with the 帮包 leader.',
    filters: 'Filters',
    status: 'Status',
    open: 'Open',
    resolved: 'Resolved',
    level: 'Level',
    allLevels: 'All levels',
    caption: 'Supervision items',
    project: 'Project',
    cause: 'Cause',
    light: 'Light',
    overdue: 'Monthly report overdue',
    owner: 'Commissioner',
    escalatedTo: 'Leader',
    deadline: 'Deadline',
    opened: 'Opened',
    resolve: 'Resolve',
    resolveTitle: 'Resolve the item',
    note: 'Resolution note',
    noteRequired: 'Write what was done',
    confirm: 'Resolve',
    cancel: 'Cancel',
    done: 'Resolved',
    resolvedBy: 'Resolved by {by} at {at}: {note}',
    empty: 'No supervision item',
    failed: 'Could not read the supervision items',
  },
};

/** 督办: the items of the daily run, open ones first; the project's team (or the admin) resolves them. */
export default function SupervisionPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const { message } = App.useApp();
  const { me } = useMe();
  const [search, setSearch] = useSearchParams();
  const status = search.get('status') === 'resolved' ? 'resolved' : 'open';
  const level = ['blue', 'yellow', 'red'].includes(search.get('level') ?? '')
    ? (search.get('level') as Level)
    : undefined;
  const [items, setItems] = useState<Item[]>([]);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem>();
  const [resolving, setResolving] = useState<Item>();
  const [form] = Form.useForm<{ note: string }>();

  const load = useCallback(async () => {
    setLoading(true);
    const { data, error, response } = await api.GET('/supervision', {
      params: { query: { status, ...(level === undefined ? {} : { level }) } },
    });
    setLoading(false);
    if (data === undefined) setProblem(problemOf(error, response.status));
    else {
      setProblem(undefined);
      setItems(data.items);
    }
  }, [status, level]);
  useEffect(() => {
    void load();
  }, [load]);

  const setFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value === undefined || value === '') next.delete(name);
    else next.set(name, value);
    setSearch(next, { replace: true });
  };
  const mayResolve = (item: Item) =>
    roleKinds(me).includes('admin') || (me?.sectors ?? []).some((sector) => sector.code === item.sector);

  const columns: ColumnsType<Item> = [
    {
      title: t.project,
      key: 'project',
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/projects/${item.projectId}?month=${item.month}`}>{item.projectName}</Link>
          <Typography.Text style={QUIET_TEXT}>{item.month}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t.level,
      key: 'level',
      render: (_, item) => <LevelTag level={item.level} language={language} />,
    },
    {
      title: t.cause,
      key: 'cause',
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <span>{item.cause === 'report_overdue' ? t.overdue : t.light}</span>
          {item.reasons.map((reason) => (
            <Typography.Text key={reason.code} style={{ ...QUIET_TEXT, maxWidth: 280, display: 'block' }}>
              {reason.text[language]}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    { title: t.owner, key: 'owner', render: (_, item) => item.owner },
    { title: t.escalatedTo, key: 'escalatedTo', render: (_, item) => item.escalatedTo ?? '' },
    { title: t.opened, key: 'opened', render: (_, item) => item.openedOn },
    { title: t.deadline, key: 'deadline', render: (_, item) => item.deadline },
    {
      title: t.status,
      key: 'status',
      render: (_, item) =>
        item.status === 'resolved' ? (
          <Typography.Text style={{ display: 'block', maxWidth: 240 }}>
            {fill(t.resolvedBy, {
              by: item.resolvedBy?.userId ?? '',
              at: (item.resolvedAt ?? '').slice(0, 10),
              note: item.resolution ?? '',
            })}
          </Typography.Text>
        ) : mayResolve(item) ? (
          <Button onClick={() => setResolving(item)} aria-label={`${t.resolve} ${item.projectName}`}>
            {t.resolve}
          </Button>
        ) : (
          t.open
        ),
    },
  ];

  return (
    <section>
      <Typography.Title level={2}>{t.title}</Typography.Title>
      <Typography.Paragraph>{t.intro}</Typography.Paragraph>
      <Form layout="inline" aria-label={t.filters} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={<span id="supervision-status-label">{t.status}</span>}>
          <Radio.Group
            aria-labelledby="supervision-status-label"
            optionType="button"
            value={status}
            onChange={(event) => setFilter('status', event.target.value as string)}
            options={[
              { value: 'open', label: t.open },
              { value: 'resolved', label: t.resolved },
            ]}
          />
        </Form.Item>
        <Form.Item label={<span id="supervision-level-label">{t.level}</span>}>
          <Radio.Group
            aria-labelledby="supervision-level-label"
            optionType="button"
            value={level ?? ''}
            onChange={(event) => setFilter('level', event.target.value as string)}
            options={[
              { value: '', label: t.allLevels },
              ...(['blue', 'yellow', 'red'] as const).map((value) => ({
                value,
                label: levelName(value, language),
              })),
            ]}
          />
        </Form.Item>
      </Form>
      <ListTable<Item>
        caption={t.caption}
        emptyText={t.empty}
        failedTitle={t.failed}
        problem={problem === undefined ? undefined : { ...problem, title: t.failed }}
        rows={items}
        rowKey="itemId"
        columns={columns}
        loading={loading}
      />
      <Modal
        open={resolving !== undefined}
        title={t.resolveTitle}
        okText={t.confirm}
        cancelText={t.cancel}
        onCancel={() => setResolving(undefined)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph>{resolving?.projectName}</Typography.Paragraph>
        <Form
          form={form}
          name="resolve-supervision"
          layout="vertical"
          onFinish={async ({ note }) => {
            if (resolving === undefined) return;
            const { error, response } = await api.POST('/supervision/{supervisionId}/resolve', {
              params: { path: { supervisionId: resolving.itemId } },
              body: { note },
            });
            if (!response.ok) {
              form.setFields([{ name: 'note', errors: [problemOf(error, response.status).detail] }]);
              return;
            }
            setResolving(undefined);
            message.success(t.done);
            await load();
          }}
        >
          <Form.Item
            label={t.note}
            name="note"
            rules={[{ required: true, whitespace: true, message: t.noteRequired }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
