import { Result } from 'antd';
import type { ReactNode } from 'react';
import { type ConsoleRole, roleKinds, useMe } from '../auth/me.ts';
import { useTexts } from '../i18n/language.ts';

const texts = {
  zh: { title: '无权访问', detail: '您的角色不能使用此页面。' },
  en: { title: 'Not allowed', detail: 'Your role cannot use this page.' },
};

/** A page for some roles only; the API enforces the same rules, this only spares a useless page. */
export function RequireRole({ kinds, children }: { kinds: readonly ConsoleRole[]; children: ReactNode }) {
  const t = useTexts(texts);
  const { me } = useMe();
  const mine = roleKinds(me);
  if (!kinds.some((kind) => mine.includes(kind))) {
    return <Result status="403" title={t.title} subTitle={t.detail} />;
  }
  return children;
}
