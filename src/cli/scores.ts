/**
 * `npm run scores -- [--now YYYY-MM-DD] [--full]`: the scoring run — moves member_stats to the
 * day (incrementally; `--full` rebuilds it and the store visit summary from every order, needed
 * after a bulk load that inserted orders without recordOrder), fits
 * BG/NBD + Gamma-Gamma, writes member_scores (RFM, churn risk/level/reasons, P(alive),
 * expected purchases, CLV), refreshes the smart tags and caches today's health dashboards. Prints the fitted parameters and
 * timings as JSON. Meant for a nightly schedule (cron / a BullMQ repeatable job).
 * Exit codes: 0 done, 1 failure, 2 bad arguments or configuration.
 */
import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { createSqlPool } from '../db/sql.ts';
import { chooseStoreModels, recomputeScores, scoringSettings, warmHealthCache } from '../crm/insights/index.ts';
import { refreshSmartTags } from '../crm/engagement/index.ts';
import { parseChinaDate } from '../crm/kernel/index.ts';
import { createServices } from '../services.ts';
import { runCli } from './run.ts';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a, k) => a.startsWith('--') && a !== '--now' && a !== '--full' && args[k - 1] !== '--now');
  if (unknown.length) {
    process.stderr.write(`scores: unknown option ${unknown[0]} (usage: npm run scores -- [--now YYYY-MM-DD] [--full])\n`);
    return 2;
  }
  const full = args.includes('--full');
  let now = new Date();
  const i = args.indexOf('--now');
  if (i >= 0) {
    now = parseChinaDate(args[i + 1] ?? '');
    if (Number.isNaN(now.getTime())) {
      process.stderr.write('scores: --now YYYY-MM-DD (00:00 China time of that day)\n');
      return 2;
    }
  }
  const config = loadConfig(); // a ConfigError exits 2 through runCli
  await migrate(config.DATABASE_URL, { log: (m) => process.stderr.write(`${m}\n`) });
  const sql = createSqlPool(config.DATABASE_URL);
  const services = createServices({ ...config, LOG_LEVEL: 'silent' }, { now: () => now });
  try {
    // Under the RFM and churn settings an administrator stored (the defaults when unset).
    const r = await recomputeScores(sql, { now, ...(await scoringSettings(services)), ...(full ? { stats: 'full' as const } : {}) });
    const tags = await refreshSmartTags(sql, now, r.tagScores);
    // Each store's customer-base model by holdout likelihood (insights/scores/store-models.ts).
    const storeModels = await chooseStoreModels(sql, now);
    // Today's health dashboards of every store (and all stores), so chat and the API answer from Redis.
    const dashboards = await warmHealthCache(services);
    process.stdout.write(`${JSON.stringify({ now, members: r.members, memberStats: r.stats, bgnbd: r.bgnbd, gammaGamma: r.gammaGamma, rfmCuts: r.rfm, ms: r.ms, smartTags: tags, storeModels, dashboardsCached: dashboards }, null, 2)}\n`);
    return 0;
  } finally {
    await services.close();
    await sql.end();
  }
}

runCli('scores', main);
