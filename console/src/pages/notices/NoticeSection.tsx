import { App, Button, Descriptions, Form, Input, List, Modal, Radio, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { QUIET_TEXT } from '../../components/a11y.ts';
import { showProblemOnFields } from '../../components/form-problems.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { fill, useTexts } from '../../i18n/language.ts';

type Notice = components['schemas']['NoticeView'];
type Objection = Notice['objections'][number];

const texts = {
  zh: {
    title: '公示',
    status: '公示状态',
    open: '公示中',
    held: '有异议待处理',
    upheld: '异议成立，不予支付',
    ended: '公示期满，可支付',
    openedOn: '批准（公示）日期',
    workingDays: '公示期',
    days: '{n} 个工作日',
    deadline: '异议截止日',
    payableFrom: '可支付时间',
    payableText: '{date} 24:00 后（公示期满且无未处理异议）',
    objections: '异议',
    noObjection: '未收到异议',
    received: '{on} 收到，来自 {from}',
    unresolved: '待处理',
    upheldResult: '异议成立',
    dismissedResult: '异议不成立',
    resolution: '处理结果：{outcome}（{reason}）',
    record: '记录异议',
    recordTitle: '记录收到的异议',
    receivedOn: '收到日期',
    receivedOnHint: 'YYYY-MM-DD',
    fromName: '异议人',
    summary: '异议内容',
    required: '请填写',
    confirm: '确认记录',
    cancel: '取消',
    resolve: '处理异议',
    resolveTitle: '处理异议',
    outcome: '处理结果',
    reason: '处理说明',
    confirmResolve: '确认处理',
    recorded: '已记录异议：支付暂停至异议处理完毕',
    resolvedDone: '已记录处理结果',
    none: '此批准未开启公示（政策未设公示期）',
    failed: '无法读取公示',
  },
  en: {
    title: 'Public notice',
    status: 'Notice status',
    open: 'Under notice',
    held: 'Objection pending',
    upheld: 'Objection upheld: not paid',
    ended: 'Notice ended: payable',
    openedOn: 'Approved (notice opened) on',
    workingDays: 'Notice period',
    days: '{n} working days',
    deadline: 'Objection deadline',
    payableFrom: 'Payable from',
    payableText: 'the end of {date} (the notice over, no objection unresolved)',
    objections: 'Objections',
    noObjection: 'No objection received',
    received: 'Received {on} from {from}',
    unresolved: 'Unresolved',
    upheldResult: 'Upheld',
    dismissedResult: 'Dismissed',
    resolution: 'Resolution: {outcome} ({reason})',
    record: 'Record an objection',
    recordTitle: 'Record an objection received',
    receivedOn: 'Received on',
    receivedOnHint: 'YYYY-MM-DD',
    fromName: 'Objector',
    summary: 'Objection',
    required: 'Required',
    confirm: 'Record',
    cancel: 'Cancel',
    resolve: 'Resolve',
    resolveTitle: 'Resolve the objection',
    outcome: 'Outcome',
    reason: 'Reason',
    confirmResolve: 'Resolve',
    recorded: 'Objection recorded: the payment is held until it is resolved',
    resolvedDone: 'Resolution recorded',
    none: 'This approval opened no public notice (the policy sets none)',
    failed: 'Could not read the public notice',
  },
};

// Dark text on a pale ground (contrast ≥ 4.5:1, which antd's preset tag colours do not all reach); the
// colour only repeats the words.
const LOOKS: Record<Notice['status'], { color: string; background: string; border: string }> = {
  open: { color: '#0b4fa8', background: '#e6f4ff', border: '#91caff' },
  held: { color: '#874d00', background: '#fffbe6', border: '#ffe58f' },
  upheld: { color: '#a8071a', background: '#fff1f0', border: '#ffa39e' },
  ended: { color: '#135200', background: '#f6ffed', border: '#b7eb8f' },
};

/** A notice's status as a tag (the public list knows only open and ended). */
export function NoticeStatusTag({ status, text }: { status: Notice['status']; text: string }) {
  const look = LOOKS[status];
  return (
    <Tag style={{ color: look.color, background: look.background, borderColor: look.border }}>{text}</Tag>
  );
}

/**
 * The public notice (公示) of a lead's approval: its status and deadline, every objection and its
 * resolution; the admin (`canAct`) records objections and resolves them.
 */
export function NoticeSection({ leadId, canAct = false }: { leadId: string; canAct?: boolean }) {
  const t = useTexts(texts);
  const { message } = App.useApp();
  const [notice, setNotice] = useState<Notice | null>();
  const [problem, setProblem] = useState<Problem>();
  const [recording, setRecording] = useState(false);
  const [resolving, setResolving] = useState<Objection>();
  const [objectionForm] = Form.useForm<{ receivedOn: string; from: { name: string }; summary: string }>();
  const [resolutionForm] = Form.useForm<{ outcome: 'upheld' | 'dismissed'; reason: string }>();

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/leads/{id}/notice', {
      params: { path: { id: leadId } },
    });
    if (data !== undefined) {
      setNotice(data);
      setProblem(undefined);
    } else if (response.status === 404) setNotice(null);
    else setProblem(problemOf(error, response.status));
  }, [leadId]);
  useEffect(() => {
    void load();
  }, [load]);

  if (problem !== undefined) return <ProblemAlert problem={problem} fallbackTitle={t.failed} />;
  if (notice === undefined) return null;
  if (notice === null) {
    return (
      <section aria-label={t.title}>
        <Typography.Title level={3}>{t.title}</Typography.Title>
        <Typography.Text style={QUIET_TEXT}>{t.none}</Typography.Text>
      </section>
    );
  }

  const record = async () => {
    const values = await objectionForm.validateFields();
    const { data, error, response } = await api.POST('/notices/{noticeId}/objections', {
      params: { path: { noticeId: notice.noticeId }, header: { 'idempotency-key': crypto.randomUUID() } },
      body: values,
    });
    if (data === undefined) {
      const answer = problemOf(error, response.status);
      const elsewhere = showProblemOnFields(objectionForm, answer, ['receivedOn', 'from.name', 'summary']);
      if (elsewhere.length > 0 || (answer.errors ?? []).length === 0)
        message.error(answer.detail || answer.title);
      return;
    }
    setRecording(false);
    objectionForm.resetFields();
    setNotice(data.notice);
    message.success(t.recorded);
  };

  const resolve = async () => {
    if (resolving === undefined) return;
    const values = await resolutionForm.validateFields();
    const { data, error, response } = await api.POST(
      '/notices/{noticeId}/objections/{objectionId}/resolution',
      { params: { path: { noticeId: notice.noticeId, objectionId: resolving.objectionId } }, body: values },
    );
    if (data === undefined) {
      const answer = problemOf(error, response.status);
      showProblemOnFields(resolutionForm, answer, ['outcome', 'reason']);
      if ((answer.errors ?? []).length === 0) message.error(answer.detail || answer.title);
      return;
    }
    setResolving(undefined);
    resolutionForm.resetFields();
    setNotice(data);
    message.success(t.resolvedDone);
  };

  const outcomeText = (objection: Objection) =>
    objection.resolution === null
      ? t.unresolved
      : fill(t.resolution, {
          outcome: objection.resolution.outcome === 'upheld' ? t.upheldResult : t.dismissedResult,
          reason: objection.resolution.reason,
        });

  return (
    <section aria-label={t.title} data-testid="public-notice">
      <Typography.Title level={3}>{t.title}</Typography.Title>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t.status}>
          {/* The words say it; the colour only repeats them. */}
          <NoticeStatusTag status={notice.status} text={t[notice.status]} />
        </Descriptions.Item>
        <Descriptions.Item label={t.openedOn}>{notice.openedOn}</Descriptions.Item>
        <Descriptions.Item label={t.workingDays}>
          {fill(t.days, { n: String(notice.workingDays) })}
        </Descriptions.Item>
        <Descriptions.Item label={t.deadline}>{notice.objectionDeadline}</Descriptions.Item>
        <Descriptions.Item label={t.payableFrom}>
          {fill(t.payableText, { date: notice.objectionDeadline })}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={4} style={{ marginTop: 16 }}>
        {t.objections}
      </Typography.Title>
      <List
        aria-label={t.objections}
        dataSource={notice.objections}
        locale={{ emptyText: <span style={QUIET_TEXT}>{t.noObjection}</span> }}
        renderItem={(objection) => (
          <List.Item
            actions={
              canAct && objection.resolution === null
                ? [
                    <Button key="resolve" onClick={() => setResolving(objection)}>
                      {t.resolve}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={fill(t.received, { on: objection.receivedOn, from: objection.from.name })}
              description={
                <Space orientation="vertical" size={0}>
                  <span>{objection.summary}</span>
                  <span>{outcomeText(objection)}</span>
                </Space>
              }
            />
          </List.Item>
        )}
      />
      {canAct && notice.status !== 'upheld' && (
        <Button style={{ marginTop: 8 }} onClick={() => setRecording(true)}>
          {t.record}
        </Button>
      )}
      <Modal
        open={recording}
        title={t.recordTitle}
        okText={t.confirm}
        cancelText={t.cancel}
        onOk={() => void record()}
        onCancel={() => setRecording(false)}
        destroyOnHidden
      >
        <Form form={objectionForm} layout="vertical" preserve={false}>
          <Form.Item name="receivedOn" label={t.receivedOn} rules={[{ required: true, message: t.required }]}>
            <Input placeholder={t.receivedOnHint} />
          </Form.Item>
          <Form.Item
            name={['from', 'name']}
            label={t.fromName}
            rules={[{ required: true, message: t.required }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="summary" label={t.summary} rules={[{ required: true, message: t.required }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={resolving !== undefined}
        title={t.resolveTitle}
        okText={t.confirmResolve}
        cancelText={t.cancel}
        onOk={() => void resolve()}
        onCancel={() => setResolving(undefined)}
        destroyOnHidden
      >
        <Form form={resolutionForm} layout="vertical" preserve={false}>
          <Form.Item
            name="outcome"
            label={<span id="objection-outcome-label">{t.outcome}</span>}
            rules={[{ required: true, message: t.required }]}
          >
            <Radio.Group
              aria-labelledby="objection-outcome-label"
              options={[
                { value: 'dismissed', label: t.dismissedResult },
                { value: 'upheld', label: t.upheldResult },
              ]}
            />
          </Form.Item>
          <Form.Item name="reason" label={t.reason} rules={[{ required: true, message: t.required }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
