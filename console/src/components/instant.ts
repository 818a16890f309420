import type { Language } from '../i18n/language.ts';

// Beijing time is UTC+8 all year (China has kept no daylight saving time since 1991), so the offset is a
// constant: formatting by hand spares the first Intl.DateTimeFormat, which costs ~100 ms to build cold.
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const two = (value: number) => String(value).padStart(2, '0');

/**
 * An instant as the office reads it: Beijing time, whatever the browser's zone (the ledgers are kept so).
 * Chinese `2026/11/30 22:05:23`, English `30/11/2026, 22:05:23` (as zh-CN and en-GB write them).
 */
export function formatInstant(iso: string | null | undefined, language: Language): string {
  if (iso === null || iso === undefined) return '—';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const beijing = new Date(instant.getTime() + BEIJING_OFFSET_MS);
  const year = beijing.getUTCFullYear();
  const month = two(beijing.getUTCMonth() + 1);
  const day = two(beijing.getUTCDate());
  const time = `${two(beijing.getUTCHours())}:${two(beijing.getUTCMinutes())}:${two(beijing.getUTCSeconds())}`;
  return language === 'zh' ? `${year}/${month}/${day} ${time}` : `${day}/${month}/${year}, ${time}`;
}
