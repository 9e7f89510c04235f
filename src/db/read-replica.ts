import type { Logger } from '../logger.ts';
import { readReplicaFallbacks, readReplicaInUse, readReplicaLag } from '../metrics/registry.ts';
import type { SqlPool } from './sql.ts';

/**
 * The read pool over a replica (READ_DATABASE_URL) that falls back to the primary when the
 * replica cannot serve (docs/scale-out.md, "Read replica"): the heavy reads it carries (previews,
 * dashboards, churn list, exports) may lag a moment, but not minutes, and must not fail because
 * a replica is down when the primary could answer them.
 *
 * - **down**: a query or a connection on the replica fails with a connection error → that call
 *   is retried on the primary at once, and reads stay there until a check finds it back;
 * - **lagging / stopped**: every READ_REPLICA_CHECK_MS a check reads the replica's
 *   `SHOW REPLICA STATUS` (MariaDB ≥ 10.5, MySQL ≥ 8.0.22; `SHOW SLAVE STATUS` on older ones):
 *   `Seconds_Behind_Master` above READ_REPLICA_MAX_LAG_S, or NULL (its SQL thread stopped, so it
 *   falls further behind every second), moves reads to the primary until it is within the limit.
 *   READ_REPLICA_MAX_LAG_S=0 checks reachability only. A replica whose user may not read its
 *   status (no REPLICATION CLIENT / SLAVE MONITOR), or a read endpoint that is no replica at all,
 *   is checked for reachability only, said once in the log.
 *
 * Each switch is one log line and moves `crm_read_replica_in_use`; fallbacks are counted by
 * reason. It never makes the process unready: /readyz reports it beside its checks.
 */
export type ReplicaState = 'ok' | 'down' | 'lagging' | 'stopped';

export interface ReplicaStatus {
  /** Reads go to the replica (else to the primary). */
  inUse: boolean;
  state: ReplicaState;
  /** Seconds_Behind_Master at the last check (null: unknown or replication stopped). */
  lagS: number | null;
  /** The last failure, when state is `down`. */
  error?: string;
  checkedAt: string | null;
}

export interface ReadReplica {
  /** The pool to hand out as `services.readSql`. */
  pool: SqlPool;
  status(): ReplicaStatus;
  /** Runs one check now (tests, start-up). */
  check(): Promise<ReplicaStatus>;
  stop(): void;
}

/** How often the replica's state is read (a cheap SHOW statement, no SELECT). */
export const READ_REPLICA_CHECK_MS = 5000;

// Errors that mean the server (not the statement) failed: the same read on the primary may succeed.
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'POOL_CLOSED']);
const isConnectionError = (e: unknown) => {
  const err = e as { code?: string; fatal?: boolean } | undefined;
  return !!err && (CONNECTION_ERRORS.has(String(err.code)) || err.fatal === true);
};

type Callable = { query(...a: unknown[]): Promise<unknown>; execute(...a: unknown[]): Promise<unknown> };

export function createReadReplica(opts: { replica: SqlPool; primary: SqlPool; maxLagS: number; logger: Logger; now?: () => Date; checkMs?: number }): ReadReplica {
  const { replica, primary, maxLagS, logger } = opts;
  const now = opts.now ?? (() => new Date());
  let status: ReplicaStatus = { inUse: true, state: 'ok', lagS: null, checkedAt: null };
  let statusUnreadable = false;
  readReplicaInUse.set(1);

  const set = (next: Omit<ReplicaStatus, 'inUse' | 'checkedAt'>) => {
    const inUse = next.state === 'ok';
    if (inUse !== status.inUse) {
      if (inUse) logger.info({ lagS: next.lagS }, 'read replica back: heavy reads go to READ_DATABASE_URL again');
      else {
        readReplicaFallbacks.inc({ reason: next.state });
        const why = next.state === 'down' ? `unreachable (${next.error})` : next.state === 'stopped' ? 'replication stopped (Seconds_Behind_Master is NULL)' : `lagging ${next.lagS} s (> READ_REPLICA_MAX_LAG_S=${maxLagS})`;
        logger.warn({ state: next.state, lagS: next.lagS }, `read replica ${why}: heavy reads fall back to the primary`);
      }
    }
    readReplicaInUse.set(inUse ? 1 : 0);
    if (next.lagS !== null) readReplicaLag.set(next.lagS);
    status = { ...next, inUse, checkedAt: now().toISOString() };
  };

  async function replicationStatus(): Promise<Record<string, unknown> | null> {
    try {
      const [rows] = await replica.query('SHOW REPLICA STATUS');
      return (rows as Record<string, unknown>[])[0] ?? null;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ER_PARSE_ERROR') throw e;
      const [rows] = await replica.query('SHOW SLAVE STATUS');
      return (rows as Record<string, unknown>[])[0] ?? null;
    }
  }

  async function check(): Promise<ReplicaStatus> {
    let row: Record<string, unknown> | null;
    try {
      row = statusUnreadable ? (await replica.query('DO 1'), null) : await replicationStatus();
    } catch (e) {
      if (isConnectionError(e)) {
        set({ state: 'down', lagS: null, error: String((e as Error).message || (e as { code?: string }).code) });
        return status;
      }
      // Denied (no REPLICATION CLIENT) or not supported: reachability is all we can know.
      statusUnreadable = true;
      logger.info({ error: (e as Error).message }, 'read replica: its replication status cannot be read; only whether it answers is checked');
      return check();
    }
    if (maxLagS === 0 || !row) {
      set({ state: 'ok', lagS: null });
      return status;
    }
    const raw = row.Seconds_Behind_Master ?? row.Seconds_Behind_Source;
    const lagS = raw === null || raw === undefined ? null : Number(raw);
    set(lagS === null ? { state: 'stopped', lagS: null } : lagS > maxLagS ? { state: 'lagging', lagS } : { state: 'ok', lagS });
    return status;
  }

  const timer = setInterval(() => void check().catch((e) => logger.warn({ error: (e as Error).message }, 'read replica check failed')), opts.checkMs ?? READ_REPLICA_CHECK_MS);
  timer.unref();
  void check().catch(() => undefined);

  /** Runs a call on the replica when it is in use, else (or when the replica fails as a server) on the primary. */
  async function route<T>(call: (pool: SqlPool) => Promise<T>): Promise<T> {
    if (!status.inUse) return call(primary);
    try {
      return await call(replica);
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      set({ state: 'down', lagS: null, error: String((e as Error).message || (e as { code?: string }).code) });
      return call(primary);
    }
  }

  // The pool callers see: query/execute/getConnection are routed, everything else (end, events) is the replica's own.
  const routed: Record<PropertyKey, unknown> = {
    query: (...args: unknown[]) => route((p) => (p as unknown as Callable).query(...args)),
    execute: (...args: unknown[]) => route((p) => (p as unknown as Callable).execute(...args)),
    getConnection: () => route((p) => p.getConnection()),
  };
  const pool = new Proxy(replica, {
    get(target, prop, receiver) {
      if (prop in routed) return routed[prop];
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });

  return { pool, status: () => status, check, stop: () => clearInterval(timer) };
}
