import { ConfigError, loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';

/** `npm run db:migrate`: applies pending SQL migrations, as `prisma migrate deploy` would. */
try {
  const config = loadConfig();
  const res = await migrate(config.DATABASE_URL, { log: (m) => console.log(m) });
  console.log(res.applied.length ? `applied ${res.applied.length} migration(s)` : 'database is up to date');
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `migration failed: ${(e as Error).message}`);
  process.exit(1);
}
