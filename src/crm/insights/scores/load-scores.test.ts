import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { loadScores as loadChunks, scoreChunk } from './load-scores.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../../../../test/support/sealed-phone.ts';

// Scores go through LOAD DATA LOCAL as TSV: text with tabs, newlines, backslashes and quotes,
// NULLs and datetimes must come back exactly; new rows are inserted, existing ones updated,
// deleted members' scores removed.
// Rows of values, chunk by chunk, as the load's text chunks (lazily: a generator that fails half-way fails the load there).
function* asChunks(chunks: Iterable<unknown[][]>) {
  for (const rows of chunks) yield scoreChunk(rows);
}
const loadScores = (sql: Parameters<typeof loadChunks>[0], chunks: Iterable<unknown[][]>) => loadChunks(sql, asChunks(chunks));

describe('loadScores', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('load_scores');
    const at = new Date('2026-01-01T00:00:00Z');
    await env.services.sql.query(
      `INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, status) VALUES (1, 'M1', 'a', ?, ?, ?, ?, 'store', 'active'), (2, 'M2', 'b', ?, ?, ?, ?, 'store', 'active'), (3, 'M3', 'c', ?, ?, ?, ?, 'store', 'deleted')`,
      [...sealedPhoneValues('13900000001'), at, ...sealedPhoneValues('13900000002'), at, ...sealedPhoneValues('13900000003'), at],
    );
  });
  afterAll(async () => env?.cleanup());

  it('round-trips every field and applies inserts, updates and deletions', async () => {
    const scoredAt = new Date('2026-11-21T16:00:00.123Z');
    const odd = JSON.stringify([{ code: 'silent', text: 'tab\there\nnew line \\ back "quoted" 中文' }]);
    // The churn list's snapshot columns: rank, home store, last order, past spend (null for a non-candidate).
    const row = (id: number, reasons: string, clv: string | null) => [id, 3, 4, 5, 4, 'loyal', 'high_value', '0.4898', 'medium', reasons, null, '1.2000', clv, scoredAt, clv ? id : null, clv ? 2 : null, clv ? '2026-10-01 08:30:00.250' : null, '99.50'];
    await loadScores(env.services.sql, [[row(1, '[]', '10.00'), row(3, '[]', null)]]);
    await loadScores(env.services.sql, [[row(1, odd, null)], [row(2, '[]', '734.45')]]);
    const [rows] = await env.services.sql.query<any[]>('SELECT member_id, churn_reasons, p_alive, expected_purchases_90d, clv, scored_at, churn_rank, churn_store, last_order_at, total_spend FROM member_scores ORDER BY member_id');
    expect(rows.map((r) => ({ ...r, scored_at: new Date(r.scored_at).toISOString(), last_order_at: r.last_order_at && new Date(r.last_order_at).toISOString() }))).toEqual([
      { member_id: 1, churn_reasons: JSON.parse(odd), p_alive: null, expected_purchases_90d: '1.2000', clv: null, scored_at: scoredAt.toISOString(), churn_rank: null, churn_store: null, last_order_at: null, total_spend: '99.50' },
      { member_id: 2, churn_reasons: [], p_alive: null, expected_purchases_90d: '1.2000', clv: '734.45', scored_at: scoredAt.toISOString(), churn_rank: 2, churn_store: 2, last_order_at: '2026-10-01T08:30:00.250Z', total_spend: '99.50' },
    ]);
  });

  // The rows go into a fresh table swapped in by RENAME TABLE (load-scores.ts): readers see the
  // old scores or the new ones, a failed run leaves the old ones, the table keeps its indexes
  // and its cascade to members.
  describe('the swap', () => {
    const N = 1500;
    const at = (k: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, k));
    const rowsAt = (k: number, ids: number[]) => ids.map((id) => [id, 3, 4, 5, 4, 'loyal', 'high_value', '0.4898', k % 2 ? 'high' : 'low', '[]', '0.5000', '1.2000', '10.00', at(k), id, 1, null, '5.00']);
    const ids = Array.from({ length: N }, (_, i) => 100 + i);
    const chunked = (rows: unknown[][]) => Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));
    const shape = async () => {
      const [ix] = await env.services.sql.query<any[]>("SELECT INDEX_NAME AS i, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'member_scores' GROUP BY INDEX_NAME ORDER BY INDEX_NAME");
      const [fk] = await env.services.sql.query<any[]>("SELECT k.COLUMN_NAME AS c, k.REFERENCED_TABLE_NAME AS t, r.DELETE_RULE AS d FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = 'member_scores' AND k.REFERENCED_TABLE_NAME IS NOT NULL");
      return { indexes: ix, foreignKeys: fk };
    };
    const tables = async () => (await env.services.sql.query<any[]>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'member\\_scores%' ORDER BY TABLE_NAME"))[0].map((r) => r.t);
    const state = async () => (await env.services.sql.query<any[]>('SELECT COUNT(*) AS n, MIN(scored_at) AS lo, MAX(scored_at) AS hi FROM member_scores'))[0][0];

    beforeAll(async () => {
      const values = ids.flatMap((id) => [id, `S${id}`, `s${id}`, ...sealedPhoneValues(`137${String(id).padStart(8, '0')}`), at(0)]);
      await env.services.sql.query(`INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, status) VALUES ${ids.map(() => "(?, ?, ?, ?, ?, ?, ?, 'store', 'active')").join(', ')}`, values);
    });

    it('readers see every member with one run’s scores during swaps, never a mix or an empty table', async () => {
      await loadScores(env.services.sql, chunked(rowsAt(1, ids)));
      const before = await shape();
      let stop = false;
      const seen: { n: number; runs: number }[] = [];
      const errors: string[] = [];
      const reader = (async () => {
        while (!stop) {
          try {
            const [[r]] = await env.services.readSql.query<any[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT scored_at) AS runs FROM member_scores');
            seen.push({ n: Number(r.n), runs: Number(r.runs) });
          } catch (e) {
            errors.push(String(e));
          }
        }
      })();
      for (let k = 2; k <= 5; k++) await loadScores(env.services.sql, chunked(rowsAt(k, ids)));
      stop = true;
      await reader;
      expect(errors).toEqual([]);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((r) => r.n === N && r.runs === 1)).toBe(true);
      const now = await state();
      expect({ n: Number(now.n), lo: new Date(now.lo).toISOString(), hi: new Date(now.hi).toISOString() }).toEqual({ n: N, lo: at(5).toISOString(), hi: at(5).toISOString() });
      // Same indexes and foreign key as the migrations made them; no table left behind.
      expect(await shape()).toEqual(before);
      expect(before.foreignKeys).toEqual([{ c: 'member_id', t: 'members', d: 'CASCADE' }]);
      expect(await tables()).toEqual(['member_scores']);
    });

    it('a run that fails while loading leaves the previous scores, and the next run loads', async () => {
      await loadScores(env.services.sql, chunked(rowsAt(6, ids)));
      function* broken() {
        yield rowsAt(7, ids.slice(0, 500));
        throw new Error('scoring failed half-way');
      }
      await expect(loadScores(env.services.sql, broken())).rejects.toThrow('scoring failed half-way');
      // A value the table refuses (a cell name longer than its column): the load's own error code.
      const bad = rowsAt(7, ids);
      bad[3]![5] = 'x'.repeat(40);
      await expect(loadScores(env.services.sql, chunked(bad))).rejects.toMatchObject({ code: 'scores_load_failed' });
      const kept = await state();
      expect({ n: Number(kept.n), lo: new Date(kept.lo).toISOString(), hi: new Date(kept.hi).toISOString() }).toEqual({ n: N, lo: at(6).toISOString(), hi: at(6).toISOString() });
      expect(await tables()).toEqual(['member_scores']);
      // A killed run's half-loaded table is dropped by the next run.
      await env.services.sql.query('CREATE TABLE member_scores_next LIKE member_scores');
      await env.services.sql.query('INSERT INTO member_scores_next SELECT * FROM member_scores LIMIT 10');
      await loadScores(env.services.sql, chunked(rowsAt(8, ids)));
      expect(Number((await state()).n)).toBe(N);
      expect(await tables()).toEqual(['member_scores']);
    });

    it('two runs at once are serialised; a deleted member’s scores go with the member (cascade kept across swaps)', async () => {
      await Promise.all([loadScores(env.services.sql, chunked(rowsAt(9, ids))), loadScores(env.services.sql, chunked(rowsAt(10, ids)))]);
      const both = await state();
      expect(Number(both.n)).toBe(N);
      expect(new Date(both.lo).toISOString()).toBe(new Date(both.hi).toISOString());
      await env.services.sql.query('DELETE FROM members WHERE id = ?', [ids[0]]);
      expect(Number((await state()).n)).toBe(N - 1);
      // A member marked deleted while the run computed: not in the swapped-in table.
      await env.services.sql.query("UPDATE members SET status = 'deleted' WHERE id = ?", [ids[1]]);
      await loadScores(env.services.sql, chunked(rowsAt(11, ids.slice(1))));
      const [gone] = await env.services.sql.query<any[]>('SELECT member_id FROM member_scores WHERE member_id IN (?)', [[ids[0], ids[1]]]);
      expect(gone).toEqual([]);
      expect(Number((await state()).n)).toBe(N - 2);
    });

    it('loads without per-row key and JSON checks, yet a member removed since the read has no scores and the checks are back on after', async () => {
      // ids[0] was removed from members above: its row loads (no foreign-key check) and is dropped before the swap.
      await loadScores(env.services.sql, chunked(rowsAt(12, ids)));
      const [gone] = await env.services.sql.query<any[]>('SELECT member_id FROM member_scores WHERE member_id = ?', [ids[0]]);
      expect(gone).toEqual([]);
      expect(Number((await state()).n)).toBe(N - 2);
      // The live table still refuses an orphan and invalid JSON, on any connection of the pool.
      for (let k = 0; k < 3; k++) {
        await expect(env.services.sql.query("INSERT INTO member_scores (member_id, churn_risk, churn_level, churn_reasons, scored_at) VALUES (?, 0.5, 'low', '[]', NOW())", [ids[0]])).rejects.toMatchObject({ code: 'ER_NO_REFERENCED_ROW_2' });
        await expect(env.services.sql.query("UPDATE member_scores SET churn_reasons = 'not json' WHERE member_id = ?", [ids[2]])).rejects.toThrow(/CONSTRAINT/i);
      }
    });
  });
});

