/** The language kept in this browser (no React: the start-up script reads it too). */
export const LANGUAGE_KEY = 'kfq.console.language';

export function keptLanguage(): 'zh' | 'en' {
  try {
    return window.localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}
