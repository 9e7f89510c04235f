import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { auditInTransaction, queueOutbound, recordChanges, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import { listDifference, type SelectedMembers, type TagRows } from './list-difference.ts';

export type { SelectedMembers } from './list-difference.ts';

/**
 * The one writer of member_tags. Every change of who holds which tag goes through
 * writeMemberTags — by hand (add, remove, batch), rule tags, smart tags, journeys, tag merges,
 * member merges and erasure — so the audit decision sits in one place: a staff change names its
 * audit row and gets it written here; a run of the system (rule tags, smart tags, journeys) says
 * which one it is and writes none; a step of a larger operation (a tag or member merge, an
 * erasure) says which, and that operation audits itself once it commits.
 */

/** A pool, or one connection inside the caller's transaction. */
export type TagSql = Pool | PoolConnection;

export type TagSource = 'manual' | 'rule' | 'model';

/** A query selecting members: a `member_id` column (and `confidence` where tags are added). */
export interface MemberSelect {
  sql: string;
  params: unknown[];
}

export type MemberTagChange =
  /** Put the tag on these members; those holding it already keep their row (INSERT IGNORE), except that a manual add makes a model row manual (claimModelRows). */
  | { op: 'add'; tagId: number; memberIds: number[]; source: TagSource; createdBy: string; at: Date }
  /** Take the tag off these members, whatever set it. */
  | { op: 'remove'; tagId: number; memberIds: number[] }
  /** Put the tag on every member the query selects, with the query's confidence. */
  | { op: 'addSelected'; tagId: number; select: MemberSelect; source: TagSource; createdBy: string; at: Date }
  /** Take the tag of `source` off every member the query does not select (only among `memberIds` when given). */
  | { op: 'retainSelected'; tagId: number; source: TagSource; select: MemberSelect; memberIds?: number[] }
  /**
   * The tag of `source` on exactly the members the query selects, with the query's confidence:
   * rows of `source` it no longer selects are removed, newly selected members get the tag, and a
   * kept row's confidence is rewritten when it moved (by more than `tolerance` when given, else
   * when its 3-place value differs); other rows (and their created_at, the day the member first
   * got the tag) are not written, and rows of another source are left as they are (a member
   * tagged by hand keeps the manual row). The nightly smart tags. Runs its own short
   * transactions (replaceSelected below): given a connection, it must not be inside one.
   * `select` is a query, or the members already chosen in memory (the smart tags evaluated on the
   * scoring run's arrays): then only the difference is computed here, the same rows written.
   * `rows`: with a list, the tag's rows as `readTagRows` read them a little earlier (the smart
   * tags read them while the scoring run builds its indexes); otherwise they are read here.
   */
  | { op: 'replaceSelected'; tagId: number; select: MemberSelect | SelectedMembers; source: TagSource; createdBy: string; at: Date; tolerance?: number; rows?: HeldTagRows; chose?: (write: ReplaceWrite) => void }
  /** Take the tag of `source` off every member. */
  | { op: 'removeSource'; tagId: number; source: TagSource }
  /** Every holder of tag `from` gets tag `to` too, with its source and confidence (tag merge: `from` is deleted after). */
  | { op: 'copyTag'; from: number; to: number }
  /** Member `to` gets every tag member `from` holds (keeping its own rows), and `from` holds none (member merge). */
  | { op: 'moveMember'; from: number; to: number }
  /** Every tag off the member (erasure). */
  | { op: 'clearMember'; memberId: number };

export type TagWriter =
  /** A staff change: written with this audit row; `detail` gets the number of rows changed. */
  | { access: StaffAccess; action: string; target: { type: 'member' | 'tag'; id: number }; detail: (changed: number) => Record<string, unknown> }
  /**
   * A run of the system, not audited: the scheduled rule tags, the smart tags, a journey step;
   * `wecom`: a tag change made in WeCom on a bound customer (src/crm/contacts), never mirrored back;
   * `sync`: a tag change made in a synced CRM (src/crm/sync), not mirrored to WeCom either.
   */
  | { system: 'rule' | 'model' | 'journey' | 'wecom' | 'sync' }
  /** One step of an operation that writes its own audit row after it commits. */
  | { partOf: 'tag.merge' | 'tag.rule.delete' | 'member.merge' | 'member.erase' | 'member.create' | 'member.import' };

/** Rows per INSERT of an `add` (a batch tag can cover a whole churn list). */
const CHUNK = 5000;

const affected = async (sql: TagSql, query: string, params: unknown[]) => (await sql.query<ResultSetHeader>(query, params))[0].affectedRows;

/** Changes who holds which tag; returns the rows changed (for moveMember: the tags the survivor gained). */
export async function writeMemberTags(sql: TagSql, change: MemberTagChange, by: TagWriter): Promise<number> {
  if (!('access' in by)) return write(sql, change);
  // A staff change and its audit row commit together — on the caller's connection, else in a
  // transaction of their own, which joins a shared one (the chat message's, whose inbox completion
  // commits with it: src/crm/kernel/transaction.ts, withSharedTransaction).
  const { access } = by;
  const audited = async (conn: PoolConnection) => {
    const changed = await write(conn, change);
    const entry = { actor: access.actor, action: by.action, targetType: by.target.type, targetId: String(by.target.id), channel: access.channel, requestId: access.requestId, detail: by.detail(changed) };
    await auditInTransaction(conn, [entry], access.services.now());
    return changed;
  };
  const changed = await ('release' in sql ? audited(sql) : withTransaction(sql, audited, { joinShared: true }));
  if (changed > 0 && (change.op === 'add' || change.op === 'remove')) await queueTagMirror(access, change.memberIds, change.tagId);
  return changed;
}

/** Members per mirror job (each member costs one externalcontact mark_tag per WeCom relationship). */
const MIRROR_CHUNK = 500;
/**
 * Past the commit of the change: a chat message's write commits with its inbox completion
 * (src/bot/inbox/claim.ts), after this function returns. The job compares the member's tags
 * with what WeCom holds, so running early or after a rollback changes nothing wrong.
 */
const MIRROR_DELAY_MS = 3000;

/**
 * A staff change of who holds a tag (chat, API, batch) is mirrored to the member's WeCom
 * relationships by an outbound job (the contacts context, docs/wecom.md "Customer contacts").
 * Only staff changes: rule and smart tags are computed for the whole base and would exceed
 * WeCom's call limits, and a change that came from WeCom (`system: 'wecom'`) must not echo back.
 */
async function queueTagMirror(access: StaffAccess, memberIds: number[], tagId: number): Promise<void> {
  for (let i = 0; i < memberIds.length; i += MIRROR_CHUNK) {
    const ids = memberIds.slice(i, i + MIRROR_CHUNK);
    const digest = createHash('sha256').update(`${access.requestId}\n${tagId}\n${ids.join(',')}`).digest('hex').slice(0, 32);
    try {
      await queueOutbound(access.services, 'member-tags-changed', { kind: 'member-tags-changed', memberIds: ids }, { jobId: `tags-mirror-${digest}`, delay: MIRROR_DELAY_MS });
    } catch (e) {
      // The tag change stands: with the outbox row written, the recovery sweep queues the job once
      // Redis is back (src/jobs/recovery.ts); without it the member's next staff tag change carries the mirror.
      access.services.logger.warn({ err: String(e), members: ids.length }, 'wecom tag mirror not queued');
    }
  }
}

/** A tag's id by its name (the column's collation makes "vip" find "VIP"); null when there is none. */
export async function tagIdByName(sql: TagSql, name: string): Promise<number | null> {
  const [rows] = await sql.query<RowDataPacket[]>('SELECT id FROM tags WHERE name = ?', [name]);
  return rows[0] ? Number(rows[0].id) : null;
}

const INSERT = 'INSERT IGNORE INTO member_tags (member_id, tag_id, source, confidence, created_by, created_at)';

async function write(sql: TagSql, c: MemberTagChange): Promise<number> {
  // A change of named members goes into the change feed in the same transaction (kernel
  // recordChanges, docs/sync.md); set-based rule and model runs are not synced one by one.
  if ((c.op === 'add' || c.op === 'remove') && c.memberIds.length) {
    if (!('release' in sql)) return withTransaction(sql, (conn) => write(conn, c), { joinShared: true });
    const changed = await writeRows(sql, c);
    if (changed > 0) await recordChanges(sql, c.op === 'add' ? c.at : new Date(), c.memberIds.map((memberId) => ({ object: 'tag' as const, id: `${memberId}:${c.tagId}`, memberId })));
    return changed;
  }
  return writeRows(sql, c);
}

async function writeRows(sql: TagSql, c: MemberTagChange): Promise<number> {
  switch (c.op) {
    case 'add': {
      if (!c.memberIds.length) return 0;
      // Ascending member order, every claim before any insert: the order in which the nightly
      // smart tags lock a tag's rows (replaceSelected), so a hand tag written while that run
      // writes waits for one of its short transactions at most and never deadlocks with it.
      const ids = [...new Set(c.memberIds)].sort((a, b) => a - b);
      const chunked = (run: (part: number[]) => Promise<number>) => async () => {
        let n = 0;
        for (let i = 0; i < ids.length; i += CHUNK) n += await run(ids.slice(i, i + CHUNK));
        return n;
      };
      // A model row the run inserted after our claim read (our insert then finds it) is claimed
      // by a second pass: every member has a row by then, so its UPDATE (a current read, unlike
      // the first pass's snapshot) locks existing rows only, and the run's are committed.
      // A chunk whose insert wrote every member's row (the usual hand tag: one member, not yet
      // tagged) has no model row left to claim: its second pass is not sent.
      const add = async (conn: TagSql) => {
        const claimed = await chunked((part) => claimModelRows(conn, c, part))();
        const partly: number[][] = [];
        const inserted = await chunked(async (part) => {
          const n = await affected(conn, `${INSERT} VALUES ?`, [part.map((memberId) => [memberId, c.tagId, c.source, 1, c.createdBy, c.at])]);
          if (n < part.length) partly.push(part);
          return n;
        })();
        let late = 0;
        for (const part of partly) late += await claimModelRows(conn, c, part, true);
        return claimed + inserted + late;
      };
      if (ids.length <= CHUNK && (c.source !== 'manual' || 'release' in sql)) return add(sql);
      // Several statements, in one transaction so a failure leaves none of them: the caller's on a connection, else our own.
      return 'release' in sql ? add(sql) : withTransaction(sql, add);
    }
    case 'remove':
      if (!c.memberIds.length) return 0;
      return affected(sql, 'DELETE FROM member_tags WHERE tag_id = ? AND member_id IN (?)', [c.tagId, c.memberIds]);
    case 'addSelected':
      return affected(sql, `${INSERT} SELECT s.member_id, ?, ?, s.confidence, ?, ? FROM (${c.select.sql}) s`, [c.tagId, c.source, c.createdBy, c.at, ...c.select.params]);
    case 'retainSelected': {
      const only = c.memberIds?.length ? ' AND member_id IN (?)' : '';
      return affected(sql, `DELETE FROM member_tags WHERE tag_id = ? AND source = ? AND member_id NOT IN (${c.select.sql})${only}`, [
        c.tagId,
        c.source,
        ...c.select.params,
        ...(only ? [c.memberIds] : []),
      ]);
    }
    case 'replaceSelected':
      // The query is read once into session tables (a selection may be a window over every
      // member): a connection of its own when given a pool.
      if (!('release' in sql)) {
        const conn = await sql.getConnection();
        try {
          return await replaceSelected(conn, c);
        } finally {
          conn.release();
        }
      }
      return replaceSelected(sql, c);
    case 'removeSource':
      return affected(sql, 'DELETE FROM member_tags WHERE tag_id = ? AND source = ?', [c.tagId, c.source]);
    case 'copyTag':
      return affected(sql, `${INSERT} SELECT member_id, ?, source, confidence, created_by, created_at FROM member_tags WHERE tag_id = ?`, [c.to, c.from]);
    case 'moveMember': {
      const moved = await affected(sql, `${INSERT} SELECT ?, tag_id, source, confidence, created_by, created_at FROM member_tags WHERE member_id = ?`, [c.to, c.from]);
      await sql.query('DELETE FROM member_tags WHERE member_id = ?', [c.from]);
      return moved;
    }
    case 'clearMember':
      return affected(sql, 'DELETE FROM member_tags WHERE member_id = ?', [c.memberId]);
  }
}

/**
 * A tag given by hand to a member who holds it from the model makes the row manual: the model's
 * row would otherwise stay, and the next smart-tag run that no longer selects the member would
 * take the staff member's tag away — also when the hand-made tag comes while that run writes
 * (it waits for the run's row lock, then finds the model's row). Confidence 1, the staff member
 * as its author; the day the member first got the tag is kept. Counted as a change.
 */
async function claimModelRows(sql: TagSql, c: Extract<MemberTagChange, { op: 'add' }>, memberIds: number[], everyRowThere = false): Promise<number> {
  if (c.source !== 'manual') return 0;
  const claim = (ids: number[]) => affected(sql, "UPDATE member_tags SET source = ?, confidence = 1, created_by = ? WHERE tag_id = ? AND member_id IN (?) AND source = 'model'", [c.source, c.createdBy, c.tagId, ids]);
  if (everyRowThere) return claim(memberIds);
  // The model rows are found by a plain read first and then updated by their exact keys: an
  // UPDATE … IN over members without the row would (REPEATABLE READ) lock the gaps where they
  // would go, and the nightly run inserting there would wait for us while we wait for one of its
  // rows — the deadlock of issue 17. A row the run removes meanwhile is simply not claimed.
  const [rows] = await sql.query<RowDataPacket[]>("SELECT member_id FROM member_tags WHERE tag_id = ? AND member_id IN (?) AND source = 'model' ORDER BY member_id", [c.tagId, memberIds]);
  if (!rows.length) return 0;
  return claim(rows.map((r) => Number(r.member_id)));
}

/**
 * What replaceSelected wrote (told to the change's `chose`: smart tags report it, tests check
 * it): model rows removed, added and with their confidence rewritten, and in how many
 * transactions.
 */
export interface ReplaceWrite {
  /**
   * A list's run only (the tag's rows of `source` were read whole): those rows less the removed
   * plus the added — the rows of `source` after the run, without counting them again (a row a
   * staff member claimed meanwhile is still counted).
   */
  held?: number;
  removed: number;
  added: number;
  updated: number;
  chunks: number;
}

const ISOLATION_LEVELS = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'];

/** Diff rows written per transaction by replaceSelected (a staff write waits at most for one). */
export const REPLACE_CHUNK = 5000;

/**
 * replaceSelected, in two phases so that a staff member's tag write never deadlocks with it nor
 * waits for more than one short transaction (issue 17: a hand tag written while the nightly
 * smart tags wrote was once the deadlock victim, once hung):
 *
 * 1. Read, no locks: the difference against the tag's rows into a session table (op 0: a
 *    `source` row no longer selected; 1: a kept row whose confidence moved by more than
 *    `tolerance`; 2: a member without the tag) — from a query, by the selection in another
 *    session table and two joins; from a list in memory, by one read of the tag's rows and a
 *    merge (list-difference.ts) — consistent reads under READ COMMITTED, so nothing of
 *    member_tags (nor of the tables the selection reads) is locked.
 * 2. Write the difference in member order, REPLACE_CHUNK rows per transaction (READ COMMITTED:
 *    no gap locks, so a hand tag's INSERT never waits for a range the run scanned). Each
 *    transaction first locks the existing rows it will touch, in ascending member order through
 *    the tag's index, then deletes, updates and inserts only those members; a hand add locks in
 *    the same order (its claim of model rows, then its inserts, both ascending: writeRows
 *    'add'), so neither can hold a row the other waits for while waiting itself. A row the
 *    staff member changed meanwhile is left as the staff member wrote it: the statements
 *    re-check `source` (a claimed row is manual now) and the insert ignores an existing row.
 *    A lock conflict all the same (another writer's order) retries the chunk.
 *
 * Readers see every member's tag old or new, never missing: no row a member keeps is deleted
 * (the former swap deleted and re-inserted the tag's rows, in one long transaction). Kept rows
 * keep their created_at (the day the member first got the tag); rows of another source are
 * never written. Returns the rows changed: removed + added + confidences rewritten.
 */
async function replaceSelected(sql: PoolConnection, c: Extract<MemberTagChange, { op: 'replaceSelected' }>): Promise<number> {
  const tolerance = c.tolerance ?? 0;
  const [[iso]] = await sql.query<RowDataPacket[]>('SELECT @@session.tx_isolation AS level');
  await sql.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  await sql.query('DROP TEMPORARY TABLE IF EXISTS member_tags_selected, member_tags_diff');
  try {
    await sql.query('CREATE TEMPORARY TABLE member_tags_diff (member_id INT NOT NULL PRIMARY KEY, op TINYINT NOT NULL, confidence DECIMAL(4,3) NULL) ENGINE=InnoDB');
    const own = 'ids' in c.select ? await listIntoDiff(sql, c.tagId, c.source, c.select, tolerance, c.rows) : await selectIntoDiff(sql, c.tagId, c.source, c.select, tolerance);
    const done: ReplaceWrite = { removed: 0, added: 0, updated: 0, chunks: 0 };
    for (let after = 0; ; ) {
      const [rows] = await sql.query<RowDataPacket[]>('SELECT member_id, op FROM member_tags_diff WHERE member_id > ? ORDER BY member_id LIMIT ?', [after, REPLACE_CHUNK]);
      if (!rows.length) break;
      const lo = Number(rows[0]!.member_id);
      const hi = Number(rows.at(-1)!.member_id);
      const held = rows.filter((r) => Number(r.op) !== 2).map((r) => Number(r.member_id));
      const gone = rows.filter((r) => Number(r.op) === 0).map((r) => Number(r.member_id));
      const wrote = await withTransaction(
        sql,
        async (conn) => {
          if (held.length) await conn.query('SELECT member_id FROM member_tags FORCE INDEX (member_tags_tag_id_idx) WHERE tag_id = ? AND member_id IN (?) ORDER BY member_id FOR UPDATE', [c.tagId, held]);
          const removed = gone.length ? await affected(conn, 'DELETE FROM member_tags WHERE tag_id = ? AND source = ? AND member_id IN (?)', [c.tagId, c.source, gone]) : 0;
          const updated = await affected(
            conn,
            'UPDATE member_tags_diff d JOIN member_tags mt ON mt.member_id = d.member_id AND mt.tag_id = ? SET mt.confidence = d.confidence WHERE d.member_id BETWEEN ? AND ? AND d.op = 1 AND mt.source = ?',
            [c.tagId, lo, hi, c.source],
          );
          const added = await affected(
            conn,
            `${INSERT} SELECT d.member_id, ?, ?, d.confidence, ?, ? FROM member_tags_diff d WHERE d.member_id BETWEEN ? AND ? AND d.op = 2 ORDER BY d.member_id`,
            [c.tagId, c.source, c.createdBy, c.at, lo, hi],
          );
          return { removed, updated, added };
        },
        { retryDeadlocks: 5 },
      );
      done.removed += wrote.removed;
      done.updated += wrote.updated;
      done.added += wrote.added;
      done.chunks++;
      after = hi;
    }
    if (own !== null) done.held = own - done.removed + done.added;
    c.chose?.(done);
    return done.removed + done.added + done.updated;
  } finally {
    await sql.query('DROP TEMPORARY TABLE IF EXISTS member_tags_selected, member_tags_diff');
    // The connection goes back to its pool as it came (the server's default is REPEATABLE READ).
    const was = String(iso!.level).replace(/-/g, ' ');
    await sql.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${ISOLATION_LEVELS.includes(was) ? was : 'REPEATABLE READ'}`);
  }
}

/** The difference of a query's selection: the selection into a session table, then two joins against the tag's rows. */
async function selectIntoDiff(sql: PoolConnection, tagId: number, source: TagSource, select: MemberSelect, tolerance: number): Promise<null> {
  // The selection's confidence unrounded (DECIMAL(5,4): a churn risk's places), so the tolerance compares the model's value itself.
  await sql.query('CREATE TEMPORARY TABLE member_tags_selected (member_id INT NOT NULL PRIMARY KEY, confidence DECIMAL(5,4) NOT NULL) ENGINE=InnoDB');
  await sql.query(`INSERT IGNORE INTO member_tags_selected (member_id, confidence) SELECT s.member_id, COALESCE(s.confidence, 1) FROM (${select.sql}) s`, select.params);
  // With no tolerance a row is rewritten when its stored (3-place) value differs; with one, only
  // when the model's value moved further than that from what is stored.
  const moved = tolerance > 0 ? `ABS(mt.confidence - s.confidence) > ${Number(tolerance)}` : 'mt.confidence <> ROUND(s.confidence, 3)';
  // The tag's rows of `source`, by its index: gone from the selection, or a moved confidence.
  await sql.query(
    `INSERT INTO member_tags_diff (member_id, op, confidence)
     SELECT mt.member_id, IF(s.member_id IS NULL, 0, 1), ROUND(s.confidence, 3) FROM member_tags mt FORCE INDEX (member_tags_tag_id_idx)
     LEFT JOIN member_tags_selected s ON s.member_id = mt.member_id
     WHERE mt.tag_id = ? AND mt.source = ? AND (s.member_id IS NULL OR ${moved})`,
    [tagId, source],
  );
  // Selected members without the tag (of any source), looked up in the tag's index alone.
  await sql.query(
    `INSERT INTO member_tags_diff (member_id, op, confidence)
     SELECT s.member_id, 2, ROUND(s.confidence, 3) FROM member_tags_selected s
     WHERE NOT EXISTS (SELECT 1 FROM member_tags mt FORCE INDEX (member_tags_tag_id_idx) WHERE mt.tag_id = ? AND mt.member_id = s.member_id)`,
    [tagId],
  );
  return null;
}

/**
 * A tag's rows as replaceSelected's list difference reads them (readTagRows): which tag, which
 * source is "own", the rows, and Σ member_id, Σ member_id² and Σ CRC32(member_id) (decimal text)
 * to tell later whether any row came or went since. Count, Σ and Σ² alone are equal for some
 * different sets ({1, 5, 6} and {2, 3, 7}, and any shift of them); CRC32 is not linear in the id,
 * so a swap that keeps all three sums as well is no longer a pattern of small numbers.
 */
export interface HeldTagRows extends TagRows {
  tagId: number;
  source: TagSource;
  sum: string;
  squares: string;
  hashes: string;
}

/**
 * A tag's rows by its index, in member order, without locks when the session reads committed
 * (replaceSelected's): whether each is of `source` and its confidence in 10^-3.
 */
export async function readTagRows(sql: TagSql, tagId: number, source: TagSource): Promise<HeldTagRows> {
  const [rows] = await sql.query<RowDataPacket[]>({
    sql: 'SELECT member_id, source = ?, CAST(confidence * 1000 AS SIGNED) FROM member_tags FORCE INDEX (member_tags_tag_id_idx) WHERE tag_id = ? ORDER BY member_id',
    rowsAsArray: true,
  }, [source, tagId]);
  const n = rows.length;
  const held = { tagId, source, ids: new Int32Array(n), own: new Uint8Array(n), confidence: new Int32Array(n) };
  let sum = 0n;
  let squares = 0n;
  let hashes = 0;
  for (let k = 0; k < n; k++) {
    const r = rows[k] as unknown as [number, number, number];
    held.ids[k] = Number(r[0]);
    held.own[k] = Number(r[1]);
    held.confidence[k] = Number(r[2]);
    const id = BigInt(held.ids[k]!);
    sum += id;
    squares += id * id;
    // MariaDB's CRC32 of an integer is the CRC32 of its decimal text; < 2^32 × 2^21 rows stays exact in a double.
    hashes += crc32(String(held.ids[k]));
  }
  return { ...held, sum: String(sum), squares: String(squares), hashes: String(hashes) };
}

/**
 * Whether the tag still has rows for exactly the members `rows` holds: their count, Σ id, Σ id²
 * and Σ CRC32(id), by the tag's index alone (no row lookups; 43,342 rows in 0.03 s). A row's source or
 * confidence changed since is not seen here: replaceSelected's write re-checks both.
 */
async function sameMembers(sql: TagSql, rows: HeldTagRows): Promise<boolean> {
  const [[now]] = await sql.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS n, COALESCE(SUM(member_id), 0) AS s, COALESCE(SUM(CAST(member_id AS DECIMAL(20)) * member_id), 0) AS q, COALESCE(SUM(CRC32(member_id)), 0) AS h FROM member_tags FORCE INDEX (member_tags_tag_id_idx) WHERE tag_id = ?',
    [rows.tagId],
  );
  return Number(now!.n) === rows.ids.length && String(now!.s) === rows.sum && String(now!.q) === rows.squares && String(now!.h) === rows.hashes;
}

/**
 * The difference of members chosen in memory: the tag's rows read once by its index (member
 * order, no locks: READ COMMITTED) — or as the caller read them a little earlier (`rows`, of this
 * tag and source), when no row came or went since (else read again) — merged with the list in JS
 * (list-difference.ts), and only the difference sent to the session table the write reads.
 * Returns the tag's rows of `source` read.
 */
async function listIntoDiff(sql: PoolConnection, tagId: number, source: TagSource, list: SelectedMembers, tolerance: number, rows?: HeldTagRows): Promise<number> {
  if (rows && (rows.tagId !== tagId || rows.source !== source)) throw new Error(`replaceSelected: rows of tag ${rows.tagId} (${rows.source}) given for tag ${tagId} (${source})`);
  const held = rows && (await sameMembers(sql, rows)) ? rows : await readTagRows(sql, tagId, source);
  const n = held.ids.length;
  const diff = listDifference(list, held, tolerance);
  for (let k = 0; k < diff.ids.length; k += CHUNK) {
    const part = diff.ids.slice(k, k + CHUNK).map((id, j) => {
      const c = diff.confidence[k + j]!;
      return [id, diff.op[k + j]!, c === null ? null : c / 1000];
    });
    await sql.query('INSERT INTO member_tags_diff (member_id, op, confidence) VALUES ?', [part]);
  }
  let own = 0;
  for (let k = 0; k < n; k++) own += held.own[k]!;
  return own;
}
