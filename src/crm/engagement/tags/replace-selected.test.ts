import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../../../../test/support/sealed-phone.ts';
import { readTagRows, writeMemberTags } from './write.ts';

// The smart tags' set-based write: only the difference between the tag's model rows and the
// selection is written; other sources' rows are never touched.
describe('writeMemberTags replaceSelected', () => {
  let env: TestEnv;
  let tagId: number;
  const day1 = new Date('2026-11-20T16:00:00.000Z');
  const day2 = new Date('2026-11-21T16:00:00.000Z');
  beforeAll(async () => {
    env = await createTestEnv('tags_replace');
    const ids = [1, 2, 3, 4, 5];
    await env.services.sql.query(
      `INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, status) VALUES ${ids.map(() => "(?, ?, ?, ?, ?, ?, ?, 'store', 'active')").join(', ')}`,
      ids.flatMap((id) => [id, `M${id}`, `m${id}`, ...sealedPhoneValues(`1390000000${id}`), day1]),
    );
    const [res] = await env.services.sql.query<any>("INSERT INTO tags (name, category, created_at) VALUES ('易流失', 'risk', ?)", [day1]);
    tagId = Number(res.insertId);
    await env.services.sql.query('CREATE TABLE picks (member_id INT PRIMARY KEY, confidence DECIMAL(5,4))');
  });
  afterAll(async () => env?.cleanup());

  const rows = async () =>
    (await env.services.sql.query<any[]>('SELECT member_id, source, confidence, created_at FROM member_tags WHERE tag_id = ? ORDER BY member_id', [tagId]))[0].map((r) => ({
      id: Number(r.member_id), source: r.source, confidence: r.confidence, at: new Date(r.created_at).toISOString(),
    }));
  const replace = (at: Date) =>
    writeMemberTags(env.services.sql, { op: 'replaceSelected', tagId, select: { sql: 'SELECT member_id, confidence FROM picks WHERE confidence >= ?', params: [0.5] }, source: 'model', createdBy: 'model', at }, { system: 'model' });

  it('adds, keeps, updates and removes model rows; a manual row stays as it was', async () => {
    await env.services.sql.query("INSERT INTO member_tags (member_id, tag_id, source, confidence, created_by, created_at) VALUES (4, ?, 'manual', 1, 'staff', ?)", [tagId, day1]);
    await env.services.sql.query('INSERT INTO picks VALUES (1, 0.91), (2, 0.95), (3, 0.97), (4, 0.99), (5, 0.1)');
    expect(await replace(day1)).toBe(3); // 1, 2, 3 added; 4 is held by hand, 5 not selected
    // Next night: 1 unchanged, 2's confidence moves, 3 drops out, 5 comes in.
    await env.services.sql.query('UPDATE picks SET confidence = CASE member_id WHEN 2 THEN 0.8 WHEN 3 THEN 0.2 WHEN 5 THEN 0.6 ELSE confidence END');
    expect(await replace(day2)).toBe(3); // 2 updated, 3 removed, 5 added — 1 not written
    expect(await rows()).toEqual([
      { id: 1, source: 'model', confidence: '0.910', at: day1.toISOString() },
      { id: 2, source: 'model', confidence: '0.800', at: day1.toISOString() },
      { id: 4, source: 'manual', confidence: '1.000', at: day1.toISOString() },
      { id: 5, source: 'model', confidence: '0.600', at: day2.toISOString() },
    ]);
    // The same selection again writes nothing.
    expect(await replace(day2)).toBe(0);
    expect((await rows()).length).toBe(4);
  });

  it('a tag given by hand to a member holding it from the model becomes manual, and the next run leaves it', async () => {
    const [res] = await env.services.sql.query<any>("INSERT INTO tags (name, category, created_at) VALUES ('沉睡会员', 'behaviour', ?)", [day1]);
    const dormant = Number(res.insertId);
    await env.services.sql.query('CREATE TABLE picks2 (member_id INT PRIMARY KEY, confidence DECIMAL(5,4))');
    const run = (sql: typeof env.services.sql, at: Date) =>
      writeMemberTags(sql, { op: 'replaceSelected', tagId: dormant, select: { sql: 'SELECT member_id, confidence FROM picks2', params: [] }, source: 'model', createdBy: 'model', at }, { system: 'model' });
    const byHand = (memberId: number) =>
      writeMemberTags(env.services.sql, { op: 'add', tagId: dormant, memberIds: [memberId], source: 'manual', createdBy: 'staff_a', at: day2 }, { system: 'wecom' });
    const state = async () =>
      (await env.services.sql.query<any[]>('SELECT member_id, source, confidence, created_by FROM member_tags WHERE tag_id = ? ORDER BY member_id', [dormant]))[0].map((r) => [Number(r.member_id), r.source, r.confidence, r.created_by]);
    await env.services.sql.query('INSERT INTO picks2 VALUES (1, 0.9), (2, 0.9), (3, 0.9)');
    await run(env.services.sql, day1);
    // Tonight 1 and 3 drop out, 2's confidence moves, 4 and 5 come in.
    await env.services.sql.query('DELETE FROM picks2');
    await env.services.sql.query('INSERT INTO picks2 VALUES (2, 0.8), (4, 0.9), (5, 0.9)');

    // A staff member tags 1, who holds the tag from the model: the row becomes manual, and the
    // next run, which no longer selects 1, leaves it.
    expect(await byHand(1)).toBe(1);
    await run(env.services.sql, day2);
    expect(await state()).toEqual([
      [1, 'manual', '1.000', 'staff_a'],
      [2, 'model', '0.800', 'model'],
      [4, 'model', '0.900', 'model'],
      [5, 'model', '0.900', 'model'],
    ]);
  });
  it('rows read ahead are not used when other members hold the tag now, even with the same count, Σ id and Σ id²', async () => {
    const sql = env.services.sql;
    await sql.query(
      `INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, status) VALUES ${[6, 7].map(() => "(?, ?, ?, ?, ?, ?, ?, 'store', 'active')").join(', ')}`,
      [6, 7].flatMap((id) => [id, `M${id}`, `m${id}`, ...sealedPhoneValues(`1390000000${id}`), day1]),
    );
    const [res] = await sql.query<any>("INSERT INTO tags (name, category, created_at) VALUES ('高消费', 'value', ?)", [day1]);
    const big = Number(res.insertId);
    const put = (ids: number[], source: string) =>
      sql.query('INSERT INTO member_tags (member_id, tag_id, source, confidence, created_by, created_at) VALUES ?', [ids.map((id) => [id, big, source, 1, source, day1])]);
    await put([1, 5, 6], 'model');
    const ahead = await readTagRows(sql, big, 'model');
    // Meanwhile the model rows go and staff tag 2, 3 and 7 by hand: 3 rows, Σ 12, Σ² 62 as before.
    await sql.query('DELETE FROM member_tags WHERE tag_id = ?', [big]);
    await put([2, 3, 7], 'manual');
    const [[sums]] = await sql.query<any[]>('SELECT COUNT(*) AS n, SUM(member_id) AS s, SUM(member_id * member_id) AS q FROM member_tags WHERE tag_id = ?', [big]);
    expect([Number(sums.n), String(sums.s), String(sums.q)]).toEqual([ahead.ids.length, ahead.sum, ahead.squares]);
    // The run still selects 1, 5 and 6: read again, they get the tag back and the hand-made rows stay.
    const select = { ids: Int32Array.from([1, 5, 6]), confidence: Int32Array.from([1000, 1000, 1000]) };
    expect(await writeMemberTags(sql, { op: 'replaceSelected', tagId: big, select, source: 'model', createdBy: 'model', at: day2, rows: ahead }, { system: 'model' })).toBe(3);
    const [now] = await sql.query<any[]>('SELECT member_id, source FROM member_tags WHERE tag_id = ? ORDER BY member_id', [big]);
    expect(now.map((r) => [Number(r.member_id), r.source])).toEqual([[1, 'model'], [2, 'manual'], [3, 'manual'], [5, 'model'], [6, 'model'], [7, 'manual']]);
  });
});
