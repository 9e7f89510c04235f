import mysql from 'mysql2/promise';

export type SqlPool = mysql.Pool;

/** mysql2 pool for bulk and streaming SQL (seed, analytics, migrations). Always UTC. */
export function createSqlPool(databaseUrl: string, connectionLimit = 10): SqlPool {
  return mysql.createPool({
    uri: databaseUrl.replace(/^mariadb:/, 'mysql:'),
    connectionLimit,
    timezone: 'Z',
    dateStrings: false,
    decimalNumbers: false,
    supportBigNumbers: true,
    multipleStatements: false,
    // Each connection's prepared-statement cache allocates its full size at once (mysql2's lru.min:
    // four arrays of `max` slots): the default 16,000 is 512 KB per connection, ~13 MB for the
    // server's pool, retained for its life (a heap snapshot of bench:http). The code prepares a
    // few dozen distinct statements.
    maxPreparedStatements: 256,
    // No stack captured per query (mysql2 records the caller's stack on every command for its
    // errors: ~1.4 % of the callback path's CPU); an error still names the query and its code.
    trace: false,
  });
}

/** Splits a database URL into the server URL and the database name. */
export function splitDatabaseUrl(databaseUrl: string): { serverUrl: string; database: string } {
  const url = new URL(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`DATABASE_URL must name a database of letters, digits and _ (got "${database}")`);
  url.pathname = '/';
  return { serverUrl: url.toString(), database };
}

/** Creates the database named by the URL when it does not exist yet (fresh machines). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const { serverUrl, database } = splitDatabaseUrl(databaseUrl);
  const conn = await mysql.createConnection({ uri: serverUrl });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

/** Drops a database (tests only). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const { serverUrl, database } = splitDatabaseUrl(databaseUrl);
  const conn = await mysql.createConnection({ uri: serverUrl });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}
