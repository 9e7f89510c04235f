/** Demo data generator: see seed.ts (API), fixed-members.ts and identities.ts (documented demo facts). */
export { seedDemo, seedIfEmpty, type SeedResult, type SeedIfEmptyResult } from './seed.ts';
export { DEFAULT_SEED, DEFAULT_MEMBERS, type SeedOptions, type SeedProgress } from './options.ts';
export { DEMO_STORES, DEMO_STAFF } from './identities.ts';
export { FIXED_MEMBERS } from './fixed-members.ts';
export { DEMO_TAGS } from './tags.ts';
export { PERSONAS, type Persona } from './personas.ts';
export { resetDemoData } from './reset.ts';
