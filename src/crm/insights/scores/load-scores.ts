import { Readable } from 'node:stream';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { withTransaction } from '../../kernel/index.ts';

export const SCORE_COLUMNS = [
  'member_id', 'rfm_r', 'rfm_f', 'rfm_m', 'rfm_score', 'rfm_cell', 'value_quadrant', 'churn_risk', 'churn_level',
  'churn_reasons', 'p_alive', 'expected_purchases_90d', 'clv', 'scored_at', 'churn_rank', 'churn_store', 'last_order_at', 'total_spend',
] as const;
const COLS = SCORE_COLUMNS.join(', ');

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
let lastDate: Date | null = null;
let lastDateText = '';

/**
 * One TSV field as LOAD DATA reads it by default (backslash escapes, \N for NULL, UTC datetimes).
 * Hot: 14 million calls per million members, so numbers skip the escaping, strings are escaped
 * only when they hold a special character, and the run's one scored_at is formatted once
 * (measured: 0.6 s instead of 2.2 s per 200,000 rows).
 */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) {
    if (v !== lastDate) {
      lastDate = v;
      lastDateText = v.toISOString().slice(0, 23).replace('T', ' ');
    }
    return lastDateText;
  }
  const s = String(v);
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : s;
}

/**
 * Writes every member's scores: the rows (produced lazily, chunk by chunk, as the scoring pass
 * computes them) stream into a per-connection staging table by LOAD DATA LOCAL INFILE, then
 * one UPDATE … JOIN and one INSERT of the new members apply them in a single transaction.
 * Measured at 100,000 members on this machine: ~1.5–2 s against ~5 s for the same rows as
 * 2,000-row INSERT … ON DUPLICATE KEY UPDATE statements (the server parses one compact stream
 * instead of megabytes of SQL, and InnoDB skips rows whose values did not change). Scores of
 * deleted members are removed in the same transaction. Returns the rows loaded and the time
 * the apply step (UPDATE, INSERT, DELETE, commit) took.
 */
export async function loadScores(sql: Pool, chunks: Iterable<unknown[][]>): Promise<{ rows: number; applyMs: number }> {
  const conn = await sql.getConnection();
  try {
    await conn.query('DROP TEMPORARY TABLE IF EXISTS member_scores_in');
    // The staging table has the columns of member_scores and only its primary key (no secondary
    // indexes, no JSON check) so the load is a plain append.
    await conn.query(`CREATE TEMPORARY TABLE member_scores_in (
      member_id INT NOT NULL PRIMARY KEY, rfm_r TINYINT NULL, rfm_f TINYINT NULL, rfm_m TINYINT NULL, rfm_score DECIMAL(5,2) NULL,
      rfm_cell VARCHAR(16) NOT NULL, value_quadrant VARCHAR(16) NOT NULL, churn_risk DECIMAL(5,4) NOT NULL, churn_level VARCHAR(8) NOT NULL,
      churn_reasons LONGTEXT NOT NULL, p_alive DECIMAL(5,4) NULL, expected_purchases_90d DECIMAL(10,4) NULL, clv DECIMAL(12,2) NULL,
      scored_at DATETIME(3) NOT NULL, churn_rank INT NULL, churn_store INT NULL, last_order_at DATETIME(3) NULL, total_spend DECIMAL(14,2) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    let sent = 0;
    const [[flag]] = await conn.query<RowDataPacket[]>('SELECT @@local_infile AS local');
    if (Number(flag?.local)) {
      const body = function* () {
        for (const rows of chunks) {
          sent += rows.length;
          yield Buffer.from(rows.map((r) => r.map(field).join('\t')).join('\n') + '\n');
        }
      };
      const [loaded] = await conn.query<ResultSetHeader>({
        sql: `LOAD DATA LOCAL INFILE 'member_scores.tsv' INTO TABLE member_scores_in CHARACTER SET utf8mb4 (${COLS})`,
        infileStreamFactory: () => Readable.from(body()),
      });
      // LOCAL loads turn bad values into warnings; a score that did not load exactly is an error.
      if (loaded.warningStatus || loaded.affectedRows !== sent) {
        const [w] = await conn.query<RowDataPacket[]>('SHOW WARNINGS LIMIT 3');
        throw new Error(`member_scores load: ${loaded.affectedRows} of ${sent} rows, warnings: ${JSON.stringify(w)}`);
      }
    } else {
      // Servers with local_infile off (MySQL 8's default): the same staging table, filled by multi-row INSERTs.
      for (const rows of chunks) {
        if (!rows.length) continue;
        await conn.query(`INSERT INTO member_scores_in (${COLS}) VALUES ?`, [rows]);
        sent += rows.length;
      }
    }
    const t = Date.now();
    await withTransaction(conn, async () => {
      await conn.query(`UPDATE member_scores s JOIN member_scores_in t ON t.member_id = s.member_id SET ${SCORE_COLUMNS.slice(1).map((c) => `s.${c} = t.${c}`).join(', ')}`);
      await conn.query(`INSERT INTO member_scores (${COLS}) SELECT ${SCORE_COLUMNS.map((c) => `t.${c}`).join(', ')} FROM member_scores_in t LEFT JOIN member_scores s ON s.member_id = t.member_id WHERE s.member_id IS NULL`);
      // Scores of members deleted since the last run.
      await conn.query("DELETE s FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.status = 'deleted'");
    });
    return { rows: sent, applyMs: Date.now() - t };
  } finally {
    await conn.query('DROP TEMPORARY TABLE IF EXISTS member_scores_in').catch(() => {});
    conn.release();
  }
}
