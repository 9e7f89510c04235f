import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { createHash } from 'node:crypto';
import { auditInTransaction, queueOutbound, recordChanges, withTransaction, type StaffAccess } from '../../kernel/index.ts';

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
   * changed confidence is updated; unchanged rows (and their created_at, the day the member first
   * got the tag) are not written, and rows of another source are left as they are (a member
   * tagged by hand keeps the manual row). The nightly smart tags. How it writes is chosen per
   * call by a count (replaceSelected below): the difference when most holders stay, a swap of
   * the tag's rows when its membership mostly changes — the rows end up the same either way.
   */
  | { op: 'replaceSelected'; tagId: number; select: MemberSelect; source: TagSource; createdBy: string; at: Date; chose?: (write: ReplaceWrite) => void }
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
      const add = async (conn: TagSql, ids: number[]) => (await claimModelRows(conn, c, ids)) + (await affected(conn, `${INSERT} VALUES ?`, [ids.map((memberId) => [memberId, c.tagId, c.source, 1, c.createdBy, c.at])]));
      if (c.memberIds.length <= CHUNK && (c.source !== 'manual' || 'release' in sql)) return add(sql, c.memberIds);
      // Several statements, in one transaction so a failure leaves none of them: the caller's on a connection, else our own.
      const chunks = async (conn: TagSql) => {
        let n = 0;
        for (let i = 0; i < c.memberIds.length; i += CHUNK) n += await add(conn, c.memberIds.slice(i, i + CHUNK));
        return n;
      };
      return 'release' in sql ? chunks(sql) : withTransaction(sql, chunks);
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
      // The query is read once into a session table (a selection may be a window over every
      // member): a connection of its own when given a pool.
      if (!('release' in sql)) return withTransaction(sql, (conn) => writeRows(conn, c));
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
async function claimModelRows(sql: TagSql, c: Extract<MemberTagChange, { op: 'add' }>, memberIds: number[]): Promise<number> {
  if (c.source !== 'manual') return 0;
  return affected(sql, "UPDATE member_tags SET source = ?, confidence = 1, created_by = ? WHERE tag_id = ? AND member_id IN (?) AND source = 'model'", [c.source, c.createdBy, c.tagId, memberIds]);
}

/**
 * replaceSelected: the selection is read once into a session table, then one cheap count — the
 * tag's index entries (tag_id, member_id) whose member is selected, read from the index alone —
 * says how many rows stay. Then, with `held` the tag's rows and `kept` those:
 * - nobody holds the tag: one INSERT … SELECT of the selection;
 * - most holders stay (changes ≤ kept): the difference — model rows no longer selected deleted,
 *   changed confidences updated, new members inserted; unchanged rows are not written;
 * - the membership mostly changes (changes > kept): a swap — the few kept model rows' first-given
 *   day is set aside, every model row of the tag deleted by its index range, the selection
 *   inserted in member order with that day carried over. Deleting by range and inserting in
 *   order beats three joins over the tag's rows when most of them change anyway.
 * Either way the tag's rows end up the same: rows of another source untouched, a kept model row
 * with its created_at (the day the member first got the tag) and the new confidence. Returns the
 * rows changed: removed + added + confidence updated (a swap's rewritten unchanged rows not counted).
 */
/** Which write replaceSelected chose (told to the change's `chose`: smart tags report it, tests check it). */
export type ReplaceWrite = 'insert' | 'difference' | 'swap';

async function replaceSelected(sql: PoolConnection, c: Extract<MemberTagChange, { op: 'replaceSelected' }>): Promise<number> {
  await sql.query('DROP TEMPORARY TABLE IF EXISTS member_tags_selected, member_tags_kept');
  await sql.query('CREATE TEMPORARY TABLE member_tags_selected (member_id INT NOT NULL PRIMARY KEY, confidence DECIMAL(4,3) NOT NULL) ENGINE=InnoDB');
  try {
    const selected = await affected(sql, `INSERT IGNORE INTO member_tags_selected (member_id, confidence) SELECT s.member_id, COALESCE(s.confidence, 1) FROM (${c.select.sql}) s`, c.select.params);
    const [[count]] = await sql.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS held, COUNT(s.member_id) AS kept FROM member_tags mt FORCE INDEX (member_tags_tag_id_idx) LEFT JOIN member_tags_selected s ON s.member_id = mt.member_id WHERE mt.tag_id = ?',
      [c.tagId],
    );
    const held = Number(count!.held);
    const kept = Number(count!.kept);
    const INSERT_SELECTED = `${INSERT} SELECT s.member_id, ?, ?, s.confidence, ?, ? FROM member_tags_selected s`;
    if (held === 0) {
      c.chose?.('insert');
      return affected(sql, `${INSERT_SELECTED} ORDER BY s.member_id`, [c.tagId, c.source, c.createdBy, c.at]);
    }
    const changes = held - kept + (selected - kept);
    if (changes <= kept) {
      c.chose?.('difference');
      const removed = await affected(sql, 'DELETE mt FROM member_tags mt LEFT JOIN member_tags_selected s ON s.member_id = mt.member_id WHERE mt.tag_id = ? AND mt.source = ? AND s.member_id IS NULL', [c.tagId, c.source]);
      const updated = await affected(sql, 'UPDATE member_tags mt JOIN member_tags_selected s ON s.member_id = mt.member_id SET mt.confidence = s.confidence WHERE mt.tag_id = ? AND mt.source = ? AND mt.confidence <> s.confidence', [c.tagId, c.source]);
      const added = await affected(sql, `${INSERT_SELECTED} LEFT JOIN member_tags mt ON mt.member_id = s.member_id AND mt.tag_id = ? WHERE mt.member_id IS NULL`, [c.tagId, c.source, c.createdBy, c.at, c.tagId]);
      return removed + updated + added;
    }
    c.chose?.('swap');
    // The kept model rows (fewer than the changes): their first-given day and whether the confidence moved.
    await sql.query(
      `CREATE TEMPORARY TABLE member_tags_kept (member_id INT NOT NULL PRIMARY KEY, created_at DATETIME(3) NULL, moved TINYINT NOT NULL) ENGINE=InnoDB
       SELECT mt.member_id, mt.created_at, mt.confidence <> s.confidence AS moved FROM member_tags mt JOIN member_tags_selected s ON s.member_id = mt.member_id WHERE mt.tag_id = ? AND mt.source = ?`,
      [c.tagId, c.source],
    );
    const [[k]] = await sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n, COALESCE(SUM(moved), 0) AS moved FROM member_tags_kept');
    const deleted = await affected(sql, 'DELETE FROM member_tags WHERE tag_id = ? AND source = ?', [c.tagId, c.source]);
    const inserted = await affected(
      sql,
      `${INSERT} SELECT s.member_id, ?, ?, s.confidence, ?, COALESCE(k.created_at, ?) FROM member_tags_selected s LEFT JOIN member_tags_kept k ON k.member_id = s.member_id ORDER BY s.member_id`,
      [c.tagId, c.source, c.createdBy, c.at],
    );
    const keptModel = Number(k!.n);
    return deleted - keptModel + (inserted - keptModel) + Number(k!.moved);
  } finally {
    await sql.query('DROP TEMPORARY TABLE IF EXISTS member_tags_selected, member_tags_kept');
  }
}
