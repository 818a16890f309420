import * as z from 'zod';
import { type Principal, sectorsOf } from '#shared/auth/principal.ts';
import { DEFAULT_SECTORS, findSector } from '#shared/domain/sectors.ts';

/**
 * The caller as the API sees them. The console shows its menus from this, not from reading the token
 * itself: which claim carries the groups and how groups map to roles are the deployment's settings.
 */
const SectorNameSchema = z.object({ code: z.string(), zh: z.string(), en: z.string() });

export const MeSchema = z.object({
  userId: z.string(),
  roles: z.array(z.string()),
  sectors: z.array(SectorNameSchema),
  /** Every sector team, for forms and filters. */
  sectorCatalogue: z.array(SectorNameSchema),
});

export function whoAmI(principal: Principal): z.output<typeof MeSchema> {
  return {
    userId: principal.userId,
    roles: [...principal.roles],
    sectors: sectorsOf(principal).map((code) => {
      const sector = findSector(code);
      return { code, zh: sector?.zh ?? code, en: sector?.en ?? code };
    }),
    sectorCatalogue: DEFAULT_SECTORS.map(({ code, zh, en }) => ({ code, zh, en })),
  };
}
