import { demoLeadSeeder, referenceSeeder } from './reference-seeders.ts';
import type { Seeder } from './seeding.ts';

/** The registered seeders, in order (the contract they follow is in `seeding.ts`). */
// Reference data first (policies and their funds), then demo leads through the API.
export const seeders: Seeder[] = [referenceSeeder, demoLeadSeeder];
