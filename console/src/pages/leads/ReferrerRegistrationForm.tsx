import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Radio,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { showProblemOnFields } from '../../components/form-problems.ts';
import { fill, pick, useLanguage, useTexts } from '../../i18n/language.ts';

const texts = {
  zh: {
    title: '引荐人报备',
    intro:
      '引荐人须在项目签约前（或签约当日）报备，并经投资方、专班、园区三方确认；财政供养人员或与投资方有关联的引荐人不予奖励。登记后按报备重新评估。',
    registeredOn: '登记日期',
    contractSignedOn: '签约日期',
    publicPayrollStaff: '财政供养人员',
    tiedToInvestor: '与投资方有关联',
    investorName: '投资方确认人',
    investorOn: '投资方确认日期',
    teamName: '专班确认人',
    teamOn: '专班确认日期',
    parkName: '园区确认人',
    parkOn: '园区确认日期',
    note: '备注',
    noteHelp: '如报备表编号（选填）。',
    yes: '是',
    no: '否',
    required: '请填写{field}',
    submit: '登记报备',
    correct: '更正报备',
    cancel: '取消更正',
    done: '报备已登记，正在重新评估',
    failed: '报备未登记',
    notRecorded: '尚未登记引荐人报备。财政批准引荐奖励前须有报备记录。',
    recorded: '已登记的报备',
    confirmedBy: '{name}（{on}）',
    evaluating: '报备已登记，第{n}版评估进行中，完成后显示评估结论。',
    eligible: '按报备评估：符合报备要求（签约前报备，非财政供养人员，与投资方无关联）。',
    notEligible: '按报备评估：不予奖励',
    notYetEvaluated: '最新评估尚未包含此报备。',
    closed: '财政已作出审核结论，报备不再改变奖励。',
    noIntroducer: '本线索没有引荐人，无需报备。',
    registered_after_signing: '报备日期晚于签约日期（须签约前报备）',
    introducer_public_payroll_staff: '引荐人为财政供养人员',
    introducer_tied_to_investor: '引荐人与投资方存在关联关系',
  },
  en: {
    title: 'Referrer registration',
    intro:
      'The referrer is registered before the contract is signed (or on that day), confirmed by the investor, the sector team and the park; public-payroll staff and parties tied to the investor earn no reward. The lead is evaluated again on it.',
    registeredOn: 'Registered on',
    contractSignedOn: 'Contract signed on',
    publicPayrollStaff: 'Public-payroll staff',
    tiedToInvestor: 'Tied to the investor',
    investorName: 'Confirmed for the investor by',
    investorOn: 'Investor confirmed on',
    teamName: 'Confirmed for the team by',
    teamOn: 'Team confirmed on',
    parkName: 'Confirmed for the park by',
    parkOn: 'Park confirmed on',
    note: 'Note',
    noteHelp: 'E.g. the registration form number (optional).',
    yes: 'Yes',
    no: 'No',
    required: 'Enter: {field}',
    submit: 'Record the registration',
    correct: 'Correct the registration',
    cancel: 'Cancel the correction',
    done: 'Registration recorded; the lead is being evaluated again',
    failed: 'Registration not recorded',
    notRecorded:
      'No referrer registration yet. Finance approves a referral reward only once one is on record.',
    recorded: 'Registration on record',
    confirmedBy: '{name} ({on})',
    evaluating: 'Registration recorded; revision {n} is being evaluated, its verdict appears here.',
    eligible:
      'Evaluated on the registration: meets the rules (registered before signing, not public-payroll staff, not tied to the investor).',
    notEligible: 'Evaluated on the registration: no reward',
    notYetEvaluated: 'The latest decision does not include this registration yet.',
    closed: 'Finance has decided: a registration no longer changes the reward.',
    noIntroducer: 'This lead has no introducer: nothing to register.',
    registered_after_signing: 'registered after the contract was signed (registration must come first)',
    introducer_public_payroll_staff: 'the introducer is public-payroll staff',
    introducer_tied_to_investor: 'the introducer is tied to the investor',
  },
};

type LeadView = components['schemas']['LeadView'];
type Registration = NonNullable<LeadView['lead']['referrerRegistration']>;
type Texts = (typeof texts)['zh'];

const REGISTRATION_REASONS = [
  'registered_after_signing',
  'introducer_public_payroll_staff',
  'introducer_tied_to_investor',
] as const;

const PARTIES = ['investor', 'team', 'park'] as const;

interface RegistrationForm {
  registeredOn: Dayjs;
  contractSignedOn: Dayjs;
  publicPayrollStaff: boolean;
  tiedToInvestor: boolean;
  confirmations: Record<(typeof PARTIES)[number], { name: string; on: Dayjs }>;
  note?: string;
}

