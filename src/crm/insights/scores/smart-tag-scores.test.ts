import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { seedDemo } from '../../../demo/index.ts';
import { refreshSmartTagsRun } from '../../engagement/index.ts';
import { roundDouble3, selectFromScores } from '../../engagement/smart-tags/from-scores.ts';
import { smartTagQueries } from '../../engagement/smart-tags/smart-tags.ts';
import { recomputeScores } from './recompute.ts';

// The smart tags evaluated on the scoring run's arrays (runScoring) select exactly what the
// queries over member_scores select — 高消费's PERCENT_RANK rounded by the server's double ROUND
// included, over many tied spends — and leave member_tags row for row as the query path does.
const NOW = new Date('2026-11-21T16:00:00.000Z');
const DAY = 86_400_000;

describe('smart tags from the scoring run', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('smart_tag_scores', {}, { now: () => NOW });
    await seedDemo(env.services.sql, { members: 900, seed: 11, now: NOW });
  }, 240_000);
  afterAll(async () => env?.cleanup());

  /** A query's selection as replaceSelected stores it: DECIMAL(5,4), in units of 10^-4. */
  const queried = async (name: keyof ReturnType<typeof smartTagQueries>, now: Date) => {
    const conn = await env.services.sql.getConnection();
    try {
      const q = smartTagQueries(now)[name];
      await conn.query('CREATE TEMPORARY TABLE sel (member_id INT NOT NULL PRIMARY KEY, confidence DECIMAL(5,4) NOT NULL)');
      await conn.query(`INSERT IGNORE INTO sel SELECT s.member_id, COALESCE(s.confidence, 1) FROM (${q.sql}) s`, q.params);
      const [rows] = await conn.query<any[]>('SELECT member_id, CAST(confidence * 10000 AS SIGNED) AS c FROM sel ORDER BY member_id');
      await conn.query('DROP TEMPORARY TABLE sel');
      return rows.map((r) => [Number(r.member_id), Number(r.c)]);
    } finally {
      conn.release();
    }
  };
  const kocFacts = async (now: Date) => {
    const [k] = await env.services.sql.query<any[]>('SELECT member_id FROM koc_profiles');
    const [i] = await env.services.sql.query<any[]>(
      "SELECT member_id, COUNT(*) AS n FROM interactions WHERE type IN ('activity', 'praise', 'koc_promotion') AND created_at > ? - INTERVAL 180 DAY GROUP BY member_id",
      [now],
    );
    return { kocs: new Set(k.map((r) => Number(r.member_id))), interactions: new Map(i.map((r) => [Number(r.member_id), Number(r.n)])) };
  };
  const tagRows = async () =>
    (await env.services.sql.query<any[]>('SELECT member_id, tag_id, source, confidence, created_by, created_at FROM member_tags ORDER BY member_id, tag_id'))[0].map((r) => JSON.stringify(r));

  it("ROUND(x, 3) of a double is the server's (ties to even)", async () => {
    const pairs: [number, number][] = [];
    for (const b of [2, 7, 400, 1999, 2000, 4000, 6001]) for (let a = 0; a <= b; a += Math.max(1, Math.floor(b / 500))) pairs.push([a, b]);
    for (let a = 1; a < 2000; a += 2) pairs.push([a, 2000]); // every half of a thousandth
    const [rows] = await env.services.sql.query<any[]>(
      `SELECT CAST(ROUND(CAST(a AS DOUBLE) / CAST(b AS DOUBLE), 3) * 1000 AS SIGNED) AS k FROM (${pairs.map(() => 'SELECT ? AS a, ? AS b').join(' UNION ALL ')}) p`,
      pairs.flat(),
    );
    expect(rows.map((r) => Number(r.k))).toEqual(pairs.map(([a, b]) => roundDouble3(a / b)));
  });

  it('selects what the queries select, ties of spend included, and writes the same member_tags rows', async () => {
    const before = new Date(NOW.getTime() - DAY);
    await recomputeScores(env.services.sql, { now: before });
    await refreshSmartTagsRun(env.services.sql, before);
    // Spends rounded to ¥100: hundreds of members share a spend, so PERCENT_RANK ties throughout.
    await env.services.sql.query('UPDATE member_stats SET total_spend = ROUND(total_spend, -2)');
    const [[deleted]] = await env.services.sql.query<any[]>("SELECT id FROM members WHERE status <> 'deleted' ORDER BY id DESC LIMIT 1");
    const r = await recomputeScores(env.services.sql, { now: NOW, stats: 'skip' });
    expect(r.tagScores).not.toBeNull();
    // A member deleted after the run is left out by both.
    await env.services.sql.query("UPDATE members SET status = 'deleted' WHERE id = ?", [deleted.id]);
    const [[ties]] = await env.services.sql.query<any[]>('SELECT COUNT(*) - COUNT(DISTINCT total_spend) AS n FROM member_scores WHERE rfm_m IS NOT NULL');
    expect(Number(ties.n)).toBeGreaterThan(100);
    const [gone] = await env.services.sql.query<any[]>("SELECT id FROM members WHERE status = 'deleted'");
    const lists = selectFromScores(r.tagScores!, NOW, new Set(gone.map((g) => Number(g.id))), await kocFacts(NOW));
    for (const name of ['高消费', '易流失', '沉睡会员', 'KOC潜力'] as const) {
      const list = lists[name];
      const mine = Array.from(list.ids, (id, k) => [id, list.confidence[k]!]);
      expect(mine, name).toEqual(await queried(name, NOW));
      expect(mine.length, name).toBeGreaterThan(name === '易流失' ? 0 : 5);
    }

    // The same start, written by each path: identical rows (created_at, confidence, source).
    const [start] = await env.services.sql.query<any[]>('SELECT * FROM member_tags');
    const restore = async () => {
      await env.services.sql.query('DELETE FROM member_tags');
      if (start.length) await env.services.sql.query('INSERT INTO member_tags (member_id, tag_id, source, confidence, created_by, created_at) VALUES ?', [start.map((s) => [s.member_id, s.tag_id, s.source, s.confidence, s.created_by, s.created_at])]);
    };
    const listed = await refreshSmartTagsRun(env.services.sql, NOW, r.tagScores);
    const byList = await tagRows();
    await restore();
    const queriedRun = await refreshSmartTagsRun(env.services.sql, NOW);
    expect(await tagRows()).toEqual(byList);
    expect(listed).toEqual(queriedRun);
    expect(Object.values(listed.writes).some((w) => w !== '−0 +0 ~0')).toBe(true);
  }, 300_000);

  it('the tag rows the run reads beside its index builds: used while no row came or went, read again when one did', async () => {
    const sql = env.services.sql;
    const r = await recomputeScores(sql, { now: NOW, stats: 'skip' });
    const facts = await r.tagScores!.facts!;
    expect([...facts.rows.keys()].sort()).toEqual(['KOC潜力', '易流失', '沉睡会员', '高消费'].sort());
    // After the read, a staff member takes 沉睡会员 off a member the rule still selects.
    const [[row]] = await sql.query<any[]>("SELECT mt.member_id, mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = '沉睡会员' AND mt.source = 'model' ORDER BY mt.member_id LIMIT 1");
    await sql.query('DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?', [row.member_id, row.tag_id]);
    const [start] = await sql.query<any[]>('SELECT * FROM member_tags');
    const restore = async () => {
      await sql.query('DELETE FROM member_tags');
      await sql.query('INSERT INTO member_tags (member_id, tag_id, source, confidence, created_by, created_at) VALUES ?', [start.map((s) => [s.member_id, s.tag_id, s.source, s.confidence, s.created_by, s.created_at])]);
    };
    const ahead = await refreshSmartTagsRun(sql, NOW, r.tagScores);
    const byAhead = await tagRows();
    // The rule still selects the member: the tag is back, as a refresh that read the rows now gives it.
    const [[back]] = await sql.query<any[]>('SELECT source FROM member_tags WHERE member_id = ? AND tag_id = ?', [row.member_id, row.tag_id]);
    expect(back?.source).toBe('model');
    await restore();
    const { facts: _read, ...without } = r.tagScores!;
    const fresh = await refreshSmartTagsRun(sql, NOW, without);
    expect(await tagRows()).toEqual(byAhead);
    expect(ahead).toEqual(fresh);
  }, 300_000);
});
