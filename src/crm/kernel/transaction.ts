import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { batchPool } from '../../db/sql.ts';
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
  /** Rows handed to `writeAtFinish`, by kind: written in the transaction that `finish` commits. */
  atFinish: Map<string, AtFinish>;
  /** Joined writes under way (between their SAVEPOINT and its release). */
  active: number;
  /** Rows of writeAtFinish already sent on the scope's connection, ahead of `finish`. */
  sent: Promise<unknown>[];
  /** The caller can record its outcome as a statement (FoldedFinish): rows wait for it instead of opening a transaction ahead. */
  foldable: boolean;
}

/** Rows of one kind for `writeAtFinish`, and how to write them (on the scope's connection, or alone). */
interface AtFinish {
  /** Every row handed over (what is written alone when the transaction does not commit). */
  rows: unknown[];
  /** Those not yet sent on the scope's connection. */
  unsent: unknown[];
  write: (db: PoolConnection | null, rows: unknown[]) => Promise<unknown>;
  /** The same write as one statement and its values (formatted by the connection), for a folded finish; absent: never folded. */
  statement?: (rows: unknown[]) => Statement;
}

/** A statement with `?` placeholders and its values, as mysql2's `query` takes them. */
export interface Statement {
  sql: string;
  values: unknown[];
}

/**
 * `finish` as one statement (withSharedTransaction): when the work joined no write and handed
 * over only rows that can be statements too, the rows and this statement go to the server in
 * one round trip — `START TRANSACTION; <rows>; <statement>; COMMIT` on a multi-statement
 * connection (db/sql.ts `batchPool`) — instead of BEGIN, one INSERT per kind, the finish's own
 * write and COMMIT in four or more (docs/benchmarks.md, "Chat turns": at load 20 each round trip
 * cost 3–12 ms). The rows commit whatever the statement finds — what happens to them anyway when
 * `finish` says no (they are written on their own) —, and `recorded(result)` says whether the
 * outcome was recorded (what `finish` would have returned).
 */
export interface FoldedFinish<T> {
  statement(out: T): Statement;
  recorded(result: ResultSetHeader): boolean;
}

const shared = new AsyncLocalStorage<SharedScope>();

/**
 * A `withTransaction(pool)` inside a shared scope: a savepoint on the scope's one connection —
 * except for the first write of a scope with nothing on its connection yet and no other joined
 * write under way (a chat turn's one write, tag.add …): the transaction's start is then its
 * savepoint, and SAVEPOINT and RELEASE, two round trips of every such turn, are not sent. Should
 * that write fail or roll back, the transaction is rolled back and begun again (what ROLLBACK TO
 * SAVEPOINT would have left); if another write joined meanwhile, its part cannot be kept apart:
 * the scope can no longer commit.
 */
