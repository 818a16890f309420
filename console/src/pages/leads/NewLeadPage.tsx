import { Alert, Button, Card, Checkbox, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, type Problem, problemOf } from '../../api/client.ts';
import { useMe } from '../../auth/me.ts';
import { AmountInput, amountRules } from '../../components/AmountInput.tsx';
import { showProblemOnFields } from '../../components/form-problems.ts';
import { residentIdRules, upperCase, usccRules } from '../../components/identifier-rules.ts';
import { useLanguage, useTexts } from '../../i18n/language.ts';
import {
  CATEGORY_NAMES,
  INTRODUCER_FIELDS,
  INTRODUCER_NAMES,
  INTRODUCER_TYPES,
  type IntroducerType,
  type LeadRequest,
  PROJECT_CATEGORIES,
  type ProjectCategory,
} from './lead-names.ts';

const texts = {
  zh: {
    title: '新建线索',
    intro: '填写招商项目线索。金额可写作“1.2亿”“6000万”或以元为单位的数字；提交后系统按政策自动评估。',
    project: '项目',
    sector: '招商专班',
    projectName: '项目名称',
    category: '项目类别',
    planned: '计划投资额',
    actual: '实际投资额',
    actualHelp: '已核实的固定资产投资额；未核实可不填，之后在线索页登记。',
    fundRequest: '申请专项基金',
    fundHelp: '向新旧动能转换专项基金申请的金额；不申请可不填。',
    municipal: '市级重大项目',
    bespoke: '申请一事一议',
    investor: '投资方',
    investorName: '投资方名称',
    uscc: '统一社会信用代码',
    usccPlaceholder: '18位，含校验位',
    introducer: '引荐方',
    introducerType: '引荐方类型',
    introducerName: '引荐方名称',
    personName: '引荐人姓名',
    introducerUscc: '引荐方社会信用代码',
    residentId: '居民身份证号',
    optionalIdHelp: '可填企业的社会信用代码或个人的居民身份证号（选填）。',
    officer: '责任人',
    officerName: '责任人姓名',
    officerPhone: '责任人电话',
    submit: '提交',
    reset: '清空',
    required: '请填写{label}',
    chooseRequired: '请选择{label}',
    officerNameRequired: '填写电话时请同时填写责任人姓名',
    phoneFormat: '电话号码只含数字、空格、短横线，可以 + 开头',
    failed: '提交未成功',
    otherProblems: '以下问题请核对：',
    yes: '是',
  },
  en: {
    title: 'New lead',
    intro:
      'Describe the investment project. Amounts may be written as "1.2亿", "6000万" or in yuan; the policy is applied as soon as it is submitted.',
    project: 'Project',
    sector: 'Sector team',
    projectName: 'Project name',
    category: 'Project category',
    planned: 'Planned investment',
    actual: 'Actual investment',
    actualHelp:
      'The verified fixed-asset investment; leave empty until verified and report it on the lead page.',
    fundRequest: 'Conversion fund request',
    fundHelp: 'What the project asks of the conversion fund; leave empty to ask nothing.',
    municipal: 'Municipal major project',
    bespoke: 'Ask for one-case-one-policy terms',
    investor: 'Investor',
    investorName: 'Investor name',
    uscc: 'Unified social credit code',
    usccPlaceholder: '18 characters, check character last',
    introducer: 'Introducer',
    introducerType: 'Introducer type',
    introducerName: 'Introducer name',
    personName: 'Introducer’s name',
    introducerUscc: 'Introducer’s credit code',
    residentId: 'Resident ID number',
    optionalIdHelp: 'A firm’s credit code or a person’s resident ID (optional).',
    officer: 'Responsible officer',
    officerName: 'Officer name',
    officerPhone: 'Officer phone',
    submit: 'Submit',
    reset: 'Clear',
    required: 'Enter the {label}',
    chooseRequired: 'Choose the {label}',
    officerNameRequired: 'With a phone number, give the officer’s name too',
    phoneFormat: 'Digits, spaces and dashes only, optionally starting with +',
    failed: 'Not submitted',
    otherProblems: 'Please check:',
    yes: 'Yes',
  },
};

/** What the form holds: amounts as typed (the API reads them with the same parser). */
interface LeadForm {
  sector: string;
  projectName: string;
  category: ProjectCategory;
  plannedInvestment: string;
  actualInvestment?: string;
  fundRequest?: string;
  municipalMajorProject?: boolean;
  bespokeTermsRequested?: boolean;
  investor: { name: string; uscc: string };
  introducer: { type: IntroducerType; name?: string; uscc?: string; residentId?: string };
  responsibleOfficer?: { name?: string; phone?: string };
}

/** Every field path of the form, as the API names them in its problems. */
const FIELD_PATHS = [
  'sector',
  'projectName',
  'category',
  'plannedInvestment',
  'actualInvestment',
  'fundRequest',
  'municipalMajorProject',
  'bespokeTermsRequested',
  'investor.name',
  'investor.uscc',
  'introducer.type',
  'introducer.name',
  'introducer.uscc',
  'introducer.residentId',
  'responsibleOfficer.name',
  'responsibleOfficer.phone',
] as const;

