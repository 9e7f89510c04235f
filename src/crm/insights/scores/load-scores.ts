import { Readable } from 'node:stream';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { AppError } from '../../kernel/index.ts';

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

/** Rows as TSV lines, built in one string (no per-row arrays of fields: a million rows a run). */
function tsv(rows: unknown[][]): string {
  let out = '';
  for (const r of rows) {
    for (let k = 0; k < r.length; k++) out += (k ? '\t' : '') + field(r[k]);
    out += '\n';
  }
  return out;
}

/** The table a run loads, swapped in for member_scores when complete, and the one swapped out. */
const NEXT = 'member_scores_next';
const OLD = 'member_scores_old';
/**
 * member_scores' foreign key to members. Constraint names are unique per database, so the
 * loaded table takes whichever of the two names the live table does not hold (schema.prisma
 * and the drift check know foreign keys by their columns, not their names).
 */
const FK_NAMES = ['member_scores_member_id_fkey', 'member_scores_member_id_fkey_b'] as const;

/**
 * Writes every member's scores: the rows (produced lazily, chunk by chunk, as the scoring pass
 * computes them) stream by LOAD DATA LOCAL INFILE into a fresh copy of member_scores
 * (`member_scores_next`: same columns, indexes and checks, its own foreign key to members),
 * which then replaces the live table in one RENAME TABLE. The rows a run writes are the whole
 * table (every member not deleted; scores of members deleted meanwhile are dropped before the
 * swap), so no row has to be updated in place: at 1M members the former UPDATE … JOIN of every
 * row took 25 s (its secondary indexes — churn level, rank, store — change for most members
 * each night), the copy and swap a few seconds (docs/benchmarks.md).
 *
 * Readers: RENAME TABLE is atomic and waits for statements (and transactions) using the live
 * table, so a statement reads the old scores or the new ones, never a mix or an empty table; a
 * transaction that began before the swap and reads member_scores only after it gets
 * ER_TABLE_DEF_CHANGED ("please retry") from MariaDB instead of an empty table. A failed run
 * (bad row, lost connection, crash) leaves the live table as it was: the copy is dropped, and a
 * leftover of a killed run is dropped by the next one. Runs on one database are serialised by a
 * named lock. Returns the rows loaded and the time of the apply step (indexes, deletions, swap, drop).
 */