const FIELDS = [
  'registeredOn',
  'contractSignedOn',
  'publicPayrollStaff',
  'tiedToInvestor',
  ...PARTIES.flatMap((party) => [`confirmations.${party}.name`, `confirmations.${party}.on`]),
  'note',
];

const day = (value: Dayjs) => value.format('YYYY-MM-DD');

/**
 * 引荐人报备 on the lead page: what is on record and what the evaluation made of it, and for the lead's own
 * sector team the form (POST /leads/{id}/referrer-registration) while finance has not decided.
 */
export function ReferrerRegistrationSection({
  view,
  canRecord,
  onRecorded,
}: {
  view: LeadView;
  /** The lead's own sector team, while the lead is open and no re-evaluation waits. */
  canRecord: boolean;
  onRecorded: () => void;
}) {
  const t = useTexts(texts);
  const recorded = view.lead.referrerRegistration;
  const [correcting, setCorrecting] = useState(false);
  const hasIntroducer = view.lead.introducer.type !== 'none';
  return (
    <Card>
      <section aria-label={t.title}>
        <Typography.Title level={3} style={{ marginTop: 0, fontSize: 16 }}>
          {t.title}
        </Typography.Title>
        {!hasIntroducer ? (
          <Typography.Text type="secondary">{t.noIntroducer}</Typography.Text>
        ) : (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t.intro}
            </Typography.Paragraph>
            {recorded === undefined ? (
              <Alert type="warning" showIcon title={t.notRecorded} />
            ) : (
              <>
                <RecordedRegistration registration={recorded} t={t} />
                <div aria-live="polite">
                  <Verdict view={view} t={t} />
                </div>
              </>
            )}
            {!canRecord ? (
              view.pendingRevision === undefined &&
              !['PENDING_FINANCE', 'PENDING_CASE_REVIEW'].includes(view.status) ? (
                <Typography.Text type="secondary">{t.closed}</Typography.Text>
              ) : null
            ) : recorded === undefined || correcting ? (
              <>
                {recorded === undefined ? null : (
                  <Button onClick={() => setCorrecting(false)}>{t.cancel}</Button>
                )}
                <RegistrationForm
                  leadId={view.leadId}
                  initial={recorded}
                  onRecorded={() => {
                    setCorrecting(false);
                    onRecorded();
                  }}
                />
              </>
            ) : (
              <Button onClick={() => setCorrecting(true)}>{t.correct}</Button>
            )}
          </Space>
        )}
      </section>
    </Card>
  );
}

function RecordedRegistration({ registration, t }: { registration: Registration; t: Texts }) {
  const yesNo = (value: boolean) => (value ? t.yes : t.no);
  const confirmation = (party: (typeof PARTIES)[number]) =>
    fill(t.confirmedBy, registration.confirmations[party]);
  return (
    <Descriptions
      title={t.recorded}
      bordered
      size="small"
      column={{ xs: 1, md: 2 }}
      styles={{ label: { width: 136, whiteSpace: 'nowrap' } }}
      items={[
        { key: 'registeredOn', label: t.registeredOn, children: registration.registeredOn },
        { key: 'contractSignedOn', label: t.contractSignedOn, children: registration.contractSignedOn },
        { key: 'payroll', label: t.publicPayrollStaff, children: yesNo(registration.publicPayrollStaff) },
        { key: 'tied', label: t.tiedToInvestor, children: yesNo(registration.tiedToInvestor) },
        { key: 'investor', label: t.investorName, children: confirmation('investor') },
        { key: 'team', label: t.teamName, children: confirmation('team') },
        { key: 'park', label: t.parkName, children: confirmation('park') },
        ...(registration.note === undefined
          ? []
          : [{ key: 'note', label: t.note, children: registration.note }]),
      ]}
    />
  );
}

/** What the latest decision made of the registration: eligible, or the reasons it rules the reward out. */
function Verdict({ view, t }: { view: LeadView; t: Texts }) {
  const language = useLanguage();
  if (view.pendingRevision !== undefined) {
    return <Alert type="info" showIcon title={fill(t.evaluating, { n: view.pendingRevision })} />;
  }
  const decision = view.latestDecision;
  const evaluated = decision?.lead.referrerRegistration;
  if (decision === null || evaluated === undefined) {
    return <Typography.Text type="secondary">{t.notYetEvaluated}</Typography.Text>;
  }
  const reward = decision.decision.referralReward;
  const reasons = REGISTRATION_REASONS.filter((code) => (reward.reasons as readonly string[]).includes(code));
  if (reasons.length === 0) return <Alert type="success" showIcon title={t.eligible} />;
  return (
    <Alert
      type="error"
      showIcon
      title={`${t.notEligible}：${reasons.map((code) => t[code]).join('；')}。`}
      description={pick(language, reward.explanation)}
    />
  );
}