/** A text with its {label} filled in (lower case inside an English sentence). */
const fill = (template: string, label: string) =>
  template.replace(
    '{label}',
    template.startsWith('Enter') || template.startsWith('Choose') ? label.toLowerCase() : label,
  );

const filled = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

function requestOf(values: LeadForm): LeadRequest {
  const { introducer, responsibleOfficer: officer } = values;
  const uscc = filled(introducer.uscc) ? { uscc: introducer.uscc.trim() } : {};
  const residentId = filled(introducer.residentId) ? { residentId: introducer.residentId.trim() } : {};
  const name = introducer.name ?? '';
  const introducerBody: LeadRequest['introducer'] =
    introducer.type === 'none'
      ? { type: 'none' }
      : introducer.type === 'leading_enterprise'
        ? { type: 'leading_enterprise', name, uscc: introducer.uscc ?? '' }
        : introducer.type === 'natural_person'
          ? { type: 'natural_person', name, residentId: introducer.residentId ?? '' }
          : { type: introducer.type, name, ...uscc, ...residentId };
  return {
    sector: values.sector,
    projectName: values.projectName,
    investor: { name: values.investor.name, uscc: values.investor.uscc },
    introducer: introducerBody,
    plannedInvestment: values.plannedInvestment,
    ...(filled(values.actualInvestment) ? { actualInvestment: values.actualInvestment } : {}),
    category: values.category,
    ...(filled(values.fundRequest) ? { fundRequest: values.fundRequest } : {}),
    municipalMajorProject: values.municipalMajorProject === true,
    bespokeTermsRequested: values.bespokeTermsRequested === true,
    ...(filled(officer?.name) || filled(officer?.phone)
      ? {
          responsibleOfficer: {
            name: officer?.name ?? '',
            ...(filled(officer?.phone) ? { phone: officer.phone.trim() } : {}),
          },
        }
      : {}),
  };
}

