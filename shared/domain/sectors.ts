/**
 * Sector attraction teams (招商专班). The list is configuration, not code: the zone's admin may rename or
 * replace it. The default below is the domain brief's assumption (the source says there are 10 teams but
 * does not name them); leads carry a sector code whose membership is checked against the configured list.
 */
import * as z from 'zod';

/** Shape of a sector code: lower-case snake case, 2-40 characters. */
export const SECTOR_CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

export const SectorSchema = z
  .object({
    code: z.string().regex(SECTOR_CODE_PATTERN, 'must be lower-case snake case, 2-40 characters'),
    zh: z.string().trim().min(1).max(50),
    en: z.string().trim().min(1).max(100),
  })
  .strict();
export type Sector = z.infer<typeof SectorSchema>;

export const SectorListSchema = z
  .array(SectorSchema)
  .min(1)
  .max(100)
  .superRefine((sectors, ctx) => {
    const seen = new Set<string>();
    sectors.forEach((sector, index) => {
      if (seen.has(sector.code)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'code'],
          message: `duplicate sector code ${sector.code}`,
        });
      }
      seen.add(sector.code);
    });
  });

/** The default 10 sector teams (domain brief, an assumption built from the industries the source names). */
export const DEFAULT_SECTORS: readonly Sector[] = SectorListSchema.parse([
  { code: 'optoelectronics', zh: '智能光电信息', en: 'Smart optoelectronic information' },
  { code: 'biomedicine', zh: '生物医药与大健康', en: 'Biomedicine and health' },
  { code: 'bio_manufacturing', zh: '生物制造', en: 'Bio-manufacturing and fermentation' },
  { code: 'food', zh: '食品加工', en: 'Food processing' },
  { code: 'equipment', zh: '高端装备制造', en: 'Advanced equipment manufacturing' },
  { code: 'new_materials', zh: '新材料', en: 'New materials' },
  { code: 'finance_hq', zh: '现代金融与总部经济', en: 'Finance and headquarters economy' },
  { code: 'logistics', zh: '现代物流', en: 'Modern logistics' },
  { code: 'culture_tourism', zh: '文化旅游', en: 'Culture and tourism' },
  { code: 'new_energy', zh: '新能源', en: 'New energy' },
]);

/** True when `code` names a sector of the given list. */
export function isSectorCode(code: string, sectors: readonly Sector[] = DEFAULT_SECTORS): boolean {
  return sectors.some((sector) => sector.code === code);
}

/** The sector of the list with this code, if any. */
export function findSector(code: string, sectors: readonly Sector[] = DEFAULT_SECTORS): Sector | undefined {
  return sectors.find((sector) => sector.code === code);
}
