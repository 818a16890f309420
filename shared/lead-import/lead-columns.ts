/**
 * The columns of the lead sheet: the one declaration the template is written from, the import reads by
 * (header text → lead field) and the per-row errors are named with (the Chinese header). The headers are
 * the contract of the import: a sheet is read by its header texts, whatever their order.
 */
import { DEFAULT_SECTORS, type Sector } from '#shared/domain/sectors.ts';
import type { LocalText } from '#shared/errors.ts';
import {
  INTRODUCER_TYPES,
  type IntroducerType,
  PROJECT_CATEGORIES,
  type ProjectCategory,
} from '#shared/schemas/lead.ts';

/** The sheet a team fills in, and the sheet that explains it. */
export const LEAD_SHEET_NAME = '线索';
export const NOTES_SHEET_NAME = '说明';

/**
 * How a cell becomes part of the lead body:
 * - `text`: the cell's text (numbers as their shortest decimal, dates as yyyy-mm-dd);
 * - `amount`: a number in 万元, or text: a plain decimal is 万元 too, or with its unit ("1.5亿", "1200万", "300元");
 * - `choice`: a Chinese label of the drop-down, or the API code itself;
 * - `yesNo`: 是/否 (also TRUE/FALSE, Y/N, a checkbox's boolean).
 */
export type LeadColumnKind = 'text' | 'amount' | 'choice' | 'yesNo';

export interface LeadColumnChoice {
  readonly code: string;
  readonly label: string;
}

export interface LeadColumn {
  /** The header text (Chinese): what a sheet is read by and what an error names. */
  readonly header: string;
  readonly en: string;
  /** The lead field path (as `POST /leads` names it). */
  readonly field: string;
  readonly kind: LeadColumnKind;
  readonly choices?: readonly LeadColumnChoice[];
  /** When the column must be filled in. */
  readonly required: LocalText;
  readonly format: LocalText;
  /** The template's example row. */
  readonly example: string | number;
  readonly width: number;
}

export const INTRODUCER_TYPE_LABELS: Readonly<Record<IntroducerType, string>> = {
  leading_enterprise: '龙头企业',
  natural_person: '自然人',
  intermediary: '中介（牵线搭桥的有功人士）',
  professional_team: '专业招商团队',
  none: '无引荐方',
};

export const CATEGORY_LABELS: Readonly<Record<ProjectCategory, string>> = {
  new_productive_force: '新型生产力培育',
  old_capacity_upgrade: '旧动能改造提升',
  other: '其他',
};

const ALWAYS: LocalText = { zh: '必填', en: 'required' };
const OPTIONAL: LocalText = { zh: '选填', en: 'optional' };
const WAN_AMOUNT: LocalText = {
  zh: '数字，单位万元（如 15000 即 1.5亿元）；也可写带单位的文字，如“1.5亿”“1200万”“300元”；最多精确到分',
  en: 'a number in 万元 (10,000 yuan; 15000 = 150 million yuan), or text with its unit such as "1.5亿", "1200万", "300元"; exact to the fen',
};

