import { DatePicker, Form, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { LEAD_STATUSES, type LeadStatus, PAGE_SIZES } from '../../api/lead-list.ts';
import { leadStatusName } from '../../components/LeadStatusTag.tsx';
import { useLanguage } from '../../i18n/language.ts';

export type LeadListFilterName = 'status' | 'month' | 'sector';

interface SectorOption {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

/** The list's filters as one inline form: 提交月份, 状态, 招商专班 (when there is a choice), 每页条数. */
export default function LeadListFilters({
  texts: t,
  month,
  status,
  sector,
  sectorOptions,
  anySector,
  pageSize,
  onFilter,
  onPageSize,
}: {
  readonly texts: {
    readonly caption: string;
    readonly month: string;
    readonly status: string;
    readonly sector: string;
    readonly anyStatus: string;
    readonly anySector: string;
    readonly pageSize: string;
  };
  readonly month: string | undefined;
  readonly status: LeadStatus | undefined;
  readonly sector: string | undefined;
  /** The sectors to choose from; undefined when the caller has only one. */
  readonly sectorOptions: readonly SectorOption[] | undefined;
  /** Whether "every sector" is a choice (finance and auditors). */
  readonly anySector: boolean;
  readonly pageSize: number;
  readonly onFilter: (name: LeadListFilterName, value: string | undefined) => void;
  readonly onPageSize: (size: number) => void;
}) {
  const language = useLanguage();
  return (
    <Form layout="inline" aria-label={t.caption} style={{ rowGap: 12 }}>
      <Form.Item label={t.month} htmlFor="lead-list-month">
        <DatePicker
          id="lead-list-month"
          picker="month"
          value={month === undefined ? null : dayjs(`${month}-01`)}
          onChange={(value: Dayjs | null) => onFilter('month', value?.format('YYYY-MM'))}
          allowClear
        />
      </Form.Item>
      <Form.Item label={t.status} htmlFor="lead-list-status">
        <Select<string>
          id="lead-list-status"
          style={{ minWidth: 180 }}
          value={status ?? ''}
          onChange={(value) => onFilter('status', value)}
          options={[
            { value: '', label: t.anyStatus },
            ...LEAD_STATUSES.map((value) => ({ value, label: leadStatusName(value, language) })),
          ]}
        />
      </Form.Item>
      {sectorOptions !== undefined ? (
        <Form.Item label={t.sector} htmlFor="lead-list-sector">
          <Select<string>
            id="lead-list-sector"
            style={{ minWidth: 200 }}
            value={sector ?? ''}
            onChange={(value) => onFilter('sector', value)}
            options={[
              ...(anySector ? [{ value: '', label: t.anySector }] : []),
              ...sectorOptions.map((option) => ({ value: option.code, label: option[language] })),
            ]}
          />
        </Form.Item>
      ) : null}
      <Form.Item label={t.pageSize} htmlFor="lead-list-page-size">
        <Select<number>
          id="lead-list-page-size"
          style={{ width: 90 }}
          value={pageSize}
          onChange={onPageSize}
          options={PAGE_SIZES.map((size) => ({ value: size, label: String(size) }))}
        />
      </Form.Item>
    </Form>
  );
}
