import { Flex, Input, type InputProps, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { formatFen, MoneyFormatError, parseMoney } from '#shared/domain/money.ts';
import type { Language } from '../i18n/language.ts';

/**
 * An amount as people write it (`1.2亿`, `6000万`, `120000000.00` yuan), read with the very parser the API
 * uses; what it reads is shown beside the field ("= 1.2亿元"), so a slip of a unit is seen before sending.
 */

/** The amount in fen, or undefined when the text is empty or not an amount. */
export function amountFen(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  try {
    return parseMoney(text, 'amount');
  } catch {
    return undefined;
  }
}

type AmountInputProps = Omit<InputProps, 'value' | 'onChange'> & {
  readonly value?: string;
  readonly onChange?: (value: string) => void;
};

/** Use inside `Form.Item` (which passes id, value, onChange and the aria attributes through). */
export function AmountInput({ value, onChange, id, ...rest }: AmountInputProps) {
  const fen = amountFen(value);
  const parsedId = id === undefined ? undefined : `${id}_parsed`;
  const describedBy = [rest['aria-describedby'], fen === undefined ? undefined : parsedId]
    .filter((part) => part !== undefined)
    .join(' ');
  return (
    <Flex gap={12} align="center">
      <Input
        {...rest}
        id={id}
        value={value}
        onChange={(event) => onChange?.(event.target.value)}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        style={{ maxWidth: 240 }}
        autoComplete="off"
      />
      <Typography.Text id={parsedId} aria-live="polite" style={{ whiteSpace: 'nowrap' }}>
        {fen === undefined ? '' : `= ${formatFen(fen)}`}
      </Typography.Text>
    </Flex>
  );
}

const MESSAGES = {
  zh: { required: '请填写金额', positive: '金额必须大于0' },
  en: { required: 'Enter an amount', positive: 'The amount must be more than 0' },
};

/** The rules of an amount field: required or not, more than 0 or not, the parser's reason in the user's language. */
export function amountRules(
  language: Language,
  options: { readonly required: boolean; readonly positive: boolean },
): Rule[] {
  const text = MESSAGES[language];
  return [
    {
      validator: async (_rule, value: unknown) => {
        if (typeof value !== 'string' || value.trim() === '') {
          if (options.required) throw new Error(text.required);
          return;
        }
        let fen: number;
        try {
          fen = parseMoney(value, 'amount');
        } catch (error) {
          if (!(error instanceof MoneyFormatError)) throw error;
          throw new Error(reasonText(error, language));
        }
        if (options.positive && fen === 0) throw new Error(text.positive);
      },
    },
  ];
}

function reasonText(error: MoneyFormatError, language: Language): string {
  if (language === 'en') return `The amount ${error.reason}`;
  // The parser's Chinese reasons are predicates ("不能为负数"); a few already name the amount.
  return /^(不是金额|金额)/.test(error.reasonZh) ? error.reasonZh : `金额${error.reasonZh}`;
}
