import type { SqlPool } from '../../db/sql.ts';
import type { Services } from '../../services.ts';

/**
 * The pool for a heavy read that depends on something just written (an export of the list a run
 * has just stored): the read pool (READ_DATABASE_URL's replica) once it returns what the primary
 * returns for `probe` — a small query over the rows written last, e.g. a segment's last run — else,
 * after `waitMs`, the primary. Without a replica it is the one pool.
 */
export async function readPoolAfter(services: Pick<Services, 'sql' | 'readSql'>, probe: { sql: string; params: unknown[] }, waitMs = 2000): Promise<SqlPool> {
  if (services.readSql === services.sql) return services.sql;
  const [want] = await services.sql.query(probe.sql, probe.params);
  const until = Date.now() + waitMs;
  for (;;) {
    const [got] = await services.readSql.query(probe.sql, probe.params);
    if (JSON.stringify(got) === JSON.stringify(want)) return services.readSql;
    if (Date.now() >= until) return services.sql;
    await new Promise((r) => setTimeout(r, 50));
  }
}
