/**
 * bench:chat's writes, put back when it ends, so it can run on the shared bench databases
 * (crm_bench_100k, crm_bench_1m) while other benches use them. The bench writes only to rows it
 * can name: its sampled members (tags added then removed, ±1 point, interactions, tickets, the
 * change feed and tag-mirror outbox rows of those), one existing ticket (status changed), its
 * own segments (bench…) and the rows of its own messages (inbox rows and audit rows by the
 * request ids it made). `takeMark` records, before the first turn, the highest id of each table
 * it appends to and the rows it changes in place; `undo` deletes what was appended (only rows
 * of the bench's members / requests / segments above the mark — another bench's rows written
 * meanwhile are never touched) and restores the changed columns. `fingerprint` is a CRC of
 * every row in that scope, taken before the first turn and after the undo: the bench prints
 * whether they are equal. Not put back: AUTO_INCREMENT counters, and the scoring run the bench
 * makes once on a database that has none (the product's own nightly state).
 */
import type { RowDataPacket } from 'mysql2/promise';
import type { SqlPool } from '../src/db/sql.ts';
import type { Redis } from '../src/redis.ts';

export interface BenchScope {
  /** The sampled members' ids. */
  members: number[];
  /** The existing ticket ticket.update changes (null when the database has none open). */
  ticketNo: string | null;
  /** Segment names the bench owns (by prefix). */
  segmentPrefix: string;
  /** The bench's own tag name. */
  tag: string;
  /** Every request id and message id the bench used (filled in as it runs). */
  requestIds: Set<string>;
  messageIds: Set<string>;
}

const APPENDED = ['audit_logs', 'change_feed', 'inbound_messages', 'interactions', 'points_ledger', 'tickets', 'segments', 'segment_runs', 'tags'] as const;

export interface Mark {
  maxId: Record<(typeof APPENDED)[number], number>;
  since: Date;
  members: RowDataPacket[];
  ticket: RowDataPacket | null;
  segments: RowDataPacket[];
  outboxIds: Set<string>;
}

/** The highest ids and the rows the bench may change in place, before its first turn. */
export async function takeMark(sql: SqlPool, scope: BenchScope): Promise<Mark> {
  const [[ids]] = await sql.query<RowDataPacket[]>(`SELECT ${APPENDED.map((t) => `(SELECT COALESCE(MAX(id), 0) FROM ${t}) AS ${t}`).join(', ')}, NOW(3) AS since`);
  const [members] = await sql.query<RowDataPacket[]>('SELECT * FROM members WHERE id IN (?)', [scope.members]);
  const [tickets] = scope.ticketNo ? await sql.query<RowDataPacket[]>('SELECT * FROM tickets WHERE ticket_no = ?', [scope.ticketNo]) : [[]];
  const [segments] = await sql.query<RowDataPacket[]>('SELECT * FROM segments WHERE name LIKE ?', [`${scope.segmentPrefix}%`]);
  const [outbox] = await sql.query<RowDataPacket[]>("SELECT job_id FROM outbound_jobs WHERE name = 'member-tags-changed'");
  return {
    maxId: Object.fromEntries(APPENDED.map((t) => [t, Number(ids![t])])) as Mark['maxId'],
    since: ids!.since as Date,
    members,
    ticket: tickets[0] ?? null,
    segments,
    outboxIds: new Set(outbox.map((r) => String(r.job_id))),
  };
}

