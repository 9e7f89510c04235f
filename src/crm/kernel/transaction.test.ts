import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSqlPool, type SqlPool } from '../../db/sql.ts';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { AppError } from './errors.ts';
import { isLockConflict, withSharedTransaction, withTransaction, writeAtFinish, type FoldedFinish } from './transaction.ts';

let env: TestEnv;
/** A pool of our own, small, so a connection that is not given back shows at once. */
let pool: SqlPool;

/** Connections the pool has open, and how many of them are idle (mysql2's pool keeps both lists). */
function poolState(): { all: number; free: number } {
  const core = (pool as unknown as { pool: { _allConnections: { length: number }; _freeConnections: { length: number } } }).pool;
  return { all: core._allConnections.length, free: core._freeConnections.length };
}
const allFree = () => expect(poolState().free).toBe(poolState().all);

async function values(): Promise<Record<number, number>> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT id, v FROM tx_probe ORDER BY id');
  return Object.fromEntries(rows.map((r) => [Number(r.id), Number(r.v)]));
}

/** A promise and its resolve, to make two transactions wait for each other. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

beforeAll(async () => {
  env = await createTestEnv('kernel_tx');
  pool = createSqlPool(env.databaseUrl, 3);
  await pool.query('CREATE TABLE tx_probe (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB');
});

afterAll(async () => {
  await pool?.end();
  await env?.cleanup();
});

beforeEach(async () => {
  await pool.query('DELETE FROM tx_probe');
  await pool.query('INSERT INTO tx_probe (id, v) VALUES (1, 0), (2, 0)');
});

describe('withTransaction', () => {
  it('commits what work did and returns its value; the connection goes back to the pool', async () => {
    const out = await withTransaction(pool, async (conn, tx) => {
      await conn.query('UPDATE tx_probe SET v = 5 WHERE id = 1');
      // Not visible outside before the commit.
      const [[outside]] = await pool.query<RowDataPacket[]>('SELECT v FROM tx_probe WHERE id = 1');
      expect(Number(outside!.v)).toBe(0);
      return { attempt: tx.attempt };
    });
    expect(out).toEqual({ attempt: 1 });
    expect(await values()).toEqual({ 1: 5, 2: 0 });
    allFree();
  });

  it('rolls back when work throws, rethrows the same error, and releases the connection', async () => {
    const boom = new Error('boom');
    await expect(
      withTransaction(pool, async (conn) => {
        await conn.query('UPDATE tx_probe SET v = 7 WHERE id = 1');
        await conn.query('INSERT INTO tx_probe (id, v) VALUES (3, 3)');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    allFree();
  });

  it('rolls back when a statement fails (SQL error), and releases the connection', async () => {
    const err = await withTransaction(pool, async (conn) => {
      await conn.query('UPDATE tx_probe SET v = 7 WHERE id = 1');
      await conn.query('INSERT INTO tx_probe (id, v) VALUES (2, 2)'); // duplicate key
    }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('ER_DUP_ENTRY');
    expect(isLockConflict(err)).toBe(false);
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    allFree();
  });

  it('rollbackOnly(): work returns its value, nothing is kept', async () => {
    const out = await withTransaction(pool, async (conn, tx) => {
      await conn.query('UPDATE tx_probe SET v = 9 WHERE id = 2');
      tx.rollbackOnly();
      return 'dry';
    });
    expect(out).toBe('dry');
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    allFree();
  });

  it('never leaks: many transactions, failing or not, through a pool of three', async () => {
    const runs = Array.from({ length: 30 }, (_, i) =>
      withTransaction(pool, async (conn) => {
        await conn.query('SELECT SLEEP(0.01)');
        if (i % 3 === 0) throw new Error(`fail ${i}`);
        return i;
      }).catch(() => -1),
    );
    const out = await Promise.all(runs);
    expect(out.filter((x) => x === -1)).toHaveLength(10);
    expect(poolState().all).toBeLessThanOrEqual(3);
    allFree();
  });

  it('on a connection of the caller: commits and rolls back on it, and leaves it open (temporary tables survive)', async () => {
    const conn = await pool.getConnection();
    try {
      await conn.query('CREATE TEMPORARY TABLE tx_tmp (id INT PRIMARY KEY)');
      await withTransaction(conn, async (c) => {
        expect(c).toBe(conn);
        await c.query('INSERT INTO tx_tmp (id) VALUES (1)');
        await c.query('UPDATE tx_probe SET v = 1 WHERE id = 1');
      });
      await expect(
        withTransaction(conn, async (c) => {
          await c.query('UPDATE tx_probe SET v = 2 WHERE id = 2');
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      const [[tmp]] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM tx_tmp');
      expect(Number(tmp!.n)).toBe(1);
      // Still checked out: not among the free ones.
      expect(poolState().free).toBe(poolState().all - 1);
    } finally {
      conn.release();
    }
    expect(await values()).toEqual({ 1: 1, 2: 0 });
    allFree();
  });

  it('a deadlock between two real transactions: the victim is run again and both end up committed once', async () => {
    const aHasRow1 = gate();
    const bHasRow2 = gate();
    const attempts = { a: 0, b: 0 };
    const a = withTransaction(
      pool,
      async (conn, tx) => {
        attempts.a = tx.attempt;
        await conn.query('UPDATE tx_probe SET v = v + 1 WHERE id = 1');
        if (tx.attempt === 1) {
          aHasRow1.open();
          await bHasRow2.opened;
        }
        await conn.query('UPDATE tx_probe SET v = v + 10 WHERE id = 2');
        return 'a';
      },
      { retryDeadlocks: 5 },
    );
    const b = withTransaction(
      pool,
      async (conn, tx) => {
        attempts.b = tx.attempt;
        await conn.query('UPDATE tx_probe SET v = v + 100 WHERE id = 2');
        if (tx.attempt === 1) {
          bHasRow2.open();
          await aHasRow1.opened;
        }
        await conn.query('UPDATE tx_probe SET v = v + 1000 WHERE id = 1');
        return 'b';
      },
      { retryDeadlocks: 5 },
    );
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    // Exactly one of them was InnoDB's victim and ran a second time; each change is applied once.
    expect(attempts.a + attempts.b).toBe(3);
    expect(await values()).toEqual({ 1: 1001, 2: 110 });
    allFree();
  });

  it('without retryDeadlocks the victim gets InnoDB’s error as it is, rolled back', async () => {
    const aHasRow1 = gate();
    const bHasRow2 = gate();
    const run = (first: number, second: number, mine: ReturnType<typeof gate>, theirs: ReturnType<typeof gate>) =>
      withTransaction(pool, async (conn) => {
        await conn.query('UPDATE tx_probe SET v = v + 1 WHERE id = ?', [first]);
        mine.open();
        await theirs.opened;
        await conn.query('UPDATE tx_probe SET v = v + 1 WHERE id = ?', [second]);
      });
    const settled = await Promise.allSettled([run(1, 2, aHasRow1, bHasRow2), run(2, 1, bHasRow2, aHasRow1)]);
    const failed = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    expect((failed[0]!.reason as { errno: number }).errno).toBe(1213);
    expect(isLockConflict(failed[0]!.reason)).toBe(true);
    // The winner's two increments only.
    expect(Object.values(await values()).sort()).toEqual([1, 1]);
    allFree();
  });

  it('after the last attempt a lock conflict becomes a retryable 503 AppError', async () => {
    const holder = await pool.getConnection();
    try {
      await holder.beginTransaction();
      await holder.query('UPDATE tx_probe SET v = 1 WHERE id = 1');
      const tried: number[] = [];
      const err = await withTransaction(
        pool,
        async (conn, tx) => {
          tried.push(tx.attempt);
          await conn.query('SET SESSION innodb_lock_wait_timeout = 1');
          await conn.query('UPDATE tx_probe SET v = 2 WHERE id = 1'); // waits for the holder, gives up (1205)
        },
        { retryDeadlocks: 2, lockConflict: { code: 'order_lock_conflict', message: 'busy' } },
      ).catch((e: unknown) => e);
      expect(tried).toEqual([1, 2]);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'order_lock_conflict', message: 'busy', status: 503, retryable: true });
      await holder.rollback();
    } finally {
      holder.release();
    }
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    allFree();
  }, 20_000);

  it('errors other than lock conflicts are not retried', async () => {
    let runs = 0;
    await expect(
      withTransaction(
        pool,
        async () => {
          runs++;
          throw new Error('not a lock');
        },
        { retryDeadlocks: 5 },
      ),
    ).rejects.toThrow('not a lock');
    expect(runs).toBe(1);
    allFree();
  });
});

describe('withSharedTransaction (a chat message: its writes commit with its inbox completion)', () => {
  const bump = (id: number) => withTransaction(pool, (conn) => conn.query('UPDATE tx_probe SET v = v + 1 WHERE id = ?', [id]), { joinShared: true });

  it('joined writes and finish commit together; nothing is visible before finish', async () => {
    const r = await withSharedTransaction(
      pool,
      async () => {
        await bump(1);
        await bump(2);
        expect(await values()).toEqual({ 1: 0, 2: 0 });
        return 'answer';
      },
      async (conn, out) => {
        expect(out).toBe('answer');
        await conn!.query('UPDATE tx_probe SET v = 10 WHERE id = 2');
        expect(await values()).toEqual({ 1: 0, 2: 0 });
        return true;
      },
    );
    expect(r).toEqual({ out: 'answer', committed: true, wrote: true });
    expect(await values()).toEqual({ 1: 1, 2: 10 });
    allFree();
  });

  it('finish saying no (the claim was taken over) rolls every joined write back', async () => {
    const r = await withSharedTransaction(pool, () => bump(1), async () => false);
    expect(r.committed).toBe(false);
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    allFree();
  });

  it('work that throws after a write leaves nothing, and finish never runs', async () => {
    let finished = false;
    await expect(
      withSharedTransaction(
        pool,
        async () => {
          await bump(1);
          throw new Error('crashed after the write');
        },
        async () => (finished = true),
      ),
    ).rejects.toThrow('crashed after the write');
    expect(finished).toBe(false);
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    allFree();
  });

  it('a joined write that throws is rolled back to its savepoint; the rest still commits', async () => {
    await withSharedTransaction(
      pool,
      async () => {
        await bump(1);
        await expect(
          withTransaction(pool, async (conn) => {
            await conn.query('UPDATE tx_probe SET v = 99 WHERE id = 2');
            throw new Error('refused');
          }, { joinShared: true }),
        ).rejects.toThrow('refused');
      },
      async () => true,
    );
    expect(await values()).toEqual({ 1: 1, 2: 0 });
    allFree();
  });

  it('the first joined write (no savepoint: the transaction begins there) that throws or rolls back leaves nothing; later writes still commit with finish', async () => {
    await withSharedTransaction(
      pool,
      async () => {
        await expect(
          withTransaction(pool, async (conn) => {
            await conn.query('UPDATE tx_probe SET v = 99 WHERE id = 2');
            throw new Error('refused');
          }, { joinShared: true }),
        ).rejects.toThrow('refused');
        await bump(1);
        await withTransaction(pool, async (conn, tx) => {
          await conn.query('UPDATE tx_probe SET v = 77 WHERE id = 2');
          tx.rollbackOnly();
        }, { joinShared: true });
      },
      async () => true,
    );
    expect(await values()).toEqual({ 1: 1, 2: 0 });
    // Rolled back as the first write of a scope too.
    await withSharedTransaction(
      pool,
      async () => {
        await withTransaction(pool, async (conn, tx) => {
          await conn.query('UPDATE tx_probe SET v = 77 WHERE id = 2');
          tx.rollbackOnly();
        }, { joinShared: true });
        await bump(1);
      },
      async () => true,
    );
    expect(await values()).toEqual({ 1: 2, 2: 0 });
    allFree();
  });

  it('without joinShared, or with no write at all, nothing is held: finish gets no connection', async () => {
    const r = await withSharedTransaction(
      pool,
      async () => {
        await withTransaction(pool, (conn) => conn.query('UPDATE tx_probe SET v = 7 WHERE id = 1'));
        // Committed on its own at once.
        expect(await values()).toEqual({ 1: 7, 2: 0 });
      },
      async (conn) => conn === null,
    );
    expect(r).toMatchObject({ committed: true, wrote: false });
    allFree();
  });
});

describe('writeAtFinish (a chat turn\'s audit rows commit with its inbox completion)', () => {
  beforeAll(async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS tx_rows (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(32) NOT NULL, alone TINYINT NOT NULL) ENGINE=InnoDB');
  });
  beforeEach(async () => {
    await pool.query('DELETE FROM tx_rows');
  });
  /** Rows in the transaction when given a connection, else each committed on its own (marked alone). */
  const write = async (conn: import('mysql2/promise').PoolConnection | null, rows: unknown[]) =>
    (conn ?? pool).query('INSERT INTO tx_rows (v, alone) VALUES ?', [rows.map((v) => [v, conn ? 0 : 1])]);
  const rows = async () => (await pool.query<RowDataPacket[]>('SELECT v, alone FROM tx_rows ORDER BY id'))[0].map((r) => `${r.v}${r.alone ? ' alone' : ''}`);
  const bump = (id: number) => withTransaction(pool, (conn) => conn.query('UPDATE tx_probe SET v = v + 1 WHERE id = ?', [id]), { joinShared: true });

  it('rows of a read-only turn are written in one transaction with finish: nothing visible before, both after', async () => {
    const r = await withSharedTransaction(
      pool,
      async () => {
        expect(writeAtFinish(pool, 'rows', 'a', write)).toBe(true);
        expect(writeAtFinish(pool, 'rows', 'b', write)).toBe(true);
        return 'answer';
      },
      async (conn) => {
        expect(conn).not.toBeNull();
        await conn!.query('UPDATE tx_probe SET v = 7 WHERE id = 1');
        expect(await rows()).toEqual([]);
        return true;
      },
    );
    expect(r).toEqual({ out: 'answer', committed: true, wrote: false });
    expect(await rows()).toEqual(['a', 'b']);
    expect(await values()).toEqual({ 1: 7, 2: 0 });
    allFree();
  });

  it('finish saying no rolls the transaction back, and the rows are written on their own (never lost)', async () => {
    const r = await withSharedTransaction(
      pool,
      async () => {
        writeAtFinish(pool, 'rows', 'a', write);
        await bump(1);
      },
      async () => false,
    );
    expect(r.committed).toBe(false);
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    expect(await rows()).toEqual(['a alone']);
    allFree();
  });

  it('work that throws: its joined writes roll back, its rows are still written', async () => {
    await expect(
      withSharedTransaction(
        pool,
        async () => {
          writeAtFinish(pool, 'rows', 'a', write);
          await bump(1);
          throw new Error('crashed after the read');
        },
        async () => true,
      ),
    ).rejects.toThrow('crashed after the read');
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    expect(await rows()).toEqual(['a alone']);
    allFree();
  });

  it('a row handed over inside a joined write that rolls back to its savepoint is not taken with it', async () => {
    await withSharedTransaction(
      pool,
      async () => {
        await expect(
          withTransaction(pool, async (conn) => {
            await conn.query('UPDATE tx_probe SET v = 99 WHERE id = 2');
            writeAtFinish(pool, 'rows', 'inside', write);
            throw new Error('refused');
          }, { joinShared: true }),
        ).rejects.toThrow('refused');
        writeAtFinish(pool, 'rows', 'after', write);
      },
      async () => true,
    );
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    expect((await rows()).sort()).toEqual(['after', 'inside']);
    allFree();
  });

  it('a row that cannot be written fails the turn: finish never runs, nothing commits', async () => {
    let finished = false;
    const bad = async (conn: import('mysql2/promise').PoolConnection | null) => (conn ?? pool).query('INSERT INTO tx_rows (v, alone) VALUES (NULL, 0)');
    await expect(
      withSharedTransaction(
        pool,
        async () => {
          writeAtFinish(pool, 'bad', 'x', bad);
          await bump(1);
        },
        async () => (finished = true),
      ),
    ).rejects.toThrow(/cannot be null/i);
    expect(finished).toBe(false);
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    allFree();
  });

  it('outside a shared scope, or on another pool, the caller is told to write the row itself', async () => {
    expect(writeAtFinish(pool, 'rows', 'a', write)).toBe(false);
    const other = createSqlPool(env.databaseUrl, 1);
    try {
      await withSharedTransaction(pool, async () => expect(writeAtFinish(other, 'rows', 'a', write)).toBe(false), async () => true);
    } finally {
      await other.end();
    }
    expect(await rows()).toEqual([]);
  });
});

