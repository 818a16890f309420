import type { Language } from '../i18n/language.ts';

/** An instant as the office reads it: Beijing time, whatever the browser's zone (the ledgers are kept so). */
export function formatInstant(iso: string | null | undefined, language: Language): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatterOf(language).format(date);
}

// Building a formatter costs milliseconds (a list of 100 rows paid it per cell): one per language.
const formatters = new Map<Language, Intl.DateTimeFormat>();

function formatterOf(language: Language): Intl.DateTimeFormat {
  let formatter = formatters.get(language);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    formatters.set(language, formatter);
  }
  return formatter;
}