/** Restores the columns of `before` rows (by id) that differ now. */
async function restoreRows(sql: SqlPool, table: string, before: RowDataPacket[]): Promise<number> {
  if (!before.length) return 0;
  const [now] = await sql.query<RowDataPacket[]>(`SELECT * FROM ${table} WHERE id IN (?)`, [before.map((r) => r.id)]);
  const byId = new Map(now.map((r) => [Number(r.id), r]));
  let n = 0;
  for (const was of before) {
    const cur = byId.get(Number(was.id));
    if (!cur) continue;
    const changed = Object.keys(was).filter((c) => !same(was[c], cur[c]));
    if (!changed.length) continue;
    await sql.query(`UPDATE ${table} SET ${changed.map((c) => `\`${c}\` = ?`).join(', ')} WHERE id = ?`, [...changed.map((c) => was[c]), was.id]);
    n++;
  }
  return n;
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** Deletes what the bench appended and restores what it changed; returns rows touched per table. */
export async function undo(sql: SqlPool, redis: Redis, redisPrefix: string, scope: BenchScope, mark: Mark): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const del = async (table: string, where: string, params: unknown[]) => {
    const [r] = await sql.query<any>(`DELETE FROM ${table} WHERE id > ? AND ${where}`, [mark.maxId[table as keyof Mark['maxId']], ...params]);
    if (r.affectedRows) out[table] = (out[table] ?? 0) + Number(r.affectedRows);
  };
  const requests = [...scope.requestIds];
  const messages = [...scope.messageIds];
  // Segments first (their runs and members go with them: ON DELETE CASCADE), then rows that refer to members.
  const [made] = await sql.query<RowDataPacket[]>('SELECT id FROM segments WHERE id > ? AND name LIKE ?', [mark.maxId.segments, `${scope.segmentPrefix}%`]);
  const ours = [...made.map((r) => Number(r.id)), ...mark.segments.map((r) => Number(r.id))];
  if (ours.length) await del('segment_runs', 'segment_id IN (?)', [ours]);
  if (made.length) await del('segments', 'id IN (?)', [made.map((r) => Number(r.id))]);
  out.segments_restored = await restoreRows(sql, 'segments', mark.segments);
  await del('interactions', 'member_id IN (?)', [scope.members]);
  await del('tickets', 'member_id IN (?)', [scope.members]);
  await del('points_ledger', 'member_id IN (?)', [scope.members]);
  await del('change_feed', 'member_id IN (?)', [scope.members]);
  const [tag] = await sql.query<RowDataPacket[]>('SELECT id FROM tags WHERE name = ?', [scope.tag]);
  if (tag.length) {
    const [r] = await sql.query<any>('DELETE FROM member_tags WHERE tag_id = ? AND member_id IN (?)', [tag[0]!.id, scope.members]);
    if (r.affectedRows) out.member_tags = Number(r.affectedRows);
    await del('tags', 'name = ? AND NOT EXISTS (SELECT 1 FROM member_tags mt WHERE mt.tag_id = tags.id)', [scope.tag]);
  }
  if (requests.length) await del('audit_logs', 'request_id IN (?)', [requests]);
  if (messages.length) await del('inbound_messages', 'message_id IN (?)', [messages]);
  // Tag-mirror outbox rows of the bench's members only (another bench's smart tags write these too).
  const sampled = new Set(scope.members);
  const [jobs] = await sql.query<RowDataPacket[]>("SELECT job_id, data FROM outbound_jobs WHERE name = 'member-tags-changed' AND created_at >= ?", [mark.since]);
  const mine = jobs.filter((j) => !mark.outboxIds.has(String(j.job_id)) && (JSON.parse(String(j.data)).memberIds as number[]).every((id) => sampled.has(id))).map((j) => String(j.job_id));
  if (mine.length) {
    const [r] = await sql.query<any>('DELETE FROM outbound_jobs WHERE job_id IN (?)', [mine]);
    out.outbound_jobs = Number(r.affectedRows);
  }
  out.members_restored = await restoreRows(sql, 'members', mark.members);
  out.tickets_restored = mark.ticket ? await restoreRows(sql, 'tickets', [mark.ticket]) : 0;
  // The bench's own Redis keys (its REDIS_PREFIX: conversation memory, caches, queues).
  let cursor = '0';
  let keys = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) keys += await redis.del(...found);
  } while (cursor !== '0');
  out.redis_keys = keys;
  for (const k of Object.keys(out)) if (!out[k]) delete out[k];
  return out;
}

/**
 * A CRC of every row in the bench's scope: the sampled members and their interactions, tickets,
 * points, tags, change-feed rows; the changed ticket; the bench's segments and their runs; the
 * rows of its requests and messages; the bench tag. Equal before the first turn and after undo
 * means the bench left the database as it found it.
 */
export async function fingerprint(sql: SqlPool, scope: BenchScope): Promise<string> {
  const [cols] = await sql.query<RowDataPacket[]>(
    "SELECT table_name AS t, GROUP_CONCAT(CONCAT('`', column_name, '`') ORDER BY ordinal_position) AS c FROM information_schema.columns WHERE table_schema = DATABASE() GROUP BY table_name",
  );
  const colsOf = new Map(cols.map((r) => [String(r.t), String(r.c)]));
  const crc = async (table: string, where: string, params: unknown[]) => {
    const [[r]] = await sql.query<RowDataPacket[]>(`SELECT COUNT(*) AS n, COALESCE(BIT_XOR(CRC32(CONCAT_WS('|', ${colsOf.get(table)}))), 0) AS x FROM ${table} WHERE ${where}`, params);
    return `${table}:${r!.n}/${r!.x}`;
  };
  const m = [scope.members];
  const requests = scope.requestIds.size ? [...scope.requestIds] : [''];
  const messages = scope.messageIds.size ? [...scope.messageIds] : [''];
  const parts = await Promise.all([
    crc('members', 'id IN (?)', m),
    crc('interactions', 'member_id IN (?)', m),
    crc('tickets', 'member_id IN (?) OR ticket_no = ?', [scope.members, scope.ticketNo ?? '']),
    crc('points_ledger', 'member_id IN (?)', m),
    // Its own tag only: another bench's smart-tag refresh may tag the same members meanwhile.
    crc('member_tags', 'member_id IN (?) AND tag_id IN (SELECT id FROM tags WHERE name = ?)', [scope.members, scope.tag]),
    crc('change_feed', 'member_id IN (?)', m),
    crc('segments', 'name LIKE ?', [`${scope.segmentPrefix}%`]),
    crc('segment_runs', `segment_id IN (SELECT id FROM segments WHERE name LIKE ?)`, [`${scope.segmentPrefix}%`]),
    crc('audit_logs', 'request_id IN (?)', [requests]),
    crc('inbound_messages', 'message_id IN (?)', [messages]),
    crc('tags', 'name = ?', [scope.tag]),
  ]);
  return parts.join(' ');
}