export async function loadScores(sql: Pool, chunks: Iterable<unknown[][]>): Promise<{ rows: number; applyMs: number }> {
  const conn = await sql.getConnection();
  let locked = false;
  try {
    const [[lock]] = await conn.query<RowDataPacket[]>("SELECT GET_LOCK(CONCAT(DATABASE(), ':member_scores load'), 3600) AS ok");
    if (Number(lock?.ok) !== 1) throw new AppError('scoring_busy', 'member_scores load: another scoring run holds the load lock');
    locked = true;
    await conn.query(`DROP TABLE IF EXISTS ${NEXT}, ${OLD}`);
    await conn.query(`CREATE TABLE ${NEXT} LIKE member_scores`);
    const [[live]] = await conn.query<RowDataPacket[]>(
      "SELECT CONSTRAINT_NAME AS name FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'member_scores' AND REFERENCED_TABLE_NAME = 'members'",
    );
    const fk = live?.name === FK_NAMES[0] ? FK_NAMES[1] : FK_NAMES[0];
    await conn.query(`ALTER TABLE ${NEXT} ADD CONSTRAINT ${fk} FOREIGN KEY (member_id) REFERENCES members (id) ON DELETE CASCADE ON UPDATE CASCADE`);
    // The secondary indexes (the live table's, as the migrations made them) are built after the
    // load, each by one sort: the rows arrive in member order, and inserting them into indexes
    // ordered by churn level, rank and store costs about four times the load itself (measured).
    const [stats] = await conn.query<RowDataPacket[]>(
      "SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col, SUB_PART AS part FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'member_scores' AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX",
    );
    const indexes = new Map<string, { unique: boolean; cols: string[] }>();
    for (const r of stats) {
      const name = String(r.name);
      const index = indexes.get(name) ?? { unique: Number(r.nonUnique) === 0, cols: [] };
      index.cols.push(`\`${r.col}\`${r.part === null ? '' : `(${Number(r.part)})`}`);
      indexes.set(name, index);
    }
    if (indexes.size) await conn.query(`ALTER TABLE ${NEXT} ${[...indexes.keys()].map((name) => `DROP INDEX \`${name}\``).join(', ')}`);
    let sent = 0;
    // The loaded members' ids, summed (count, Σ id, Σ id²), to tell after the load whether any
    // was deleted or removed since the read without a join of every row (see below).
    let sum = 0n;
    let squares = 0n;
    let maxId = 0;
    const tally = (rows: unknown[][]) => {
      for (const r of rows) {
        const id = Number(r[0]);
        sum += BigInt(id);
        squares += BigInt(id) * BigInt(id);
        if (id > maxId) maxId = id;
      }
    };
    // The load checks neither the foreign key nor the JSON check per row (session settings, put
    // back below): every row is a member the run read, its reasons JSON.stringify's output, and
    // the rows of members deleted or gone since the read are removed after the load, before the
    // swap — the per-row lookup of members and JSON parse cost ~10 % of the load (measured).
    await conn.query('SET SESSION foreign_key_checks = 0, SESSION check_constraint_checks = 0');
    const [[flag]] = await conn.query<RowDataPacket[]>('SELECT @@local_infile AS local');
    if (Number(flag?.local)) {
      const body = function* () {
        for (const rows of chunks) {
          sent += rows.length;
          tally(rows);
          yield Buffer.from(tsv(rows));
        }
      };
      const [loaded] = await conn.query<ResultSetHeader>({
        sql: `LOAD DATA LOCAL INFILE 'member_scores.tsv' INTO TABLE ${NEXT} CHARACTER SET utf8mb4 (${COLS})`,
        infileStreamFactory: () => Readable.from(body()),
      });
      // LOCAL loads turn bad values into warnings; a score that did not load exactly is an error.
      if (loaded.warningStatus || loaded.affectedRows !== sent) {
        const [w] = await conn.query<RowDataPacket[]>('SHOW WARNINGS LIMIT 3');
        throw new AppError('scores_load_failed', `member_scores load: ${loaded.affectedRows} of ${sent} rows, warnings: ${JSON.stringify(w)}`);
      }
    } else {
      // Servers with local_infile off (MySQL 8's default): the same table, filled by multi-row INSERTs.
      for (const rows of chunks) {
        if (!rows.length) continue;
        await conn.query(`INSERT INTO ${NEXT} (${COLS}) VALUES ?`, [rows]);
        sent += rows.length;
        tally(rows);
      }
    }
    await conn.query('SET SESSION foreign_key_checks = 1, SESSION check_constraint_checks = 1');
    const t = Date.now();
    if (indexes.size) await conn.query(`ALTER TABLE ${NEXT} ${[...indexes].map(([name, i]) => `ADD ${i.unique ? 'UNIQUE ' : ''}INDEX \`${name}\` (${i.cols.join(', ')})`).join(', ')}`);
    // Scores of members deleted (or erased from members) since the run read them. Usually none:
    // the members not deleted up to the highest id loaded are exactly the loaded ones when their
    // count, Σ id and Σ id² agree (an index range of members; a different set of ids would need
    // three or more members gone and as many others come, with equal sums and sums of squares),
    // so the DELETE joining every loaded row to members (7–12 s at 1M under load) runs only
    // when they differ.
    const [[kept]] = await conn.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n, COALESCE(SUM(id), 0) AS s, COALESCE(SUM(CAST(id AS DECIMAL(20)) * id), 0) AS q FROM members FORCE INDEX (members_list_cover_idx) WHERE id <= ? AND status <> 'deleted'",
      [maxId],
    );
    if (Number(kept!.n) !== sent || String(kept!.s) !== String(sum) || String(kept!.q) !== String(squares)) {
      await conn.query(`DELETE n FROM ${NEXT} n LEFT JOIN members m ON m.id = n.member_id WHERE m.id IS NULL OR m.status = 'deleted'`);
    }
    await conn.query(`RENAME TABLE member_scores TO ${OLD}, ${NEXT} TO member_scores`);
    // The new scores are live; an old table that would not drop is dropped by the next run.
    await conn.query(`DROP TABLE ${OLD}`).catch(() => {});
    return { rows: sent, applyMs: Date.now() - t };
  } catch (e) {
    if (locked) await conn.query(`DROP TABLE IF EXISTS ${NEXT}`).catch(() => {});
    throw e;
  } finally {
    await conn.query('SET SESSION foreign_key_checks = 1, SESSION check_constraint_checks = 1').catch(() => {});
    if (locked) await conn.query("SELECT RELEASE_LOCK(CONCAT(DATABASE(), ':member_scores load'))").catch(() => {});
    conn.release();
  }
}
