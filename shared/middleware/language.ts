import { DEFAULT_LANGUAGE, type Language } from '#shared/errors.ts';

/**
 * The language to answer in, from an `Accept-Language` header (RFC 9110 §12.5.4): the caller's
 * preferences by q-value (ties in the order given), the first that is Chinese (`zh`, `zh-CN`, any `zh-*`:
 * the only Chinese we write is Simplified) or English (`en`, `en-US`, …). A header naming neither, `*`,
 * or none at all gets Chinese, which the users read first.
 */
export function negotiateLanguage(acceptLanguage: string | undefined): Language {
  if (acceptLanguage === undefined) return DEFAULT_LANGUAGE;
  const ranges = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag = '', ...parameters] = part.split(';').map((piece) => piece.trim());
      const q = parameters.find((parameter) => /^q=/i.test(parameter));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter((range) => range.tag !== '' && range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { tag } of ranges) {
    if (tag === '*') return DEFAULT_LANGUAGE;
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LANGUAGE;
}
