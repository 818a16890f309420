import { demoProjectSeeder } from './demo-project-seeder.ts';
import { demoLeadSeeder, referenceSeeder } from './reference-seeders.ts';
import type { Seeder } from './seeding.ts';

/** The registered seeders, in order (the contract they follow is in `seeding.ts`). */
// Reference data first (policies and their funds), then demo leads through the API, then the demo
// projects of the source's first half of 2019 (through the use cases, each step at its 2019 instant).
export const seeders: Seeder[] = [referenceSeeder, demoLeadSeeder, demoProjectSeeder];
