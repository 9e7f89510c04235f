/**
 * `npm run db:seed -- [--members N] [--seed S] [--now YYYY-MM-DD] [--reset]`: applies the
 * migrations, then loads the deterministic demo data (src/demo). Exit codes: 0 done,
 * 1 failure (e.g. a non-empty database without --reset), 2 bad arguments or configuration.
 */
import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { createSqlPool } from '../db/sql.ts';
import { parseSeedArgs, SEED_USAGE } from '../demo/cli-args.ts';
import { seedDemo } from '../demo/seed.ts';
import type { SeedProgress } from '../demo/options.ts';
import { runCli } from './run.ts';

function progressPrinter(): (p: SeedProgress) => void {
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  return (p) => {
    const now = Date.now();
    // Once a second on a terminal (rewriting the line), every 10 s in logs.
    if (p.phase === 'indexes') {
      process.stderr.write(`${tty ? '\n' : ''}members ${p.membersTotal} loaded in ${(p.elapsedMs / 1000).toFixed(1)} s; building the secondary indexes …\n`);
      return;
    }
    if (!p.done && now - lastPrint < (tty ? 1000 : 10_000)) return;
    lastPrint = now;
    const secs = Math.max(p.elapsedMs / 1000, 0.001);
    const pct = ((100 * p.membersDone) / p.membersTotal).toFixed(1);
    const rate = Math.round(p.membersDone / secs);
    const eta = p.done ? '' : `, ~${Math.ceil((p.membersTotal - p.membersDone) / Math.max(rate, 1))} s left`;
    const line = `members ${p.membersDone}/${p.membersTotal} (${pct}%), orders ${p.ordersDone}, service records ${p.serviceRecordsDone}, ${rate} members/s, ${secs.toFixed(1)} s${eta}`;
    process.stderr.write(tty ? `\r\x1b[K${line}${p.done ? '\n' : ''}` : `${line}\n`);
  };
}

async function main(): Promise<number> {
  const parsed = parseSeedArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`db:seed: ${parsed.error}\n\n${SEED_USAGE}\n`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(`${SEED_USAGE}\n`);
    return 0;
  }
  const config = loadConfig(); // a ConfigError exits 2 through runCli
  const log = (msg: string) => args.quiet || process.stderr.write(`${msg}\n`);
  await migrate(config.DATABASE_URL, { log });
  const sql = createSqlPool(config.DATABASE_URL);
  try {
    const result = await seedDemo(sql, {
      members: args.members ?? config.SEED_MEMBERS,
      seed: args.seed,
      now: args.now,
      threads: args.threads,
      reset: args.reset,
      onProgress: args.quiet ? undefined : progressPrinter(),
    });
    process.stdout.write(`${JSON.stringify({ ...result, now: result.now.toISOString() })}\n`);
    return 0;
  } finally {
    await sql.end();
  }
}

runCli('db:seed', main);