/** 新建线索: every field of a lead, amounts and identifiers checked as typed, one lead per form fill. */
export default function NewLeadPage() {
  const t = useTexts(texts);
  const language = useLanguage();
  const { me } = useMe();
  const navigate = useNavigate();
  const [form] = Form.useForm<LeadForm>();
  // One key per form fill: a double click or a retry after a lost answer makes one lead, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<{
    problem: Problem;
    elsewhere: { field: string; message: string }[];
  }>();
  const introducerType = Form.useWatch(['introducer', 'type'], form) ?? 'none';
  const introducerFields = INTRODUCER_FIELDS[introducerType];
  const sectors = me?.sectors ?? [];

  async function submit(values: LeadForm) {
    setSubmitting(true);
    setProblem(undefined);
    try {
      const { data, error, response } = await api.POST('/leads', {
        params: { header: { 'idempotency-key': idempotencyKey } },
        body: requestOf(values),
      });
      if (data !== undefined) {
        navigate(`/leads/${encodeURIComponent(data.leadId)}`);
        return;
      }
      const answer = problemOf(error, response.status);
      setProblem({ problem: answer, elsewhere: showProblemOnFields(form, answer, FIELD_PATHS) });
    } catch {
      setProblem({
        problem: { type: 'about:blank', title: t.failed, status: 0, detail: '' },
        elsewhere: [],
      });
    } finally {
      setSubmitting(false);
    }
  }

  const label = (text: string) => ({
    label: text,
    rules: [{ required: true, message: fill(t.required, text) }],
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 960 }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t.intro}
      </Typography.Paragraph>
      {problem === undefined ? null : (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={`${t.failed}：${problem.problem.title}`}
          description={
            <>
              {problem.problem.detail === '' ? null : <div>{problem.problem.detail}</div>}
              {problem.elsewhere.length === 0 ? null : (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {problem.elsewhere.map((item) => (
                    <li key={`${item.field}:${item.message}`}>
                      {item.field === '(root)' ? '' : `${item.field}: `}
                      {item.message}
                    </li>
                  ))}
                </ul>
              )}
            </>
          }
        />
      )}
      <Form<LeadForm>
        form={form}
        layout="horizontal"
        labelCol={{ flex: '168px' }}
        labelWrap
        onFinish={submit}
        scrollToFirstError={{ block: 'center' }}
        initialValues={{
          sector: sectors[0]?.code,
          introducer: { type: 'none' },
          municipalMajorProject: false,
          bespokeTermsRequested: false,
        }}
      >
        <Card
          title={
            <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>
              {t.project}
            </Typography.Title>
          }
        >
          <Form.Item
            name="sector"
            label={t.sector}
            rules={[{ required: true, message: fill(t.chooseRequired, t.sector) }]}
          >
            <Select
              style={{ maxWidth: 320 }}
              options={sectors.map((sector) => ({ value: sector.code, label: sector[language] }))}
            />
          </Form.Item>
          <Form.Item name="projectName" {...label(t.projectName)}>
            <Input maxLength={200} style={{ maxWidth: 480 }} />
          </Form.Item>
          <Form.Item
            name="category"
            label={t.category}
            rules={[{ required: true, message: fill(t.chooseRequired, t.category) }]}
          >
            <Radio.Group
              aria-label={t.category}
              options={PROJECT_CATEGORIES.map((category) => ({
                value: category,
                label: CATEGORY_NAMES[category][language],
              }))}
            />
          </Form.Item>
          <Form.Item
            name="plannedInvestment"
            label={t.planned}
            required
            rules={amountRules(language, { required: true, positive: true })}
          >
            <AmountInput placeholder="1.2亿" />
          </Form.Item>
          <Form.Item
            name="actualInvestment"
            label={t.actual}
            extra={t.actualHelp}
            rules={amountRules(language, { required: false, positive: false })}
          >
            <AmountInput />
          </Form.Item>
          <Form.Item
            name="fundRequest"
            label={t.fundRequest}
            extra={t.fundHelp}
            rules={amountRules(language, { required: false, positive: true })}
          >
            <AmountInput placeholder="1000万" />
          </Form.Item>
          <Form.Item name="municipalMajorProject" label={t.municipal} valuePropName="checked">
            <Checkbox>{t.yes}</Checkbox>
          </Form.Item>
          <Form.Item name="bespokeTermsRequested" label={t.bespoke} valuePropName="checked">
            <Checkbox>{t.yes}</Checkbox>
          </Form.Item>
        </Card>

        <Card
          style={{ marginTop: 16 }}
          title={
            <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>
              {t.investor}
            </Typography.Title>
          }
        >
          <Form.Item name={['investor', 'name']} {...label(t.investorName)}>
            <Input maxLength={200} style={{ maxWidth: 480 }} />
          </Form.Item>
          <Form.Item
            name={['investor', 'uscc']}
            label={t.uscc}
            validateTrigger={['onChange', 'onBlur']}
            normalize={upperCase}
            rules={usccRules(language, true)}
          >
            <Input
              maxLength={24}
              style={{ maxWidth: 280 }}
              autoComplete="off"
              placeholder={t.usccPlaceholder}
            />
          </Form.Item>
        </Card>

        <Card
          style={{ marginTop: 16 }}
          title={
            <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>
              {t.introducer}
            </Typography.Title>
          }
        >
          <Form.Item name={['introducer', 'type']} label={t.introducerType} rules={[{ required: true }]}>
            <Radio.Group
              aria-label={t.introducerType}
              options={INTRODUCER_TYPES.map((type) => ({
                value: type,
                label: INTRODUCER_NAMES[type][language],
              }))}
            />
          </Form.Item>
          {introducerFields.name ? (
            <Form.Item
              name={['introducer', 'name']}
              {...label(introducerType === 'natural_person' ? t.personName : t.introducerName)}
            >
              <Input maxLength={200} style={{ maxWidth: 480 }} />
            </Form.Item>
          ) : null}
          {introducerFields.uscc === 'none' ? null : (
            <Form.Item
              name={['introducer', 'uscc']}
              label={t.introducerUscc}
              extra={introducerFields.uscc === 'optional' ? t.optionalIdHelp : undefined}
              validateTrigger={['onChange', 'onBlur']}
              normalize={upperCase}
              rules={usccRules(language, introducerFields.uscc === 'required')}
            >
              <Input maxLength={24} style={{ maxWidth: 280 }} autoComplete="off" />
            </Form.Item>
          )}
          {introducerFields.residentId === 'none' ? null : (
            <Form.Item
              name={['introducer', 'residentId']}
              label={t.residentId}
              validateTrigger={['onChange', 'onBlur']}
              normalize={upperCase}
              rules={residentIdRules(language, introducerFields.residentId === 'required')}
            >
              <Input maxLength={24} style={{ maxWidth: 280 }} autoComplete="off" />
            </Form.Item>
          )}
        </Card>

        <Card
          style={{ marginTop: 16 }}
          title={
            <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>
              {t.officer}
            </Typography.Title>
          }
        >
          <Form.Item
            name={['responsibleOfficer', 'name']}
            label={t.officerName}
            dependencies={[['responsibleOfficer', 'phone']]}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_rule, value: unknown) => {
                  const phone: unknown = getFieldValue(['responsibleOfficer', 'phone']);
                  const hasPhone = typeof phone === 'string' && phone.trim() !== '';
                  const hasName = typeof value === 'string' && value.trim() !== '';
                  if (hasPhone && !hasName) throw new Error(t.officerNameRequired);
                },
              }),
            ]}
          >
            <Input maxLength={100} style={{ maxWidth: 280 }} />
          </Form.Item>
          <Form.Item
            name={['responsibleOfficer', 'phone']}
            label={t.officerPhone}
            rules={[{ pattern: /^\s*\+?[0-9][0-9 -]{4,19}\s*$/, message: t.phoneFormat }]}
          >
            <Input maxLength={24} style={{ maxWidth: 280 }} inputMode="tel" />
          </Form.Item>
        </Card>

        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={submitting}>
            {t.submit}
          </Button>
          <Button htmlType="button" onClick={() => form.resetFields()} disabled={submitting}>
            {t.reset}
          </Button>
        </Space>
      </Form>
    </Space>
  );
}
