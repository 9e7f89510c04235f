/**
 * Shared bench plumbing: `--members N` and the dedicated `crm_bench` database, seeded with the
 * deterministic demo seeder (fixed date) when its size differs. Benches print, never assert.
 */
import { migrate } from '../src/db/migrate.ts';
import { createSqlPool, type SqlPool } from '../src/db/sql.ts';
import { seedDemo } from '../src/crm/seed/index.ts';

export const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/crm_bench';
/** The seed's generation date: fixed, so every bench run on the same size sees the same data. */
export const BENCH_NOW = new Date('2026-11-21T16:00:00.000Z'); // 2026-11-22 00:00 China time

export function membersArg(argv = process.argv.slice(2), fallback = 100_000): number {
  const i = argv.indexOf('--members');
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 5) throw new Error('--members N: an integer ≥ 5');
  return v;
}

/** Migrates crm_bench and (re)seeds it when it does not hold exactly `members` demo members. */
export async function benchDatabase(members: number): Promise<SqlPool> {
  await migrate(BENCH_URL, { log: () => {} });
  const sql = createSqlPool(BENCH_URL);
  const [[row]] = await sql.query<any[]>('SELECT (SELECT COUNT(*) FROM members) AS m, (SELECT COUNT(*) FROM demo_member_truth) AS t, (SELECT MAX(as_of) FROM demo_member_truth) AS asof');
  const asOf = row.asof as Date | null;
  if (Number(row.m) !== members || Number(row.t) !== members || asOf?.getTime() !== BENCH_NOW.getTime()) {
    process.stderr.write(`seeding ${BENCH_URL.replace(/.*\//, '')} with ${members} members (had ${row.m}) …\n`);
    const t = Date.now();
    await seedDemo(sql, { members, now: BENCH_NOW, reset: true });
    process.stderr.write(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  return sql;
}

/** Median wall time of `runs` runs of fn, in ms (and its last result). */
export async function time<T>(fn: () => Promise<T>, runs = 1): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, result };
}

/** Area under the ROC curve of `score` (higher = more positive) against boolean labels; ties averaged. */
export function auc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[idx[k]!]) {
      rankSum += rank;
      pos++;
    }
    i = j + 1;
  }
  const neg = idx.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}

/** Precision, recall and accuracy of a binary prediction. */
export function confusion(pred: ArrayLike<boolean>, truth: ArrayLike<boolean>) {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] && truth[i]) tp++;
    else if (pred[i]) fp++;
    else if (truth[i]) fn++;
    else tn++;
  }
  return { precision: tp / Math.max(tp + fp, 1), recall: tp / Math.max(tp + fn, 1), accuracy: (tp + tn) / Math.max(pred.length, 1), flagged: tp + fp };
}