/** The lead sheet's columns, in the template's order. */
export function leadColumns(sectors: readonly Sector[] = DEFAULT_SECTORS): readonly LeadColumn[] {
  return [
    {
      header: '专班',
      en: 'Sector team',
      field: 'sector',
      kind: 'choice',
      choices: sectors.map((sector) => ({ code: sector.code, label: sector.zh })),
      required: { zh: '必填；须是本人所在专班', en: "required; must be the uploader's own sector" },
      format: { zh: '下拉选择专班名称（也可填专班代码）', en: 'pick a team name (or type its code)' },
      example: sectors[0]?.zh ?? '',
      width: 18,
    },
    {
      header: '项目名称',
      en: 'Project name',
      field: 'projectName',
      kind: 'text',
      required: ALWAYS,
      format: { zh: '文字，最多 200 字', en: 'text, at most 200 characters' },
      example: '智能光电信息产业园（示例）',
      width: 28,
    },
    {
      header: '投资方名称',
      en: 'Investor name',
      field: 'investor.name',
      kind: 'text',
      required: ALWAYS,
      format: { zh: '文字，最多 200 字', en: 'text, at most 200 characters' },
      example: '聊城智光信息科技有限公司',
      width: 28,
    },
    {
      header: '投资方统一社会信用代码',
      en: 'Investor unified social credit code',
      field: 'investor.uscc',
      kind: 'text',
      required: ALWAYS,
      format: { zh: '18 位，含校验位（GB 32100）', en: '18 characters with the check character (GB 32100)' },
      example: '91371500MA3C8K2L1R',
      width: 24,
    },
    {
      header: '引荐方类型',
      en: 'Introducer type',
      field: 'introducer.type',
      kind: 'choice',
      choices: INTRODUCER_TYPES.map((code) => ({ code, label: INTRODUCER_TYPE_LABELS[code] })),
      required: ALWAYS,
      format: { zh: '下拉选择（也可填代码，如 leading_enterprise）', en: 'pick one (or type the code)' },
      example: INTRODUCER_TYPE_LABELS.leading_enterprise,
      width: 24,
    },
    {
      header: '引荐方名称',
      en: 'Introducer name',
      field: 'introducer.name',
      kind: 'text',
      required: { zh: '引荐方类型不是“无引荐方”时必填', en: 'required unless the type is none' },
      format: { zh: '文字，最多 200 字（自然人最多 100 字）', en: 'text, at most 200 characters' },
      example: '山东光明电子集团有限公司',
      width: 26,
    },
    {
      header: '引荐方统一社会信用代码',
      en: 'Introducer unified social credit code',
      field: 'introducer.uscc',
      kind: 'text',
      required: {
        zh: '龙头企业必填；中介、专业招商团队选填；自然人、无引荐方不填',
        en: 'required for a leading enterprise; optional for intermediaries and teams; empty otherwise',
      },
      format: { zh: '18 位，含校验位', en: '18 characters with the check character' },
      example: '91371500MA3D9P7Q0E',
      width: 24,
    },
    {
      header: '引荐方公民身份号码',
      en: 'Introducer resident ID',
      field: 'introducer.residentId',
      kind: 'text',
      required: {
        zh: '自然人必填；中介、专业招商团队选填；龙头企业、无引荐方不填',
        en: 'required for a natural person; optional for intermediaries and teams; empty otherwise',
      },
      format: {
        zh: '18 位，含校验码（GB 11643）；以文本填写，免得 Excel 把它变成数字',
        en: '18 characters with the check digit (GB 11643); enter it as text so Excel keeps every digit',
      },
      example: '',
      width: 22,
    },
    {
      header: '计划投资额（万元）',
      en: 'Planned investment (万元)',
      field: 'plannedInvestment',
      kind: 'amount',
      required: { zh: '必填，大于 0', en: 'required, more than 0' },
      format: WAN_AMOUNT,
      example: 15000,
      width: 18,
    },
    {
      header: '实际投资额（万元）',
      en: 'Actual investment (万元)',
      field: 'actualInvestment',
      kind: 'amount',
      required: OPTIONAL,
      format: WAN_AMOUNT,
      example: 12000,
      width: 18,
    },
    {
      header: '项目类别',
      en: 'Project category',
      field: 'category',
      kind: 'choice',
      choices: PROJECT_CATEGORIES.map((code) => ({ code, label: CATEGORY_LABELS[code] })),
      required: ALWAYS,
      format: { zh: '下拉选择（也可填代码）', en: 'pick one (or type the code)' },
      example: CATEGORY_LABELS.new_productive_force,
      width: 18,
    },
    {
      header: '申请基金额（万元）',
      en: 'Fund request (万元)',
      field: 'fundRequest',
      kind: 'amount',
      required: { zh: '选填；填写时大于 0', en: 'optional; more than 0 when given' },
      format: WAN_AMOUNT,
      example: 1000,
      width: 18,
    },
    {
      header: '市重大项目',
      en: 'Municipal major project',
      field: 'municipalMajorProject',
      kind: 'yesNo',
      required: { zh: '选填，默认“否”', en: 'optional, default no' },
      format: { zh: '是 / 否', en: '是 (yes) / 否 (no)' },
      example: '否',
      width: 12,
    },
    {
      header: '申请一事一议',
      en: 'Bespoke terms requested',
      field: 'bespokeTermsRequested',
      kind: 'yesNo',
      required: { zh: '选填，默认“否”', en: 'optional, default no' },
      format: { zh: '是 / 否', en: '是 (yes) / 否 (no)' },
      example: '否',
      width: 14,
    },
    {
      header: '责任人姓名',
      en: 'Responsible officer',
      field: 'responsibleOfficer.name',
      kind: 'text',
      required: { zh: '选填；填写电话时必填', en: 'optional; required when a phone is given' },
      format: { zh: '文字，最多 100 字', en: 'text, at most 100 characters' },
      example: '张三',
      width: 14,
    },
    {
      header: '责任人电话',
      en: 'Officer phone',
      field: 'responsibleOfficer.phone',
      kind: 'text',
      required: OPTIONAL,
      format: { zh: '数字、空格、短横线，可带 +', en: 'digits, spaces, dashes, optional +' },
      example: '0635-8888888',
      width: 16,
    },
  ];
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '×', '✗']);

/** 是/否 as a boolean; undefined when the text is neither (the schema then names the column). */
export function yesNoOf(text: string): boolean | undefined {
  const folded = text.trim().toLowerCase();
  if (YES.has(folded)) return true;
  if (NO.has(folded)) return false;
  return undefined;
}

/**
 * The column an error about a lead field path is shown under: the column of that field, else the first
 * column inside it (`introducer` → 引荐方类型), else the column of the nearest field above it.
 */
export function columnOfField(columns: readonly LeadColumn[], field: string): LeadColumn | undefined {
  const exact = columns.find((column) => column.field === field);
  if (exact !== undefined) return exact;
  const inside = columns.find((column) => column.field.startsWith(`${field}.`));
  if (inside !== undefined) return inside;
  const parts = field.split('.');
  for (let length = parts.length - 1; length > 0; length -= 1) {
    const parent = parts.slice(0, length).join('.');
    const column = columns.find(
      (candidate) => candidate.field === parent || candidate.field.startsWith(`${parent}.`),
    );
    if (column !== undefined) return column;
  }
  return undefined;
}
