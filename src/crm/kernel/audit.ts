import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { StaffAccess } from './access.ts';
import { requirePermission } from './access.ts';
import type { Actor, Channel } from './actor.ts';
import { phoneFor } from './mask.ts';
import { writeAtFinish } from './transaction.ts';
import { batchPool } from '../../db/sql.ts';
import type { Services } from '../../services.ts';

/** A scheduled job acting on its own (e.g. the SLA sweep): audited as actor type `system`. */
export interface SystemActor {
  kind: 'system';
  /** Which job: `sla`, … */
  id: string;
}

export interface AuditEntry {
  actor: Actor | SystemActor;
  /** What was done, named like the intent or API operation: member.lookup, tag.add … */
  action: string;
  targetType: 'member' | 'member_search' | 'store' | 'tag' | 'tag_rule' | 'segment' | 'ticket' | 'interaction' | 'membership_level' | 'setting' | 'export' | 'audit_log' | 'staff' | 'wecom_tag' | 'wecom_tag_group';
  targetId: string;
  channel: Channel | 'api' | 'job';
  requestId?: string | null;
  detail?: Record<string, unknown>;
}

/** The stable id an audit reader searches by: the WeCom userid for staff, the member id for members. */
export function auditActor(actor: Actor): { actorType: 'staff' | 'member'; actorId: string };
export function auditActor(actor: Actor | SystemActor): { actorType: 'staff' | 'member' | 'system'; actorId: string };
export function auditActor(actor: Actor | SystemActor): { actorType: 'staff' | 'member' | 'system'; actorId: string } {
  if (actor.kind === 'system') return { actorType: 'system', actorId: actor.id };
  return actor.kind === 'staff' ? { actorType: 'staff', actorId: actor.wecomUserId } : { actorType: 'member', actorId: String(actor.memberId) };
}

/** The columns of one audit row, in the order of AUDIT_COLUMNS. */
function auditRow(e: AuditEntry, createdAt: Date): unknown[] {
  const { actorType, actorId } = auditActor(e.actor);
  return [actorType, actorId, e.action, e.targetType, e.targetId.slice(0, 64), e.channel, e.requestId ?? null, e.detail === undefined ? null : JSON.stringify(e.detail), createdAt];
}
const AUDIT_COLUMNS = '(actor_type, actor_id, action, target_type, target_id, channel, request_id, detail, created_at)';

/**
 * Writes one AuditLog row: who read or changed which member, when, through which channel
 * (every member read and every write is audited; docs/api.md). Stores ids, never phone
 * numbers, so the log itself is not a second copy of PII.
 *
 * The audit is a legal record: no answer goes out before its row has committed. Inside a chat
 * turn (the inbox's shared scope, transaction.ts `writeAtFinish`) this returns at once and the
 * row is written in the transaction that records the turn's answer (its inbox completion): one
 * commit for both, and the answer is recorded, and given, only with its rows — when that
 * transaction does not commit, the rows are written on their own as below, so none is lost.
 * Elsewhere rows are group-committed — a row waits for no other, but rows arriving while an
 * INSERT is under way go together in the next one (one statement and one log flush for a burst;
 * docs/benchmarks.md, bench:http) — and this resolves once the row has committed. Nothing is
 * held in memory without a caller waiting for it, so a shutdown that lets its requests finish
 * loses no row.
 */
export async function audit(services: Pick<Services, 'sql' | 'now'>, entry: AuditEntry): Promise<void> {
  const row = auditRow(entry, services.now());
  const write = (conn: PoolConnection | null, rows: unknown[]) => (conn ? insertAuditRows(conn, rows as unknown[][]) : Promise.all(rows.map((r) => batcherOf(services).add(r as unknown[]))));
  if (writeAtFinish(services.sql, 'audit_logs', row, write, (rows) => ({ sql: INSERT_AUDIT, values: [rows] }))) return;
  await batcherOf(services).add(row);
}

const INSERT_AUDIT = `INSERT INTO audit_logs ${AUDIT_COLUMNS} VALUES ?`;
const insertAuditRows = (db: Pick<PoolConnection, 'query'>, rows: unknown[][]) => db.query(INSERT_AUDIT, [rows]);

interface Batcher {
  add(row: unknown[]): Promise<void>;
}
/** Bound on the rows of one INSERT (a statement stays far below max_allowed_packet). */
const MAX_BATCH = 500;
/** One group committer per pool (a process has one; tests make several, each on its own database). */
const batchers = new WeakMap<object, Batcher>();

