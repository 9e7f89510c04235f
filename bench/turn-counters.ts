/**
 * What one chat turn asks of MySQL and Redis, counted on this process's own clients (bench:chat
 * prints it per intent; bench/chat-profile.ts lists it per statement): every mysql2 statement of
 * the write and read pools and of the connections they lend — transaction control (BEGIN,
 * COMMIT, ROLLBACK) included, each a round trip of its own — and every Prisma operation; Redis
 * commands, and Redis round trips (the commands a process writes to one connection within one
 * turn of the event loop — a pipeline or a MULTI — go out together and wait for one reply).
 * Each event carries its start and end time, so a profile can lay a turn out in time.
 */
import { batchPool } from '../src/db/sql.ts';
import type { Services } from '../src/services.ts';

export interface TurnEvent {
  /** `sql …`, `readSql …`, `prisma Model.op`, `redis CMD` (the first command of a round trip, with how many went with it). */
  key: string;
  start: number;
  end: number;
  sample: { sql: string; params: unknown };
}

export interface Counters {
  /** Events recorded while on (statements, Prisma operations, Redis round trips), in start order. */
  events: TurnEvent[];
  /** SQL statements (mysql2, transaction control included) and Prisma operations. */
  statements: number;
  prisma: number;
  /** COMMITs (explicit, and autocommitted writes: an INSERT/UPDATE/DELETE outside a transaction commits on its own). */
  commits: number;
  redisCommands: number;
  redisRoundTrips: number;
  on(): void;
  off(): void;
  reset(): void;
}

const shape = (sql: string) => sql.replace(/\s+/g, ' ').replace(/\(\?(, \?)*\)/g, '(…)').slice(0, 160);

/** Starts counting on `services`' clients (its Prisma client is replaced by a counting one); off until `on()`. */
export function countTurns(services: Services): Counters {
  let counting = false;
  const c: Counters = {
    events: [],
    statements: 0,
    prisma: 0,
    commits: 0,
    redisCommands: 0,
    redisRoundTrips: 0,
    on: () => void (counting = true),
    off: () => void (counting = false),
    reset() {
      c.events = [];
      c.statements = c.prisma = c.commits = c.redisCommands = c.redisRoundTrips = 0;
    },
  };
  const note = (key: string, start: number, sample: TurnEvent['sample']) => {
    if (!counting) return;
    c.events.push({ key, start, end: performance.now(), sample });
  };

  const watchPool = (pool: Services['sql'], label: string) => {
    const wrap = (target: any, pooled: boolean) => {
      // A connection lent by the pool is in a transaction between BEGIN and COMMIT/ROLLBACK; the pool itself never is.
      let inTx = false;
      for (const fn of ['query', 'execute'] as const) {
        const orig = target[fn].bind(target);
        target[fn] = async (sql: any, params?: any) => {
          const text = typeof sql === 'string' ? sql : sql.sql;
          const t = performance.now();
          if (counting) {
            c.statements++;
            if (/^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(text) && !(pooled && inTx)) c.commits++;
            // (A multi-statement batch — db/sql.ts batchPool — ends with its COMMIT.)
            if (/^\s*COMMIT\b/i.test(text) || /;\s*COMMIT\s*$/i.test(text)) c.commits++;
          }
          if (/^\s*(BEGIN|START TRANSACTION)\b/i.test(text)) inTx = true;
          if (/^\s*(COMMIT|ROLLBACK)\b/i.test(text)) inTx = false;
          try {
            return await orig(sql, params);
          } finally {
            note(`${label} ${shape(text)}`, t, { sql: text, params });
          }
        };
      }
      // Transaction control goes around query() on a pooled connection: each is a round trip.
      for (const [fn, word] of [['beginTransaction', 'BEGIN'], ['commit', 'COMMIT'], ['rollback', 'ROLLBACK']] as const) {
        if (typeof target[fn] !== 'function') continue;
        const orig = target[fn].bind(target);
        target[fn] = async () => {
          const t = performance.now();
          if (counting) c.statements++;
          if (counting && word === 'COMMIT') c.commits++;
          inTx = word === 'BEGIN';
          try {
            return await orig();
          } finally {
            note(`${label} ${word}`, t, { sql: word, params: [] });
          }
        };
      }
    };
    wrap(pool, false);
    const get = pool.getConnection.bind(pool);
    (pool as any).getConnection = async () => {
      const conn = await get();
      if (!(conn as any).__counted) {
        wrap(conn, true);
        (conn as any).__counted = true;
      }
      return conn;
    };
  };
  watchPool(services.sql, 'sql');
  if (services.readSql !== services.sql) watchPool(services.readSql, 'readSql');
  // The companion whose one query carries a turn's audit rows and inbox completion (kernel FoldedFinish).
  const batch = batchPool(services.sql);
  if (batch) watchPool(batch, 'batch');

  // services.db is built on first use (a getter): count through an extension built on first use too,
  // so a turn that never touches Prisma still never builds it.
  const plain = Object.getOwnPropertyDescriptor(services, 'db')!;
  let counted: unknown;
  Object.defineProperty(services, 'db', { configurable: true, enumerable: true, get: () => (counted ??= extend((plain.get ? plain.get.call(services) : plain.value) as Services['db'])) });
  const extend = (db: Services['db']) => db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }: any) {
        const t = performance.now();
        if (counting) {
          c.statements++;
          c.prisma++;
          // A Prisma write outside $transaction commits on its own (the chat path uses none).
          if (/^(create|update|delete|upsert)/.test(operation)) c.commits++;
        }
        try {
          return await query(args);
        } finally {
          note(`prisma ${model ?? ''}.${operation}`, t, { sql: `${model}.${operation}`, params: args });
        }
      },
    },
  });

  for (const [redis, label] of [[services.redis, 'redis'], [services.bullRedis, 'bullmq']] as const) {
    // Commands written to one connection in the same event-loop turn share a round trip.
    let open: TurnEvent | null = null;
    let n = 0;
    const send = redis.sendCommand.bind(redis);
    (redis as any).sendCommand = (...a: any[]) => {
      const out = send(...(a as [any]));
      if (!counting) return out;
      c.redisCommands++;
      const cmd = a[0] as { name?: string; promise?: Promise<unknown> };
      if (!open) {
        c.redisRoundTrips++;
        n = 0;
        const ev: TurnEvent = { key: '', start: performance.now(), end: 0, sample: { sql: String(cmd.name), params: [] } };
        open = ev;
        c.events.push(ev);
        setImmediate(() => {
          ev.key = `${label} ${String(ev.sample.sql).toUpperCase()}${n > 1 ? ` +${n - 1}` : ''}`;
          open = null;
        });
      }
      n++;
      const ev = open;
      // The round trip ends with the reply to its last command.
      cmd.promise?.then(
        () => void (ev.end = Math.max(ev.end, performance.now())),
        () => void (ev.end = Math.max(ev.end, performance.now())),
      );
      return out;
    };
  }
  return c;
}
