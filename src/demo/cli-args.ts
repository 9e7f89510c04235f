import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseChinaDate } from '../crm/kernel/index.ts';

/** Arguments of `npm run db:seed -- …`, parsed without side effects so they can be tested. */

export const SEED_USAGE = `usage: npm run db:seed -- [--members N] [--seed S] [--now YYYY-MM-DD] [--reset] [--quiet]

  --members N   members to create (default: SEED_MEMBERS, 2000); the 5 fixed demo members included
  --seed S      random seed, 0–4294967295 (default 42); the same seed, members and date give identical data
  --now DATE    generation date (YYYY-MM-DD, China time; default today): orders span the two years before it
  --threads N   worker threads generating data (default: 0 below 20,000 members, else one per spare core, at most 3)
  --reset       empty the demo tables first (deletes stores, staff, members, orders, tags and their dependants)
  --quiet       no progress output
  --help        this text`;

export interface SeedCliArgs {
  members?: number;
  seed?: number;
  now?: Date;
  threads?: number;
  reset: boolean;
  quiet: boolean;
  help: boolean;
}

const digits = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n <= max, `${name} must be at most ${max}`)
    .optional();

const schema = z.object({
  members: digits('--members', 99_999_999).refine((n) => n === undefined || n >= 5, '--members must be at least 5 (the fixed demo members)'),
  seed: digits('--seed', 0xffffffff),
  threads: digits('--threads', 16),
  now: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '--now must be a date like 2026-11-21')
    // Midnight China time of that date.
    .transform(parseChinaDate)
    .refine((d) => !Number.isNaN(d.getTime()), '--now must be a real date')
    .optional(),
});

export type ParsedCli = { ok: true; args: SeedCliArgs } | { ok: false; error: string };

export function parseSeedArgs(argv: string[]): ParsedCli {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        members: { type: 'string' },
        seed: { type: 'string' },
        now: { type: 'string' },
        threads: { type: 'string' },
        reset: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const r = schema.safeParse({ members: values.members, seed: values.seed, now: values.now, threads: values.threads });
  if (!r.success) return { ok: false, error: r.error.issues.map((i) => i.message).join('; ') };
  return { ok: true, args: { ...r.data, reset: values.reset === true, quiet: values.quiet === true, help: values.help === true } };
}
