import mysql from 'mysql2/promise';

export type SqlPool = mysql.Pool;

/** The URL each pool was made with (batchPool makes its companion from it). */
const URLS = new WeakMap<SqlPool, string>();
const BATCH = new WeakMap<SqlPool, SqlPool>();

/** mysql2 pool for bulk and streaming SQL (seed, analytics, migrations). Always UTC. */
export function createSqlPool(databaseUrl: string, connectionLimit = 10): SqlPool {
  const pool = options(databaseUrl, connectionLimit, false);
  URLS.set(pool, databaseUrl);
  // Ending the pool ends its companion (batchPool) too: a process or test that ends its pool leaves no socket open.
  const end = pool.end.bind(pool);
  pool.end = async () => {
    const batch = BATCH.get(pool);
    BATCH.delete(pool);
    await Promise.all([end(), batch?.end()]);
  };
  return pool;
}

/**
 * Connections of `batchPool`. Each holds one commit at a time (a turn's folded finish, or a
 * group-committed audit INSERT) for a round trip that waits on the log flush: with 4, turns queued
 * for one, and the same 50-connection callback load cost 15–31 % more CPU a callback than with 10
 * in every one of ten alternated pairs in one process (docs/benchmarks.md, bench:http, sessions 15
 * and 16) — a turn kept waiting keeps its objects alive into the old generation. 10 more MariaDB
 * connections a web process at most (made on demand; max_connections 400).
 */
const BATCH_CONNECTIONS = 10;

/**
 * A small companion of `pool` (same database and settings) whose connections accept several
 * statements in one query: a chat turn's audit rows and its inbox completion go in one round
 * trip (src/crm/kernel/transaction.ts, `FoldedFinish`). The audit log's group commit writes on it
 * too (src/crm/kernel/audit.ts): a commit never waits in the main pool's queue behind the reads
 * of the requests it answers. Only our own statements, each formatted with mysql2's escaping, are
 * ever sent on it — never text from outside. Made on first use and ended with `pool`; null for a
 * pool not made by createSqlPool.
 */
export function batchPool(pool: SqlPool): SqlPool | null {
  const made = BATCH.get(pool);
  if (made) return made;
  const url = URLS.get(pool);
  if (!url) return null;
  const batch = options(url, BATCH_CONNECTIONS, true);
  BATCH.set(pool, batch);
  return batch;
}

function options(databaseUrl: string, connectionLimit: number, multipleStatements: boolean): SqlPool {
  return mysql.createPool({
    uri: databaseUrl.replace(/^mariadb:/, 'mysql:'),
    connectionLimit,
    timezone: 'Z',
    dateStrings: false,
    decimalNumbers: false,
    supportBigNumbers: true,
    multipleStatements,
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
