import type { Language } from '../i18n/language.ts';

/** An instant as the office reads it: Beijing time, whatever the browser's zone (the ledgers are kept so). */
export function formatInstant(iso: string | null | undefined, language: Language): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}
