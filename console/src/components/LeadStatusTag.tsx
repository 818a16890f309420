import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  DollarOutlined,
  FileSearchOutlined,
  InboxOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { LEAD_STATUSES, type LeadStatus } from '../api/lead-list.ts';
import { type Language, useLanguage } from '../i18n/language.ts';

export { LEAD_STATUSES, type LeadStatus };

const NAMES: Record<LeadStatus, { zh: string; en: string }> = {
  RECEIVED: { zh: '已受理（待评估）', en: 'Received (evaluating)' },
  EVALUATED: { zh: '已评估', en: 'Evaluated' },
  PENDING_FINANCE: { zh: '待财政审核', en: 'Awaiting finance review' },
  PENDING_CASE_REVIEW: { zh: '待一事一议审核', en: 'Awaiting case-by-case review' },
  APPROVED: { zh: '已批准', en: 'Approved' },
  REJECTED: { zh: '已驳回', en: 'Rejected' },
  PAID: { zh: '已支付', en: 'Paid' },
};

// Colour only repeats what the icon and the words say; dark text on a pale ground (contrast ≥ 4.5:1,
// which antd's preset tag colours do not all reach).
const LOOKS: Record<LeadStatus, { color: string; background: string; border: string; icon: ReactNode }> = {
  RECEIVED: { color: '#434343', background: '#fafafa', border: '#d9d9d9', icon: <InboxOutlined /> },
  EVALUATED: { color: '#0b4fa8', background: '#e6f4ff', border: '#91caff', icon: <FileSearchOutlined /> },
  PENDING_FINANCE: {
    color: '#874d00',
    background: '#fffbe6',
    border: '#ffe58f',
    icon: <ClockCircleOutlined />,
  },
  PENDING_CASE_REVIEW: { color: '#391085', background: '#f9f0ff', border: '#d3adf7', icon: <TeamOutlined /> },
  APPROVED: { color: '#135200', background: '#f6ffed', border: '#b7eb8f', icon: <CheckCircleOutlined /> },
  REJECTED: { color: '#a8071a', background: '#fff1f0', border: '#ffa39e', icon: <CloseCircleOutlined /> },
  PAID: { color: '#00474f', background: '#e6fffb', border: '#87e8de', icon: <DollarOutlined /> },
};

/** The name of a status in the user's language (Chinese first). */
export function leadStatusName(status: LeadStatus, language: Language): string {
  return NAMES[status][language];
}

/** A lead's status as a tag: icon and words, the colour an aid only. */
export function LeadStatusTag({ status }: { status: LeadStatus }) {
  const language = useLanguage();
  const look = LOOKS[status];
  return (
    <Tag
      icon={look.icon}
      data-status={status}
      style={{ color: look.color, background: look.background, borderColor: look.border }}
    >
      {NAMES[status][language]}
    </Tag>
  );
}
