import type { Rule } from 'antd/es/form';
import {
  isRealBirthDate,
  isValidResidentId,
  isValidUscc,
  USCC_ALPHABET,
} from '#shared/domain/identifiers.ts';
import type { Language } from '../i18n/language.ts';

/**
 * Form rules for the two Chinese identifiers, checked with the API's own domain code while the user
 * types: a character that cannot belong is flagged at once, a wrong check character as soon as the 18th
 * character is typed, a short code when the field is left. Messages never repeat the value (a resident ID
 * is personal data) and never name the expected check character (the slip may be elsewhere in the code).
 * Use with `Form.Item validateTrigger={['onChange', 'onBlur']}` and `normalize={upperCase}`.
 */

export const upperCase = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value);

const USCC_CHAR = new RegExp(`^[${USCC_ALPHABET}]*$`);

const TEXTS = {
  zh: {
    usccRequired: '请填写统一社会信用代码',
    usccChars: '统一社会信用代码只含数字和大写字母（不使用 I、O、S、V、Z）',
    usccLength: (n: number) => `统一社会信用代码应为18位，当前${n}位`,
    usccCheck: '统一社会信用代码校验位不符（GB 32100-2015），请核对是否抄写有误',
    idRequired: '请填写居民身份证号',
    idChars: '居民身份证号由17位数字和1位数字或X组成',
    idLength: (n: number) => `居民身份证号应为18位，当前${n}位`,
    idBirth: '居民身份证号中的出生日期无效',
    idRegion: '居民身份证号的地区码无效',
    idCheck: '居民身份证号校验位不符（GB 11643），请核对是否抄写有误',
  },
  en: {
    usccRequired: 'Enter the unified social credit code',
    usccChars: 'A unified social credit code has digits and capital letters only (no I, O, S, V, Z)',
    usccLength: (n: number) => `A unified social credit code has 18 characters; this has ${n}`,
    usccCheck: 'The check character does not match (GB 32100-2015): look for a slip in the code',
    idRequired: 'Enter the resident ID number',
    idChars: 'A resident ID has 17 digits, then a digit or X',
    idLength: (n: number) => `A resident ID has 18 characters; this has ${n}`,
    idBirth: 'The birth date in the resident ID is not a real date',
    idRegion: 'The region code of the resident ID is not valid',
    idCheck: 'The check character does not match (GB 11643): look for a slip in the number',
  },
};

const text = (value: unknown) => (typeof value === 'string' ? value.trim().toUpperCase() : '');

export function usccRules(language: Language, required: boolean): Rule[] {
  const t = TEXTS[language];
  return [
    { required, message: t.usccRequired, validateTrigger: ['onChange', 'onBlur'] },
    {
      // On blur too: antd shows only the rules of the trigger that ran, so a blur must not hide this one.
      validateTrigger: ['onChange', 'onBlur'],
      validator: async (_rule, value: unknown) => {
        const code = text(value);
        if (!USCC_CHAR.test(code)) throw new Error(t.usccChars);
        if (code.length > 18) throw new Error(t.usccLength(code.length));
        if (code.length === 18 && !isValidUscc(code)) throw new Error(t.usccCheck);
      },
    },
    {
      validateTrigger: 'onBlur',
      validator: async (_rule, value: unknown) => {
        const code = text(value);
        if (code !== '' && code.length < 18) throw new Error(t.usccLength(code.length));
      },
    },
  ];
}

export function residentIdRules(language: Language, required: boolean): Rule[] {
  const t = TEXTS[language];
  return [
    { required, message: t.idRequired, validateTrigger: ['onChange', 'onBlur'] },
    {
      // On blur too: antd shows only the rules of the trigger that ran, so a blur must not hide this one.
      validateTrigger: ['onChange', 'onBlur'],
      validator: async (_rule, value: unknown) => {
        const id = text(value);
        if (!/^\d{0,17}$|^\d{17}X$/.test(id) && !/^\d{18}$/.test(id)) {
          throw new Error(id.length > 18 ? t.idLength(id.length) : t.idChars);
        }
        if (id.length !== 18) return;
        if (id.startsWith('0')) throw new Error(t.idRegion);
        if (!isRealBirthDate(id.slice(6, 14))) throw new Error(t.idBirth);
        if (!isValidResidentId(id)) throw new Error(t.idCheck);
      },
    },
    {
      validateTrigger: 'onBlur',
      validator: async (_rule, value: unknown) => {
        const id = text(value);
        if (id !== '' && id.length < 18) throw new Error(t.idLength(id.length));
      },
    },
  ];
}
