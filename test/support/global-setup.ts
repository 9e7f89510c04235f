import mysql from 'mysql2/promise';
import { TEST_SERVER_URL } from './server.ts';
import { templateName } from './template-db.ts';

/** A test database older than this was abandoned by an interrupted run (no test takes so long). */
const ABANDONED_AFTER_S = 2 * 3600;

/**
 * Drops test databases left behind by interrupted earlier runs. Only old ones: their names
 * carry their creation time (test/support/env.ts), so a parallel run's databases survive.
 */
export default async function setup(): Promise<void> {
  const conn = await mysql.createConnection({ uri: TEST_SERVER_URL });
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>("SHOW DATABASES LIKE 'crm\\_t\\_%'");
    const nowS = Date.now() / 1000;
    for (const r of rows) {
      const name = String(Object.values(r)[0]);
      const born = /_([0-9a-z]{6,})_[0-9a-f]{6}$/.exec(name)?.[1];
      if (born && nowS - parseInt(born, 36) > ABANDONED_AFTER_S) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
    // Templates of other migration sets (template-db.ts): dropped a day after they were made, so
    // a parallel run on another commit still finds its own.
    const [old] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT table_schema AS name FROM information_schema.tables WHERE table_schema LIKE 'crm\\_tpl\\_%' AND table_schema <> ? AND table_name = '_prisma_migrations' AND create_time < NOW() - INTERVAL 1 DAY",
      [await templateName()],
    );
    for (const r of old) await conn.query(`DROP DATABASE IF EXISTS \`${String(r.name)}\``);
  } finally {
    await conn.end();
  }
}
