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