function RegistrationForm({
  leadId,
  initial,
  onRecorded,
}: {
  leadId: string;
  initial: Registration | undefined;
  onRecorded: () => void;
}) {
  const t = useTexts(texts);
  const { message } = App.useApp();
  const [form] = Form.useForm<RegistrationForm>();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const required = (field: string) => [{ required: true, message: fill(t.required, { field }) }];

  async function record(values: RegistrationForm) {
    setSending(true);
    setProblem(undefined);
    try {
      const note = values.note?.trim();
      const confirmations = Object.fromEntries(
        PARTIES.map((party) => [
          party,
          { name: values.confirmations[party].name, on: day(values.confirmations[party].on) },
        ]),
      ) as Registration['confirmations'];
      const { data, error, response } = await api.POST('/leads/{id}/referrer-registration', {
        params: { path: { id: leadId } },
        body: {
          registeredOn: day(values.registeredOn),
          contractSignedOn: day(values.contractSignedOn),
          publicPayrollStaff: values.publicPayrollStaff,
          tiedToInvestor: values.tiedToInvestor,
          confirmations,
          ...(note === undefined || note === '' ? {} : { note }),
        },
      });
      if (data !== undefined || response.ok) {
        void message.success(t.done);
        onRecorded();
        return;
      }
      const answer = problemOf(error, response.status);
      const elsewhere = showProblemOnFields(form, answer, FIELDS);
      if (elsewhere.length > 0 || (answer.errors ?? []).length === 0) setProblem(answer);
    } catch {
      setProblem({ type: 'about:blank', title: t.failed, status: 0, detail: '' });
    } finally {
      setSending(false);
    }
  }

  const partyLabels = {
    investor: [t.investorName, t.investorOn],
    team: [t.teamName, t.teamOn],
    park: [t.parkName, t.parkOn],
  } as const;

  return (
    <Form<RegistrationForm>
      form={form}
      name="referrerRegistration"
      layout="vertical"
      onFinish={record}
      style={{ maxWidth: 720 }}
      initialValues={initial === undefined ? undefined : initialValues(initial)}
    >
      {problem === undefined ? null : (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={`${t.failed}：${problem.title}`}
          description={problem.detail || undefined}
        />
      )}
      <Space wrap size="large" align="start">
        <Form.Item name="registeredOn" label={t.registeredOn} rules={required(t.registeredOn)}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="contractSignedOn" label={t.contractSignedOn} rules={required(t.contractSignedOn)}>
          <DatePicker />
        </Form.Item>
      </Space>
      <Space wrap size="large" align="start">
        <Form.Item
          name="publicPayrollStaff"
          label={t.publicPayrollStaff}
          rules={required(t.publicPayrollStaff)}
        >
          <Radio.Group
            aria-label={t.publicPayrollStaff}
            options={[
              { value: true, label: t.yes },
              { value: false, label: t.no },
            ]}
          />
        </Form.Item>
        <Form.Item name="tiedToInvestor" label={t.tiedToInvestor} rules={required(t.tiedToInvestor)}>
          <Radio.Group
            aria-label={t.tiedToInvestor}
            options={[
              { value: true, label: t.yes },
              { value: false, label: t.no },
            ]}
          />
        </Form.Item>
      </Space>
      {PARTIES.map((party) => (
        <Space key={party} wrap size="large" align="start">
          <Form.Item
            name={['confirmations', party, 'name']}
            label={partyLabels[party][0]}
            rules={required(partyLabels[party][0])}
          >
            <Input maxLength={100} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item
            name={['confirmations', party, 'on']}
            label={partyLabels[party][1]}
            rules={required(partyLabels[party][1])}
          >
            <DatePicker />
          </Form.Item>
        </Space>
      ))}
      <Form.Item name="note" label={t.note} extra={t.noteHelp}>
        <Input maxLength={500} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={sending}>
        {t.submit}
      </Button>
    </Form>
  );
}

function initialValues(registration: Registration): Partial<RegistrationForm> {
  return {
    registeredOn: dayjs(registration.registeredOn),
    contractSignedOn: dayjs(registration.contractSignedOn),
    publicPayrollStaff: registration.publicPayrollStaff,
    tiedToInvestor: registration.tiedToInvestor,
    confirmations: Object.fromEntries(
      PARTIES.map((party) => [
        party,
        { name: registration.confirmations[party].name, on: dayjs(registration.confirmations[party].on) },
      ]),
    ) as RegistrationForm['confirmations'],
    ...(registration.note === undefined ? {} : { note: registration.note }),
  };
}
