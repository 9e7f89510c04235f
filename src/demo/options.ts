import { z } from 'zod';
import { AppError, startOfChinaDay } from '../crm/kernel/index.ts';
import { FIXED_MEMBERS } from './fixed-members.ts';

/** The seed used when none is given (README documents it). */
export const DEFAULT_SEED = 42;
export const DEFAULT_MEMBERS = 2000;

export interface SeedProgress {
  membersDone: number;
  membersTotal: number;
  ordersDone: number;
  /** Interactions, tickets, KOC profiles and referrals written so far. */
  serviceRecordsDone: number;
  elapsedMs: number;
  /** Set while the secondary indexes are built after the load. */
  phase?: 'indexes';
  done: boolean;
}

export interface SeedOptions {
  /** Members to create (the 5 fixed demo members included); default 2,000. */
  members?: number;
  /** PRNG seed (uint32); default 42. Same seed + members + now → identical rows. */
  seed?: number;
  /**
   * The generation date: orders span the two years before it and demo_member_truth.as_of is
   * it. Default: 00:00 China time of the current day, so data looks fresh and two runs on the
   * same day are identical; pass it explicitly for data that never changes.
   */
  now?: Date;
  /** Empty the demo tables first instead of refusing a non-empty database. */
  reset?: boolean;
  /** Members generated and written per step (memory is proportional to it). */
  chunkMembers?: number;
  /**
   * Worker threads generating chunks while the main thread writes; 0 = generate in this thread.
   * Default: none below 20,000 members (starting workers costs more than it saves), else one
   * per spare core (at most 3). The rows are identical whatever the count.
   */
  threads?: number;
  /**
   * How rows travel: `tsv` = LOAD DATA LOCAL INFILE, `sql` = multi-row INSERTs. Default: tsv
   * when the server allows local infile (MariaDB does by default), else sql. Same rows either way.
   */
  format?: 'tsv' | 'sql';
  /**
   * Drop the loaded tables' secondary indexes for the load and build them afterwards
   * (deferred-indexes.ts). Default: from 20,000 members; below that the DDL costs more than it saves.
   */
  deferIndexes?: boolean;
  /** Called after each chunk is written and once at the end. */
  onProgress?: (p: SeedProgress) => void;
}

const schema = z.object({
  members: z.number().int().min(FIXED_MEMBERS.length, `members must be at least ${FIXED_MEMBERS.length} (the fixed demo members)`).max(99_999_999).default(DEFAULT_MEMBERS),
  seed: z.number().int().min(0).max(0xffffffff).default(DEFAULT_SEED),
  now: z.date().refine((d) => !Number.isNaN(d.getTime()), 'now must be a valid date').optional(),
  reset: z.boolean().default(false),
  chunkMembers: z.number().int().min(1).max(100_000).default(1000),
  threads: z.number().int().min(0).max(16).optional(),
  format: z.enum(['tsv', 'sql']).optional(),
  deferIndexes: z.boolean().optional(),
});

export type ParsedSeedOptions = Omit<z.infer<typeof schema>, 'now'> & { now: Date; onProgress?: (p: SeedProgress) => void };

/** Validates options; a bad value is an AppError with code `seed_bad_options`. */
export function parseSeedOptions(opts: SeedOptions): ParsedSeedOptions {
  const { onProgress, ...rest } = opts;
  const r = schema.safeParse(rest);
  if (!r.success) throw new AppError('seed_bad_options', r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  return { ...r.data, now: r.data.now ?? startOfChinaDay(new Date()), onProgress };
}