describe('a folded finish (a read turn: its audit rows and its inbox completion in one round trip)', () => {
  beforeAll(async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS tx_folded (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(32) NOT NULL, at DATETIME(3) NULL, alone TINYINT NOT NULL) ENGINE=InnoDB');
  });
  beforeEach(async () => {
    await pool.query('DELETE FROM tx_folded');
    await pool.query('UPDATE tx_probe SET v = 0');
  });
  const at = new Date('2026-12-06T01:02:03.456Z');
  const write = async (conn: import('mysql2/promise').PoolConnection | null, rows: unknown[]) =>
    (conn ?? pool).query('INSERT INTO tx_folded (v, at, alone) VALUES ?', [rows.map((v) => [v, at, conn ? 0 : 1])]);
  const statement = (rows: unknown[]) => ({ sql: 'INSERT INTO tx_folded (v, at, alone) VALUES ?', values: [rows.map((v) => [v, at, 0])] });
  const rows = async () => (await pool.query<RowDataPacket[]>('SELECT v, at, alone FROM tx_folded ORDER BY id'))[0].map((r) => `${r.v} ${(r.at as Date).toISOString()}${r.alone ? ' alone' : ''}`);
  /** The finish as a statement: marks the probe row, recorded when it matched. */
  const folded = (id: number): FoldedFinish<string> => ({ statement: (out) => ({ sql: 'UPDATE tx_probe SET v = ? WHERE id = ?', values: [out.length, id] }), recorded: (res) => res.affectedRows === 1 });
  const finishNever = async () => {
    throw new Error('the folded path records the outcome itself');
  };

  it('rows and the outcome commit together in one statement batch (no BEGIN, INSERT, UPDATE, COMMIT one by one); dates keep their UTC time', async () => {
    const r = await withSharedTransaction(
      pool,
      async () => {
        writeAtFinish(pool, 'rows', 'a', write, statement);
        writeAtFinish(pool, 'rows', "b'; DROP TABLE tx_probe; --", write, statement);
        expect(await rows()).toEqual([]);
        return 'answer';
      },
      finishNever,
      undefined,
      folded(1),
    );
    expect(r).toEqual({ out: 'answer', committed: true, wrote: false });
    expect(await rows()).toEqual([`a ${at.toISOString()}`, `b'; DROP TABLE tx_probe; -- ${at.toISOString()}`]);
    expect(await values()).toEqual({ 1: 6, 2: 0 });
    allFree();
  });

  it('an outcome not recorded (the claim was taken over): not committed, and the rows are there (never lost), once', async () => {
    const r = await withSharedTransaction(pool, async () => void writeAtFinish(pool, 'rows', 'a', write, statement), finishNever, undefined, { ...folded(99), statement: () => ({ sql: 'UPDATE tx_probe SET v = 5 WHERE id = 99', values: [] }) } as FoldedFinish<void>);
    expect(r.committed).toBe(false);
    expect(await rows()).toEqual([`a ${at.toISOString()}`]);
  });

  it('a row that cannot be written: nothing of the batch commits, the turn fails, and the good rows are written on their own', async () => {
    const bad = () => ({ sql: 'INSERT INTO tx_folded (v, alone) VALUES (NULL, 0)', values: [] });
    await expect(
      withSharedTransaction(
        pool,
        async () => {
          writeAtFinish(pool, 'rows', 'a', write, statement);
          writeAtFinish(pool, 'bad', 'x', async () => undefined, bad);
          return 'answer';
        },
        finishNever,
        undefined,
        folded(1),
      ),
    ).rejects.toThrow(/cannot be null/i);
    expect(await values()).toEqual({ 1: 0, 2: 0 });
    expect(await rows()).toEqual([`a ${at.toISOString()} alone`]);
    allFree();
  });

  it('a joined write keeps the transaction on the pool: rows wait and go inside it, finish runs as before', async () => {
    let finished = false;
    const r = await withSharedTransaction(
      pool,
      async () => {
        writeAtFinish(pool, 'rows', 'a', write, statement);
        await withTransaction(pool, (conn) => conn.query('UPDATE tx_probe SET v = v + 1 WHERE id = 2'), { joinShared: true });
        return 'answer';
      },
      async (conn) => {
        finished = true;
        await conn!.query('UPDATE tx_probe SET v = 3 WHERE id = 1');
        return true;
      },
      undefined,
      folded(1),
    );
    expect(finished).toBe(true);
    expect(r).toEqual({ out: 'answer', committed: true, wrote: true });
    expect(await rows()).toEqual([`a ${at.toISOString()}`]);
    expect(await values()).toEqual({ 1: 3, 2: 1 });
    allFree();
  });
});
