import { Readable } from 'node:stream';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { AppError } from '../../kernel/index.ts';
import { utcText } from './score-text.ts';

export const SCORE_COLUMNS = [
  'member_id', 'rfm_r', 'rfm_f', 'rfm_m', 'rfm_score', 'rfm_cell', 'value_quadrant', 'churn_risk', 'churn_level',
  'churn_reasons', 'p_alive', 'expected_purchases_90d', 'clv', 'scored_at', 'churn_rank', 'churn_store', 'last_order_at', 'total_spend',
] as const;
const COLS = SCORE_COLUMNS.join(', ');

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text field as LOAD DATA reads it by default: backslash escapes, only when it holds a special character. */
export function tsvText(s: string): string {
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : s;
}


/**
 * A chunk of score rows for the load: TSV lines (LOAD DATA's default format: tabs, `\N` for
 * NULL, backslash escapes, UTC datetimes) of SCORE_COLUMNS in order, and the members' ids in the
 * same order. The scoring pass writes the text straight from its arrays (recompute.ts): no
 * per-row array of values, a million rows a run.
 */
export interface ScoreChunk {
  text: string;
  ids: ArrayLike<number>;
}

/** One field of `scoreChunk`'s generic rows. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return utcText(v.getTime());
  return tsvText(String(v));
}

/** Rows of values (numbers, strings, dates, nulls) as a chunk: for callers that hold rows, not text. */
export function scoreChunk(rows: readonly (readonly unknown[])[]): ScoreChunk {
  let text = '';
  for (const r of rows) {
    for (let k = 0; k < r.length; k++) text += (k ? '\t' : '') + field(r[k]);
    text += '\n';
  }
  return { text, ids: rows.map((r) => Number(r[0])) };
}

/** A chunk's lines back as rows of values (strings and nulls), for the multi-row INSERT where LOAD DATA LOCAL is refused. */
function rowsOf(chunk: ScoreChunk): (string | null)[][] {
  const unescape = (f: string) => (f === '\\N' ? null : f.includes('\\') ? f.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c) : f);
  return chunk.text.split('\n').filter(Boolean).map((line) => line.split('\t').map(unescape));
}

/** Rows per chunk at most: the id checksum's float sums stay exact (see `tally`). */
const MAX_CHUNK = 32_768;

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
 * named lock. Returns the rows loaded, the time of the apply step (indexes, deletions, swap, drop)
 * and whether rows of members gone were dropped (the table then holds fewer rows than were sent).
 * `loaded` is called once every row is in, before the index builds: the caller's reads can run
 * beside them (the server builds the indexes on one core; this process waits).
 */
export async function loadScores(sql: Pool, chunks: Iterable<ScoreChunk>, loaded?: () => void): Promise<{ rows: number; applyMs: number; pruned: boolean }> {
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
    // Per chunk in float sums (exact: each id split in 16-bit halves, so no sum passes 2^53 in a
    // chunk of up to 32,768 rows), added to the BigInt totals once per chunk, not per row.
    const tally = (ids: ArrayLike<number>) => {
      let s = 0;
      let hh = 0;
      let hl = 0;
      let ll = 0;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        const hi = Math.floor(id / 65_536);
        const lo = id - hi * 65_536;
        s += id;
        hh += hi * hi;
        hl += hi * lo;
        ll += lo * lo;
        if (id > maxId) maxId = id;
      }
      sum += BigInt(s);
      squares += (BigInt(hh) << 32n) + (BigInt(hl) << 17n) + BigInt(ll);
    };
    // The load checks neither the foreign key nor the JSON check per row (session settings, put
    // back below): every row is a member the run read, its reasons JSON.stringify's output, and
    // the rows of members deleted or gone since the read are removed after the load, before the
    // swap — the per-row lookup of members and JSON parse cost ~10 % of the load (measured).
    await conn.query('SET SESSION foreign_key_checks = 0, SESSION check_constraint_checks = 0');
    const [[flag]] = await conn.query<RowDataPacket[]>('SELECT @@local_infile AS local');
    if (Number(flag?.local)) {
      const body = function* () {
        for (const chunk of chunks) {
          if (chunk.ids.length > MAX_CHUNK) throw new AppError('scores_load_failed', `member_scores load: a chunk of ${chunk.ids.length} rows (at most ${MAX_CHUNK})`);
          sent += chunk.ids.length;
          tally(chunk.ids);
          yield Buffer.from(chunk.text);
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
      for (const chunk of chunks) {
        const rows = rowsOf(chunk);
        if (!rows.length) continue;
        if (rows.length !== chunk.ids.length || chunk.ids.length > MAX_CHUNK) throw new AppError('scores_load_failed', `member_scores load: a chunk of ${rows.length} lines for ${chunk.ids.length} ids`);
        await conn.query(`INSERT INTO ${NEXT} (${COLS}) VALUES ?`, [rows]);
        sent += rows.length;
        tally(chunk.ids);
      }
    }
    await conn.query('SET SESSION foreign_key_checks = 1, SESSION check_constraint_checks = 1');
    loaded?.();
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
    const pruned = Number(kept!.n) !== sent || String(kept!.s) !== String(sum) || String(kept!.q) !== String(squares);
    if (pruned) {
      await conn.query(`DELETE n FROM ${NEXT} n LEFT JOIN members m ON m.id = n.member_id WHERE m.id IS NULL OR m.status = 'deleted'`);
    }
    await conn.query(`RENAME TABLE member_scores TO ${OLD}, ${NEXT} TO member_scores`);
    // The new scores are live; an old table that would not drop is dropped by the next run.
    await conn.query(`DROP TABLE ${OLD}`).catch(() => {});
    return { rows: sent, applyMs: Date.now() - t, pruned };
  } catch (e) {
    if (locked) await conn.query(`DROP TABLE IF EXISTS ${NEXT}`).catch(() => {});
    throw e;
  } finally {
    await conn.query('SET SESSION foreign_key_checks = 1, SESSION check_constraint_checks = 1').catch(() => {});
    if (locked) await conn.query("SELECT RELEASE_LOCK(CONCAT(DATABASE(), ':member_scores load'))").catch(() => {});
    conn.release();
  }
}
