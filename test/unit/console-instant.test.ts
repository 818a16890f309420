import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../console/src/components/instant.ts';

/** What the browser's Intl writes for Beijing time: the reference formatInstant must equal. */
function intlBeijing(iso: string, language: 'zh' | 'en'): string {
  return new Date(iso).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', {
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

describe('formatInstant (Beijing time without Intl)', () => {
  it('writes what Intl writes for Asia/Shanghai, in both languages, from 1992 to 2100', () => {
    const instants = fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(instants, (ms) => {
        const iso = new Date(ms).toISOString();
        expect(formatInstant(iso, 'zh')).toBe(intlBeijing(iso, 'zh'));
        expect(formatInstant(iso, 'en')).toBe(intlBeijing(iso, 'en'));
      }),
      { numRuns: 2000 },
    );
  });

  it('crosses midnight into the Beijing day', () => {
    expect(formatInstant('2026-11-30T16:05:09.000Z', 'zh')).toBe('2026/12/01 00:05:09');
    expect(formatInstant('2026-12-31T16:00:00Z', 'en')).toBe('01/01/2027, 00:00:00');
  });

  it('shows a dash for no instant and the text itself when it is not one', () => {
    expect(formatInstant(null, 'zh')).toBe('—');
    expect(formatInstant('not a date', 'en')).toBe('not a date');
  });
});
