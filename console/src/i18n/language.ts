import { useSyncExternalStore } from 'react';

/**
 * The console's language: Chinese first, English on the toggle, remembered per browser. Each page keeps its
 * own texts beside it (`useTexts({ zh: {...}, en: {...} })`), so a page reads whole in one file.
 */
export type Language = 'zh' | 'en';

const KEY = 'kfq.console.language';
const listeners = new Set<() => void>();
let language: Language = readKept();

function readKept(): Language {
  try {
    return window.localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function currentLanguage(): Language {
  return language;
}

export function setLanguage(next: Language): void {
  language = next;
  window.localStorage.setItem(KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener();
}

export function useLanguage(): Language {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => language,
  );
}

/** A page's texts in both languages: the English keys must match the Chinese ones. */
export function useTexts<T extends Record<string, string>>(texts: { readonly zh: T; readonly en: T }): T {
  return texts[useLanguage()];
}

/** A field message or text that arrives in both languages (the decision's explanation, say). */
export function pick(language: Language, bilingual: { readonly zh: string; readonly en: string }): string {
  return bilingual[language];
}

/** A text with its `{name}` placeholders filled in; a name without a value leaves nothing. */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}
