import { CheckCircleOutlined, CloseCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { latestDueMonth, shanghaiDateOf } from '#shared/domain/projects/shanghai-time.ts';
import type { Language } from '../../i18n/language.ts';

export type Light = 'green' | 'yellow' | 'red';
export type Level = 'blue' | 'yellow' | 'red';

const LIGHTS: Record<
  Light,
  { zh: string; en: string; color: string; background: string; border: string; icon: ReactNode }
> = {
  green: {
    zh: '绿灯',
    en: 'Green',
    color: '#135200',
    background: '#f6ffed',
    border: '#b7eb8f',
    icon: <CheckCircleOutlined />,
  },
  yellow: {
    zh: '黄灯',
    en: 'Yellow',
    color: '#874d00',
    background: '#fffbe6',
    border: '#ffe58f',
    icon: <ExclamationCircleOutlined />,
  },
  red: {
    zh: '红灯',
    en: 'Red',
    color: '#a8071a',
    background: '#fff1f0',
    border: '#ffa39e',
    icon: <CloseCircleOutlined />,
  },
};

/** A light in words with its icon; the colour only repeats them (dark text on a pale ground). */
export function LightTag({ light, language }: { light: Light; language: Language }) {
  const look = LIGHTS[light];
  return (
    <Tag
      icon={look.icon}
      style={{ color: look.color, background: look.background, borderColor: look.border }}
    >
      {look[language]}
    </Tag>
  );
}

export function lightName(light: Light, language: Language): string {
  return LIGHTS[light][language];
}

const LEVELS: Record<Level, { zh: string; en: string; color: string; background: string; border: string }> = {
  blue: { zh: '蓝色提醒', en: 'Blue: reminder', color: '#0b4fa8', background: '#e6f4ff', border: '#91caff' },
  yellow: {
    zh: '黄色预警',
    en: 'Yellow: warning',
    color: '#874d00',
    background: '#fffbe6',
    border: '#ffe58f',
  },
  red: {
    zh: '红色约谈',
    en: 'Red: talk with the leader',
    color: '#a8071a',
    background: '#fff1f0',
    border: '#ffa39e',
  },
};

export function LevelTag({ level, language }: { level: Level; language: Language }) {
  const look = LEVELS[level];
  return (
    <Tag style={{ color: look.color, background: look.background, borderColor: look.border }}>
      {look[language]}
    </Tag>
  );
}

export function levelName(level: Level, language: Language): string {
  return LEVELS[level][language];
}

const KINDS = {
  new: { zh: '新开工', en: 'New' },
  continued: { zh: '续建', en: 'Continued' },
  completed: { zh: '竣工', en: 'Completed' },
  reserve: { zh: '预备', en: 'Reserve' },
} as const;

export function kindName(kind: keyof typeof KINDS, language: Language): string {
  return KINDS[kind][language];
}

const MAJORS = {
  implementation: { zh: '市级重大（实施类）', en: 'Municipal major (implementation)' },
  preparatory: { zh: '市级重大（预备类）', en: 'Municipal major (preparatory)' },
} as const;

export function majorName(major: keyof typeof MAJORS | null, language: Language): string {
  return major === null ? '' : MAJORS[major][language];
}

const STAGES: Record<string, { zh: string; en: string }> = {
  promotion: { zh: '推介', en: 'Promotion' },
  negotiation: { zh: '在谈', en: 'Negotiation' },
  signed: { zh: '签约', en: 'Signed' },
  pre_construction: { zh: '拟开工', en: 'Preparing to build' },
  under_construction: { zh: '在建', en: 'Under construction' },
  in_production: { zh: '竣工投产', en: 'In production' },
};

/** The default stages (the settings may name others: their code is shown then). */
export const STAGE_CODES = Object.keys(STAGES);

export function stageName(code: string, language: Language): string {
  return STAGES[code]?.[language] ?? code;
}

/** The newest month whose report is due today (the 25th, Asia/Shanghai): what the ledger opens on. */
export function defaultLedgerMonth(): string {
  return latestDueMonth(shanghaiDateOf(new Date()), 25);
}