function batcherOf(services: Pick<Services, 'sql'>): Batcher {
  let b = batchers.get(services.sql);
  if (b) return b;
  const sql = services.sql;
  let queue: { row: unknown[]; done: (e?: unknown) => void }[] = [];
  let writing = false;
  // On the pool's commit companion (db/sql.ts batchPool), not in the pool's own queue: under the
  // 360 view's load (100 clients) the INSERT a batch of views waits for queued behind the next
  // views' reads for as long again as the reads themselves (docs/benchmarks.md, bench:http, session 16).
  const pool = batchPool(sql) ?? sql;
  const insert = (rows: unknown[][]) => insertAuditRows(pool, rows);
  const drain = async () => {
    writing = true;
    while (queue.length) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        await insert(batch.map((q) => q.row));
        for (const q of batch) q.done();
      } catch (e) {
        // One bad row must not fail the others: each alone, each caller told of its own.
        if (batch.length === 1) batch[0]!.done(e);
        else await Promise.all(batch.map((q) => insert([q.row]).then(() => q.done(), (err) => q.done(err))));
      }
    }
    writing = false;
  };
  b = {
    add(row) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, done: (e) => (e === undefined ? resolve() : reject(e)) });
        // The first row of a quiet moment goes out as soon as the code that wrote it yields (a
        // microtask: rows written by the same synchronous code join it). Not on the next tick: a
        // chat turn goes on rendering and writing its memory in microtasks after its audit call,
        // and a row held to the next tick waited for all of that before its INSERT even started —
        // its commit then came last, after the turn's own work, instead of beside it.
        if (!writing) {
          writing = true;
          queueMicrotask(() => void drain());
        }
      });
    },
  };
  batchers.set(sql, b);
  return b;
}

/**
 * Many audit rows inside the caller's mysql2 transaction (a bulk write such as a member import
 * batch): they commit or roll back with the rows they describe. `createdAt` is the caller's now.
 */
export async function auditInTransaction(conn: PoolConnection, entries: AuditEntry[], createdAt: Date): Promise<void> {
  if (!entries.length) return;
  await insertAuditRows(conn, entries.map((e) => auditRow(e, createdAt)));
}

/**
 * One audit row of a read over stores (churn list, RFM, health dashboard): `stores` null = all
 * stores, else the ids read, so the log says whose members' figures were seen.
 */
export async function auditStoresRead(
  access: { services: Services; actor: Actor; channel: AuditEntry['channel']; requestId: string },
  action: string,
  stores: number[] | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await audit(access.services, { actor: access.actor, action, targetType: 'store', targetId: stores === null ? 'all' : stores.join(','), channel: access.channel, requestId: access.requestId, detail });
}

export interface AuditLogFilter {
  /** The actor's stable id (a staff WeCom userid, a member id, a system job). */
  actor?: string;
  /** An action, or a prefix of dotted segments: `tag` matches `tag`, `tag.add`, `tag.rule.run`, never `tags`. */
  action?: string;
  /** Rows about this member (target member). */
  memberId?: number;
  targetType?: string;
  targetId?: string;
  /** From this instant (inclusive) to that one (exclusive). */
  from?: Date;
  to?: Date;
}

export interface AuditLogRow {
  id: number;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  channel: string;
  requestId: string | null;
  detail: unknown;
  createdAt: Date;
}

/** A mainland mobile inside any text (a search's target id, a detail value). */
const PHONE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;

/** Every string inside a JSON value with its phones masked as `mask` does; numbers and keys untouched. */
function maskStrings(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, mask));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v, mask)]));
  return value;
}

/**
 * The audit log, newest first, one page (audit.read). Rows name members by id, but a search's
 * target or an old detail may hold a phone: those are shown as the reader may see phones
 * (phoneFor), like every other answer. The read itself is audited (`audit.list`).
 */
export async function listAuditLogs(access: StaffAccess, filter: AuditLogFilter, page: { page: number; pageSize: number }): Promise<{ items: AuditLogRow[]; total: number }> {
  requirePermission(access.actor, 'audit.read');
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.actor !== undefined) {
    where.push('actor_id = ?');
    params.push(filter.actor);
  }
  if (filter.action !== undefined) {
    where.push('(action = ? OR action LIKE ?)');
    params.push(filter.action, likePrefix(filter.action));
  }
  if (filter.memberId !== undefined) {
    where.push("target_type = 'member' AND target_id = ?");
    params.push(String(filter.memberId));
  }
  if (filter.targetType !== undefined) {
    where.push('target_type = ?');
    params.push(filter.targetType);
  }
  if (filter.targetId !== undefined) {
    where.push('target_id = ?');
    params.push(filter.targetId);
  }
  if (filter.from !== undefined) {
    where.push('created_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('created_at < ?');
    params.push(filter.to);
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { sql } = access.services;
  const [[count]] = await sql.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM audit_logs ${cond}`, params);
  const [rows] = await sql.query<RowDataPacket[]>(
    `SELECT id, actor_type, actor_id, action, target_type, target_id, channel, request_id, detail, created_at FROM audit_logs ${cond}
     ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, page.pageSize, (page.page - 1) * page.pageSize],
  );
  const mask = (text: string) => text.replace(PHONE_IN_TEXT, (p) => phoneFor(access.actor, p));
  const items = rows.map((r) => {
    const detail: unknown = r.detail == null ? null : typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail;
    return {
      id: Number(r.id),
      actorType: String(r.actor_type),
      actorId: String(r.actor_id),
      action: String(r.action),
      targetType: String(r.target_type),
      targetId: mask(String(r.target_id)),
      channel: String(r.channel),
      requestId: r.request_id == null ? null : String(r.request_id),
      detail: maskStrings(detail, mask),
      createdAt: r.created_at as Date,
    };
  });
  await audit(access.services, {
    actor: access.actor,
    action: 'audit.list',
    targetType: 'audit_log',
    targetId: 'list',
    channel: access.channel,
    requestId: access.requestId,
    detail: { filter: { ...filter }, page: page.page, total: Number(count?.n ?? 0) },
  });
  return { items, total: Number(count?.n ?? 0) };
}
