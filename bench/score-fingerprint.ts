/**
 * `npx tsx bench/score-fingerprint.ts [--members N]`: fingerprints of what a scoring run and its
 * smart tags wrote on a bench database, to show that a change to the run's code left every row
 * the same (docs/benchmarks.md, sessions 15–17: main and a branch run alternately on the same
 * data, the fingerprints compared after each run). Read only. Prints, each as rows and the sum of
 * the CRC32 of every row's columns joined (NULL written as `\N`, so NULL and '' differ):
 *   member_scores — every row, every column;
 *   member_tags   — every row, every column (kept rows keep their created_at, so this depends on
 *                   the runs before as well: compare runs that start from the same state);
 *   counts        — the latest scoring run's store_score_counts;
 *   params        — the latest scoring run's members and fitted parameters (model_runs.params).
 */
import { createSqlPool } from '../src/db/sql.ts';
import { benchUrl, membersArg } from './support.ts';

const sql = createSqlPool(benchUrl(membersArg()));
/** `SUM(CRC32(…))` over a table's columns, each NULL as `\N`. */
const crc = (cols: string[]) => `COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS('|', ${cols.map((c) => `IFNULL(${c}, '\\\\N')`).join(', ')}))), 0) AS s`;
try {
  const [[scores]] = await sql.query<any[]>(
    `SELECT ${crc(['member_id', 'rfm_r', 'rfm_f', 'rfm_m', 'rfm_score', 'rfm_cell', 'value_quadrant', 'churn_risk', 'churn_level', 'churn_reasons', 'p_alive', 'expected_purchases_90d', 'clv', 'scored_at', 'churn_rank', 'churn_store', 'last_order_at', 'total_spend'])} FROM member_scores`,
  );
  const [[tags]] = await sql.query<any[]>(`SELECT ${crc(['member_id', 'tag_id', 'source', 'confidence', 'created_by', 'created_at'])} FROM member_tags`);
  const [[run]] = await sql.query<any[]>("SELECT id, as_of, members, params FROM model_runs WHERE kind = 'scores' ORDER BY id DESC LIMIT 1");
  const [[counts]] = run ? await sql.query<any[]>(`SELECT ${crc(['store_id', 'dim', 'k', 'members', 'spend'])} FROM store_score_counts WHERE run_id = ?`, [run.id]) : [[{ n: 0, s: 0 }]];
  const [[params]] = run ? await sql.query<any[]>('SELECT CRC32(params) AS s FROM model_runs WHERE id = ?', [run.id]) : [[{ s: 0 }]];
  console.log(`member_scores ${scores.n} rows ${scores.s}`);
  console.log(`member_tags   ${tags.n} rows ${tags.s}`);
  console.log(`counts        ${counts.n} rows ${counts.s} (run ${run?.id ?? '—'} as of ${run ? (run.as_of as Date).toISOString() : '—'}, ${run?.members ?? 0} members)`);
  console.log(`params        ${params.s}`);
} finally {
  await sql.end();
}
