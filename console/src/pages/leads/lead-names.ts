import type { components } from '../../api/schema.d.ts';

/** Names of the lead's coded values, in both languages (the form and the lead page say the same). */
type Bilingual = { readonly zh: string; readonly en: string };

export type LeadRequest = components['schemas']['LeadRequest'];
export type IntroducerType = LeadRequest['introducer']['type'];
export type ProjectCategory = LeadRequest['category'];

export const INTRODUCER_NAMES: Record<IntroducerType, Bilingual> = {
  leading_enterprise: { zh: '龙头企业', en: 'Leading enterprise' },
  natural_person: { zh: '自然人', en: 'Natural person' },
  intermediary: { zh: '中介（牵线搭桥的有功人士）', en: 'Intermediary' },
  professional_team: { zh: '专业招商团队', en: 'Professional attraction team' },
  none: { zh: '无引荐方', en: 'None' },
};

export const INTRODUCER_TYPES = Object.keys(INTRODUCER_NAMES) as IntroducerType[];

export const CATEGORY_NAMES: Record<ProjectCategory, Bilingual> = {
  new_productive_force: { zh: '新型生产力培育', en: 'New productive-force cultivation' },
  old_capacity_upgrade: { zh: '旧动能改造提升', en: 'Old capacity upgrade' },
  other: { zh: '其他', en: 'Other' },
};

export const PROJECT_CATEGORIES = Object.keys(CATEGORY_NAMES) as ProjectCategory[];

export const BASIS_NAMES: Record<'actual' | 'planned', Bilingual> = {
  actual: { zh: '实际投资额', en: 'actual investment' },
  planned: { zh: '计划投资额（预估）', en: 'planned investment (provisional)' },
};

type AllocationState = NonNullable<components['schemas']['LeadView']['allocation']>['state'];

export const ALLOCATION_NAMES: Record<AllocationState, Bilingual> = {
  reserved: { zh: '已预留', en: 'Reserved' },
  waitlisted: { zh: '候补排队中', en: 'Waitlisted' },
  committed: { zh: '已确认（财政批准）', en: 'Committed (approved)' },
  released: { zh: '已释放', en: 'Released' },
};

/** Whether a form field asks for an introducer's name, company code or resident ID. */
export const INTRODUCER_FIELDS: Record<
  IntroducerType,
  { name: boolean; uscc: 'required' | 'optional' | 'none'; residentId: 'required' | 'optional' | 'none' }
> = {
  leading_enterprise: { name: true, uscc: 'required', residentId: 'none' },
  natural_person: { name: true, uscc: 'none', residentId: 'required' },
  intermediary: { name: true, uscc: 'optional', residentId: 'optional' },
  professional_team: { name: true, uscc: 'optional', residentId: 'optional' },
  none: { name: false, uscc: 'none', residentId: 'none' },
};
