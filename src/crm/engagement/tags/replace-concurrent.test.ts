import type { Pool, PoolConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../../../../test/support/sealed-phone.ts';
import { writeMemberTags } from './write.ts';

// Issue 17: a tag given by hand while the nightly smart tags write the same tag once deadlocked
// (the staff write the victim) and once hung. Two connections, each held at a known point: the
// run inside one of its write transactions (its rows locked), or the staff member's transaction
// open with its row written; the other side then writes, and both must land.
describe('replaceSelected beside a hand tag written at the same time', () => {
  let env: TestEnv;
  let tagId: number;
  const day1 = new Date('2026-11-20T16:00:00.000Z');
  const day2 = new Date('2026-11-21T16:00:00.000Z');

  beforeAll(async () => {
    env = await createTestEnv('tags_replace_concurrent');
    const ids = Array.from({ length: 9 }, (_, i) => i + 1);
    await env.services.sql.query(
      `INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, status) VALUES ${ids.map(() => "(?, ?, ?, ?, ?, ?, ?, 'store', 'active')").join(', ')}`,
      ids.flatMap((id) => [id, `M${id}`, `m${id}`, ...sealedPhoneValues(`1390000000${id}`), day1]),
    );
  });
  afterAll(async () => env?.cleanup());

  /** A new tag and its selection table, written for night 1 (members 2, 4 and 6, confidence 0.9). */
  const setup = async (name: string) => {
    const [res] = await env.services.sql.query<any>("INSERT INTO tags (name, category, created_at) VALUES (?, 'behaviour', ?)", [name, day1]);
    tagId = Number(res.insertId);
    await env.services.sql.query(`CREATE TABLE picks_${tagId} (member_id INT PRIMARY KEY, confidence DECIMAL(5,4))`);
    await env.services.sql.query(`INSERT INTO picks_${tagId} VALUES (2, 0.9), (4, 0.9), (6, 0.9)`);
    await run(env.services.sql, day1);
    // Night 2: 2's confidence moves, 3 and 5 come in, 4 stays as it is, 6 drops out.
    await env.services.sql.query(`DELETE FROM picks_${tagId}`);
    await env.services.sql.query(`INSERT INTO picks_${tagId} VALUES (2, 0.95), (3, 0.9), (4, 0.9), (5, 0.9)`);
  };
  const run = (sql: Pool | PoolConnection, at: Date) =>
    writeMemberTags(sql, { op: 'replaceSelected', tagId, select: { sql: `SELECT member_id, confidence FROM picks_${tagId}`, params: [] }, source: 'model', createdBy: 'model', at }, { system: 'model' });
  const byHand = (sql: Pool | PoolConnection, memberIds: number[]) =>
    writeMemberTags(sql, { op: 'add', tagId, memberIds, source: 'manual', createdBy: 'staff_a', at: day2 }, { system: 'wecom' });
  const state = async () =>
    (await env.services.sql.query<any[]>('SELECT member_id, source, confidence FROM member_tags WHERE tag_id = ? ORDER BY member_id', [tagId]))[0].map((r) => [Number(r.member_id), r.source, r.confidence]);
  /** Resolves once a statement of this test's database starting with `prefix` is running (waiting for a lock), within 20 s. */
  const running = async (prefix: string) => {
    for (let i = 0; i < 400; i++) {
      const [rows] = await env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE ?', [`${prefix}%`]);
      if (Number(rows[0].n) > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no statement "${prefix}…" seen waiting`);
  };

  /**
   * The pool, whose connections stop before the first statement starting with `prefix` until
   * `release()`: `paused` resolves when one got there.
   */
  const pausing = (pool: Pool, prefix: string) => {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const paused = new Promise<void>((r) => (reached = r));
    let used = false;
    const wrap = (conn: PoolConnection): PoolConnection =>
      new Proxy(conn, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (prop !== 'query') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: unknown[]) => {
            if (!used && String(args[0]).startsWith(prefix)) {
              used = true;
              reached();
              await gate;
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    const proxy = new Proxy(pool, {
      get(target, prop) {
        if (prop === 'getConnection') return async () => wrap(await target.getConnection());
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { pool: proxy, paused, release };
  };

  it('the run holds its rows (2 locked for its confidence, 6 deleted, 3 and 5 to insert): the hand tag on 3 and 2 waits, then lands; the run completes', async () => {
    await setup('并发一');
    // Held inside the run's write transaction, after it locked and deleted, before it updates and inserts.
    const p = pausing(env.services.sql, 'UPDATE member_tags_diff');
    const nightly = run(p.pool, day2);
    await p.paused;
    // The staff member tags 3 and 2 (in that order): 2's model row is locked by the run.
    const staff = byHand(env.services.sql, [3, 2]);
    await running('UPDATE member_tags SET source');
    p.release();
    expect(await nightly).toBe(4); // 6 removed, 2 rewritten, 3 and 5 added
    expect(await staff).toBe(2); // 2 claimed; 3, which the run added meanwhile, claimed too
    expect(await state()).toEqual([
      [2, 'manual', '1.000'],
      [3, 'manual', '1.000'],
      [4, 'model', '0.900'],
      [5, 'model', '0.900'],
    ]);
    // The next night's run leaves both hand tags.
    await env.services.sql.query(`DELETE FROM picks_${tagId}`);
    expect(await run(env.services.sql, day2)).toBe(2);
    expect(await state()).toEqual([
      [2, 'manual', '1.000'],
      [3, 'manual', '1.000'],
    ]);
  });

  it("the staff member's transaction holds a new hand tag on 5 (uncommitted): the run waits for it, then completes and leaves the hand tag", async () => {
    await setup('并发二');
    const conn = await env.services.sql.getConnection();
    try {
      await conn.beginTransaction();
      expect(await byHand(conn, [5])).toBe(1);
      const nightly = run(env.services.sql, day2);
      // The run's insert of 5 waits for the staff member's row.
      await running('INSERT IGNORE INTO member_tags');
      await conn.commit();
      expect(await nightly).toBe(3); // 6 removed, 2 rewritten, 3 added; 5 is the staff member's
    } finally {
      conn.release();
    }
    expect(await state()).toEqual([
      [2, 'model', '0.950'],
      [3, 'model', '0.900'],
      [4, 'model', '0.900'],
      [5, 'manual', '1.000'],
    ]);
  });
});
