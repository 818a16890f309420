import { residentIdCheckChar, usccCheckChar } from '#shared/domain/identifiers.ts';
import type { LeadInput } from '#shared/schemas/lead.ts';

/** A valid credit code from its first 17 characters. */
function uscc(first17: string): string {
  const check = usccCheckChar(first17);
  if (check === null) throw new Error(`demo data: ${first17} is not a credit-code prefix`);
  return `${first17}${check}`;
}

/** A valid resident ID from its first 17 digits (an invented person). */
function residentId(first17: string): string {
  const check = residentIdCheckChar(first17);
  if (check === null) throw new Error('demo data: not a resident-ID prefix');
  return `${first17}${check}`;
}

/**
 * Demo leads shaped like the projects of the source (the zone's 2019 mid-year review): tens of major
 * projects a year, 1亿–10亿 each. Names are the source's; codes and people are invented.
 */
export const demoLeads: readonly { key: string; lead: LeadInput }[] = [
  {
    key: 'demo-optoelectronics-park',
    lead: {
      sector: 'optoelectronics',
      projectName: '智能光电信息产业园',
      investor: { name: '聊城光电产业园开发有限公司', uscc: uscc('91371500MA3C8K2M5') },
      introducer: {
        type: 'leading_enterprise',
        name: '山东光明电子集团有限公司',
        uscc: uscc('91371500MA3D9P7Q0'),
      },
      plannedInvestment: '3.2亿',
      actualInvestment: '3亿',
      category: 'new_productive_force',
      fundRequest: '1000万',
      responsibleOfficer: { name: '王建国' },
    },
  },
  {
    key: 'demo-hygeia-hospital',
    lead: {
      sector: 'biomedicine',
      projectName: '海吉亚医院',
      investor: { name: '聊城海吉亚医院有限公司', uscc: uscc('91371500MA3N4T6W2') },
      introducer: { type: 'natural_person', name: '朱礼刚', residentId: residentId('37150219780315261') },
      plannedInvestment: '6亿',
      category: 'other',
      municipalMajorProject: true,
    },
  },
  {
    key: 'demo-cj-riboside',
    lead: {
      sector: 'bio_manufacturing',
      projectName: '希杰核糖苷扩建',
      investor: { name: '希杰（聊城）生物科技有限公司', uscc: uscc('91371500MA3P2R8X5') },
      introducer: { type: 'intermediary', name: '聊城市招商服务中心' },
      plannedInvestment: '2.4亿',
      category: 'old_capacity_upgrade',
      fundRequest: '800万',
    },
  },
  {
    key: 'demo-gambol-pet-food',
    lead: {
      sector: 'food',
      projectName: '乖宝宠物食品智能工厂',
      investor: { name: '乖宝宠物食品集团股份有限公司', uscc: uscc('91371500MA3Q7K1H8') },
      introducer: {
        type: 'leading_enterprise',
        name: '聊城鲁西化工集团股份有限公司',
        uscc: uscc('91371500MA3R5M3J6'),
      },
      plannedInvestment: '1亿',
      category: 'new_productive_force',
      fundRequest: '500万',
    },
  },
  {
    key: 'demo-financial-centre',
    lead: {
      sector: 'finance_hq',
      projectName: '国际金融中心',
      investor: { name: '聊城国际金融中心开发有限公司', uscc: uscc('91371500MA3T9U2Y4') },
      introducer: { type: 'none' },
      plannedInvestment: '9.5亿',
      category: 'other',
      bespokeTermsRequested: true,
    },
  },
];
