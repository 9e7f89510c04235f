import type { Pool, PoolConnection } from 'mysql2/promise';
import type { CodeWithStatus } from './error-codes.ts';
import { AppError } from './errors.ts';

/** InnoDB gave up on the transaction (ER_LOCK_DEADLOCK 1213, ER_LOCK_WAIT_TIMEOUT 1205): it may pass if run again. */
export function isLockConflict(e: unknown): boolean {
  const errno = (e as { errno?: number } | null)?.errno;
  return errno === 1213 || errno === 1205;
}

export interface TransactionOptions {
  /**
   * When InnoDB picks the transaction as a deadlock victim or its lock wait times out, run
   * `work` again from scratch (the rollback left nothing behind), after a short random pause
   * so the two transactions don't collide the same way twice: at most this many attempts in
   * all, the first included. After the last one the caller gets a retryable 503 AppError.
   * Default 1: a lock conflict is thrown as it is.
   */
  retryDeadlocks?: number;
  /** Code (a registered 503) and message of that error (default `transaction_lock_conflict`). */
  lockConflict?: { code: CodeWithStatus<503>; message: string };
}

/** What `work` may ask of the transaction it runs in. */
export interface Transaction {
  /** 1 on the first run, 2 on the first retry, … */
  readonly attempt: number;
  /** Roll back instead of committing when `work` returns (dry runs, nothing to keep). */
  rollbackOnly(): void;
}

/**
 * The one way to run a mysql2 transaction: BEGIN, `work(conn)`, COMMIT; ROLLBACK when `work`
 * throws (the error is rethrown as it is). Given the pool it takes a connection and always
 * gives it back; given a connection (one that holds temporary tables or a named lock of the
 * caller) it runs on it and leaves it open. Prisma `$transaction` is for Prisma code; this is
 * for the SQL of bulk and hot paths.
 */
export async function withTransaction<T>(db: Pool | PoolConnection, work: (conn: PoolConnection, tx: Transaction) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.retryDeadlocks ?? 1);
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(db, work, attempt);
    } catch (e) {
      if (!isLockConflict(e) || attempts === 1) throw e;
      if (attempt >= attempts) {
        const { code, message } = opts.lockConflict ?? { code: 'transaction_lock_conflict' as const, message: '数据正被其他操作占用，多次重试仍有锁冲突，请稍后重试。' };
        throw new AppError(code, message);
      }
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}

const isConnection = (db: Pool | PoolConnection): db is PoolConnection => 'release' in db;

async function once<T>(db: Pool | PoolConnection, work: (conn: PoolConnection, tx: Transaction) => Promise<T>, attempt: number): Promise<T> {
  const own = !isConnection(db);
  const conn = own ? await db.getConnection() : db;
  try {
    let keep = true;
    await conn.beginTransaction();
    try {
      const out = await work(conn, { attempt, rollbackOnly: () => void (keep = false) });
      if (keep) await conn.commit();
      else await conn.rollback();
      return out;
    } catch (e) {
      await conn.rollback().catch(() => undefined);
      throw e;
    }
  } finally {
    if (own) conn.release();
  }
}
