import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
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
  /**
   * Join the shared transaction of the caller (withSharedTransaction: a chat message's, which
   * commits with its inbox completion) when there is one and `db` is its pool, instead of
   * committing on its own. Only for a write complete in itself: nothing after it in the same
   * request may read its rows expecting them committed, lock them on another connection, or wait
   * for a job that does (a recall stop waits for in-flight sends: it does not join).
   */
  joinShared?: boolean;
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
  const scope = opts.joinShared ? shared.getStore() : undefined;
  if (scope && !scope.done && scope.pool === db) return joined(scope, work);
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

/**
 * One transaction shared by everything a piece of work writes through `withTransaction(pool)`
 * with `joinShared`,
 * and committed together with the caller's own record of that work (the durable inbox's
 * completion, src/bot/inbox/claim.ts): a message's effect and its "answered" state commit at
 * once, so a crash or an error between them leaves neither, and the platform's retry runs the
 * effect once — or finds the recorded answer. Nothing here knows about the inbox.
 */
interface SharedScope {
  pool: Pool;
  /** Opened by the first write that joins (reads and writeless turns never hold a connection). */
  conn?: Promise<PoolConnection>;
  /** The work returned or threw: a late joiner (a timer, a fire-and-forget) runs on its own. */
  done: boolean;
  savepoints: number;
  /** InnoDB rolled the whole transaction back (a deadlock victim): nothing of it may commit. */
  broken?: unknown;
  /** The work's own stable name (the inbox's channel + message id), for `replayKey`. */
  key?: string;
  /** How many replay keys of each kind the work has taken, so two writes of one kind differ. */
  taken: Map<string, number>;
  /** Writes the work started and did not wait for (`beforeFinish`): all have committed before `finish` runs. */
  started: Promise<unknown>[];
}

const shared = new AsyncLocalStorage<SharedScope>();

/** A `withTransaction(pool)` inside a shared scope: a savepoint on the scope's one connection. */
async function joined<T>(scope: SharedScope, work: (conn: PoolConnection, tx: Transaction) => Promise<T>): Promise<T> {
  scope.conn ??= (async () => {
    const c = await scope.pool.getConnection();
    try {
      await c.beginTransaction();
    } catch (e) {
      c.release();
      throw e;
    }
    return c;
  })();
  const conn = await scope.conn;
  if (scope.broken) throw scope.broken;
  const sp = `shared_${++scope.savepoints}`;
  await conn.query(`SAVEPOINT ${sp}`);
  let keep = true;
  try {
    const out = await work(conn, { attempt: 1, rollbackOnly: () => void (keep = false) });
    await conn.query(keep ? `RELEASE SAVEPOINT ${sp}` : `ROLLBACK TO SAVEPOINT ${sp}`);
    return out;
  } catch (e) {
    // A deadlock rolls back the whole transaction, not the savepoint: the scope can no longer commit.
    if (isLockConflict(e)) scope.broken = e;
    else await conn.query(`ROLLBACK TO SAVEPOINT ${sp}`).catch(() => undefined);
    throw e;
  }
}

/**
 * The idempotency key of a write that cannot join the shared transaction (a Prisma write: Prisma
 * keeps its own connections), or null outside a keyed shared scope. It is derived from the work's
 * key (withSharedTransaction's `key`: the inbox's message), the kind of write and how many of
 * that kind the work made before: the same message run again — the platform's retry after a crash
 * between such a write and the inbox's completion — asks for the same keys in the same order,
 * and the owner of the write replays the row it made instead of making a second one. 64 hex
 * characters (the `idempotency_key` columns).
 */
export function replayKey(kind: string): string | null {
  const scope = shared.getStore();
  if (!scope?.key || scope.done) return null;
  const n = (scope.taken.get(kind) ?? 0) + 1;
  scope.taken.set(kind, n);
  return createHash('sha256').update(`${scope.key}\n${kind}\n${n}`).digest('hex');
}

/**
 * Hands a write that commits on its own (an audit row's group commit, audit.ts) to the caller's
 * shared scope instead of waiting for it here: the scope waits for it before `finish` — so a chat
 * turn's answer is recorded, and given, only once the write has committed — and fails like its
 * work when the write fails. The turn meanwhile goes on (the write costs it no round trip of its
 * own). False outside a live shared scope: the caller then awaits the write itself.
 */
export function beforeFinish(write: Promise<unknown>): boolean {
  const scope = shared.getStore();
  if (!scope || scope.done) return false;
  // Handled here so a failure is not reported as unhandled before the scope awaits it.
  write.catch(() => undefined);
  scope.started.push(write);
  return true;
}

export interface SharedTransactionResult<T> {
  out: T;
  /** `finish` said yes and everything committed; false: `finish` said no and every write was rolled back. */
  committed: boolean;
  /** Whether anything joined (a write ran inside the transaction). */
  wrote: boolean;
}

/**
 * Runs `work` so that every `withTransaction(pool, …, { joinShared: true })` inside it (however
 * deep, through any context) joins one transaction on one connection, opened by the first of them; then
 * `finish(conn, out)` records the outcome inside the same transaction (conn null when nothing
 * joined: `finish` then writes on its own) and the transaction commits only if it returns
 * true — otherwise every write of `work` is rolled back. When `work` throws, everything it wrote
 * is rolled back and the error is rethrown; when `finish` or the commit throws, likewise.
 */
export async function withSharedTransaction<T>(pool: Pool, work: () => Promise<T>, finish: (conn: PoolConnection | null, out: T) => Promise<boolean>, key?: string): Promise<SharedTransactionResult<T>> {
  const scope: SharedScope = { pool, done: false, savepoints: 0, taken: new Map(), started: [], ...(key ? { key } : {}) };
  const abandon = async () => {
    const conn = await scope.conn?.catch(() => undefined);
    if (!conn) return;
    await conn.rollback().catch(() => undefined);
    conn.release();
  };
  let out: T;
  try {
    out = await shared.run(scope, work);
  } catch (e) {
    scope.done = true;
    await Promise.allSettled(scope.started);
    await abandon();
    throw e;
  }
  scope.done = true;
  try {
    // A write handed over with beforeFinish that failed fails the work: nothing is recorded, nothing answered.
    await Promise.all(scope.started);
  } catch (e) {
    await abandon();
    throw e;
  }
  if (!scope.conn) return { out, committed: await finish(null, out), wrote: false };
  const conn = await scope.conn;
  if (scope.broken) {
    await abandon();
    throw new AppError('transaction_lock_conflict', '数据正被其他操作占用，请稍后重试。', { details: { cause: String((scope.broken as Error).message ?? scope.broken) } });
  }
  try {
    const ok = await finish(conn, out);
    if (ok) await conn.commit();
    else await conn.rollback();
    return { out, committed: ok, wrote: true };
  } catch (e) {
    await conn.rollback().catch(() => undefined);
    throw e;
  } finally {
    conn.release();
  }
}
