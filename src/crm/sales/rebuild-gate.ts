import type { Pool, PoolConnection } from 'mysql2/promise';
import { withTransaction } from '../kernel/index.ts';

/**
 * The gate between order writes and a whole-table rebuild of member_stats: one row of
 * member_stats_gate, locked shared by every transaction that changes a member's orders
 * (resyncMembers, first thing) and exclusively by the rebuild for as long as it runs.
 *
 * Why: the rebuild streams every order in one read and writes each member's rollup a little
 * later; a writer that committed in between (its order not in the rebuild's read, its own row
 * already written) would get the older rollup written over its row. With the gate the rebuild
 * starts only when the writers in flight have committed, and writers that arrive meanwhile wait
 * until it is done (InnoDB's lock wait: a rebuild longer than innodb_lock_wait_timeout makes them
 * fail with the retryable order_lock_conflict, which the order API answers as a 503). Writers
 * share the row, so they never wait for each other. A row lock rather than a named lock: it is
 * held until the writer's commit, whatever the writer did before, and InnoDB sees a deadlock
 * through it.
 */
const GATE = 'SELECT id FROM member_stats_gate WHERE id = 1';

/** A writer's share of the gate, inside its transaction on `conn` (held until it commits or rolls back). */
export async function enterAsWriter(conn: PoolConnection): Promise<void> {
  await conn.query(`${GATE} LOCK IN SHARE MODE`);
}

/** Runs `rebuild` holding the gate exclusively (on a connection of its own, released after). */
export async function asTheOnlyWriter<T>(sql: Pool, rebuild: () => Promise<T>): Promise<T> {
  const conn = await sql.getConnection();
  try {
    // The row is the migration's; put back if someone emptied the table (a lock on no row locks nothing).
    await conn.query('INSERT IGNORE INTO member_stats_gate (id) VALUES (1)');
    // Nothing is written on this connection: the transaction only holds the lock, then rolls back.
    return await withTransaction(conn, async (c, tx) => {
      tx.rollbackOnly();
      await c.query(`${GATE} FOR UPDATE`);
      return rebuild();
    });
  } finally {
    conn.release();
  }
}