async function joined<T>(scope: SharedScope, work: (conn: PoolConnection, tx: Transaction) => Promise<T>): Promise<T> {
  const first = !scope.conn && scope.active === 0 && scope.sent.length === 0 && !scope.broken;
  scope.active++;
  try {
    scope.conn ??= openTransaction(scope.pool);
    const conn = await scope.conn;
    if (scope.broken) throw scope.broken;
    const n = ++scope.savepoints;
    const sp = `shared_${n}`;
    /** Undoes this write: to its savepoint, or (first) the whole transaction, begun again. */
    const undo = async (cause: unknown) => {
      if (!first) return void (await conn.query(`ROLLBACK TO SAVEPOINT ${sp}`));
      if (scope.savepoints !== n) scope.broken ??= cause;
      await conn.rollback();
      await conn.beginTransaction();
    };
    if (!first) await conn.query(`SAVEPOINT ${sp}`);
    let keep = true;
    try {
      const out = await work(conn, { attempt: 1, rollbackOnly: () => void (keep = false) });
      if (!keep) await undo(new AppError('transaction_lock_conflict', '数据正被其他操作占用，请稍后重试。'));
      else if (!first) await conn.query(`RELEASE SAVEPOINT ${sp}`);
      return out;
    } catch (e) {
      // A deadlock rolls back the whole transaction, not the savepoint: the scope can no longer commit.
      if (isLockConflict(e)) scope.broken = e;
      else await undo(e).catch((u) => void (scope.broken ??= u));
      throw e;
    }
  } finally {
    scope.active--;
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

export interface SharedTransactionResult<T> {
  out: T;
  /** `finish` said yes and everything committed; false: `finish` said no and every write was rolled back. */
  committed: boolean;
  /** Whether a write of `work` joined (rows handed to writeAtFinish alone do not count). */
  wrote: boolean;
}

/**
 * Runs `work` so that every `withTransaction(pool, …, { joinShared: true })` inside it (however
 * deep, through any context) joins one transaction on one connection, opened by the first of them; then
 * the rows handed to `writeAtFinish` are written and `finish(conn, out)` records the outcome inside
 * the same transaction (conn null when nothing joined and no row was handed over: `finish` then
 * writes on its own) and the transaction commits only if it returns true — otherwise every write
 * of `work` is rolled back. When `work` throws, everything it wrote is rolled back and the error
 * is rethrown; when `finish` or the commit throws, likewise.
 */
export async function withSharedTransaction<T>(pool: Pool, work: () => Promise<T>, finish: (conn: PoolConnection | null, out: T) => Promise<boolean>, key?: string, folded?: FoldedFinish<T>): Promise<SharedTransactionResult<T>> {
  const batch = folded ? batchPool(pool) : null;
  const scope: SharedScope = { pool, done: false, savepoints: 0, taken: new Map(), atFinish: new Map(), active: 0, sent: [], foldable: batch !== null, ...(key ? { key } : {}) };
  const abandon = async () => {
    const conn = await scope.conn?.catch(() => undefined);
    if (!conn) return;
    await conn.rollback().catch(() => undefined);
    conn.release();
  };
  /** Rows handed to writeAtFinish that will not commit with `finish`: written on their own, never lost. */
  const writeAlone = () => Promise.allSettled([...scope.atFinish.values()].map((a) => a.write(null, a.rows)));
  let out: T;
  try {
    out = await shared.run(scope, work);
  } catch (e) {
    scope.done = true;
    await abandon();
    await writeAlone();
    throw e;
  }
  scope.done = true;
  // (Savepoints count the joined writes; rows of writeAtFinish open the connection too.)
  const wrote = scope.savepoints > 0;
  if (!scope.conn && !scope.atFinish.size) return { out, committed: await finish(null, out), wrote: false };
  const kinds = [...scope.atFinish.values()];
  if (!scope.conn && batch && folded && kinds.every((a) => a.statement)) {
    const statements = [...kinds.map((a) => a.statement!(a.rows)), folded.statement(out)];
    const c = await batch.getConnection().catch(async (e) => {
      await writeAlone();
      throw e;
    });
    let results: ResultSetHeader[];
    try {
      [results] = (await c.query(['START TRANSACTION', ...statements.map((st) => c.format(st.sql, st.values)) /* the connection's escaping and time zone */, 'COMMIT'].join(';\n'))) as unknown as [ResultSetHeader[]];
      c.release();
    } catch (e) {
      // The server stops at the failing statement with the transaction open: closing the connection
      // rolls it back (released, the next START TRANSACTION on it would commit the half done).
      c.destroy();
      await writeAlone();
      throw e;
    }
    // results: START TRANSACTION, one per kind, the finish statement, COMMIT.
    return { out, committed: folded.recorded(results[statements.length]!), wrote: false };
  }
  // Rows for writeAtFinish alone open the transaction here, at the end: one commit with `finish`'s own write.
  scope.conn ??= openTransaction(scope.pool);
  const conn = await scope.conn.catch(async (e) => {
    await writeAlone();
    throw e;
  });
  if (scope.broken) {
    await abandon();
    await writeAlone();
    throw new AppError('transaction_lock_conflict', '数据正被其他操作占用，请稍后重试。', { details: { cause: String((scope.broken as Error).message ?? scope.broken) } });
  }
  let committed = false;
  try {
    // A row sent ahead that failed fails the work: nothing is recorded, nothing answered.
    await Promise.all(scope.sent);
    if (scope.broken) throw new AppError('transaction_lock_conflict', '数据正被其他操作占用，请稍后重试。', { details: { cause: String((scope.broken as Error).message ?? scope.broken) } });
    for (const a of scope.atFinish.values()) if (a.unsent.length) await a.write(conn, a.unsent.splice(0));
    const ok = await finish(conn, out);
    if (ok) await conn.commit();
    else await conn.rollback();
    committed = ok;
    return { out, committed: ok, wrote };
  } catch (e) {
    await conn.rollback().catch(() => undefined);
    throw e;
  } finally {
    conn.release();
    if (!committed) await writeAlone();
  }
}

/** A pooled connection with a transaction begun on it (given back when BEGIN fails). */
async function openTransaction(pool: Pool): Promise<PoolConnection> {
  const c = await pool.getConnection();
  try {
    await c.beginTransaction();
  } catch (e) {
    c.release();
    throw e;
  }
  return c;
}

/**
 * Hands a row to the caller's shared scope (withSharedTransaction on `pool`) to be written in the
 * transaction that commits with `finish` — the inbox completion of a chat turn — instead of
 * committing on its own: the turn's answer and its audit rows then cost one commit, not two in a
 * row (docs/benchmarks.md, "Chat turns"). The row is sent at once on the scope's connection
 * (opening its transaction), so its round trips pass while the work goes on; one handed over
 * while a joined write is under way waits for `finish` instead (sent then, inside that write's
 * savepoint, a rollback to it would take the row too). `write(conn, rows)` writes rows of one
 * `kind`. Whenever the transaction does not commit (the work threw, `finish` said no, a write or
 * the commit failed) every row handed over is written on its own — `write(null, rows)` — so none
 * is lost, as none was when each committed at once. False outside a live shared scope on `pool`:
 * the caller writes the row itself.
 */
export function writeAtFinish(pool: Pool, kind: string, row: unknown, write: AtFinish['write'], statement?: AtFinish['statement']): boolean {
  const scope = shared.getStore();
  if (!scope || scope.done || scope.pool !== pool) return false;
  let a = scope.atFinish.get(kind);
  if (!a) scope.atFinish.set(kind, (a = { rows: [], unsent: [], write, ...(statement ? { statement } : {}) }));
  a.rows.push(row);
  // A foldable scope keeps the rows for its finish (one round trip with it) unless a joined write has opened the transaction.
  if (scope.active > 0 || scope.broken || (scope.foldable && statement && !scope.conn)) {
    a.unsent.push(row);
    return true;
  }
  scope.conn ??= openTransaction(scope.pool);
  const sent = scope.conn.then(async (conn) => {
    try {
      await write(conn, [row]);
    } catch (e) {
      if (isLockConflict(e)) scope.broken = e;
      throw e;
    }
  });
  // Awaited by withSharedTransaction before `finish`; never reported as unhandled before that.
  sent.catch(() => undefined);
  scope.sent.push(sent);
  return true;
}
