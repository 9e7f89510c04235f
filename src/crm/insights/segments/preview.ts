import type { PoolConnection } from 'mysql2/promise';
import { audit, phoneFor, requirePermission, storeScope, type StaffAccess } from '../../kernel/index.ts';
import { openPhone } from '../../customers/index.ts';
import { compileScope } from './compile.ts';
import { dropMembersTable, materializeMembers } from './evaluate.ts';
import { SCORES } from './fields.ts';
import { parseSegmentTree, type SegmentTree } from './tree.ts';

export interface PreviewMember {
  memberId: number;
  memberNo: string;
  name: string;
  /** Masked unless the actor has member.phone.view. */
  phone: string;
  level: number;
  homeStore: string | null;
}

export interface SegmentPreview {
  /** Members matching, in the actor's store scope (and the segment's store, if given). */
  count: number;
  /** All non-deleted members in the same scope: the share's denominator. */
  total: number;
  /** count / total, 0..1 (0 when the scope is empty). */
  share: number;
  /** Up to 20 matching members, lowest id first. */
  sample: PreviewMember[];
  /** Members per churn-risk level; present only once a churn_risk score is registered (fields.ts SCORES). */
  churnRisk?: Record<string, number>;
}

export const SAMPLE_SIZE = 20;

/** The actor's scope, narrowed to a segment's store when it has one. */
export function effectiveStores(access: StaffAccess, segmentStoreId: number | null = null): number[] | null {
  const mine = storeScope(access.actor);
  if (segmentStoreId === null) return mine;
  return mine === null ? [segmentStoreId] : mine.filter((s) => s === segmentStoreId);
}

/**
 * What a tree selects right now, before it is saved (or for a saved dynamic segment): count,
 * share of all members, 20 sample members with phones masked by permission. Audited, since
 * it shows member names. The conditions run once, into a temporary table (evaluate.ts) that
 * the count, the samples and the churn mix read; the denominator is counted meanwhile on
 * another connection.
 */
export async function previewTree(access: StaffAccess, rawTree: unknown, opts: { segmentId?: number; storeId?: number | null } = {}): Promise<SegmentPreview> {
  requirePermission(access.actor, 'segment.read');
  const tree: SegmentTree = parseSegmentTree(rawTree);
  const { services } = access;
  const stores = effectiveStores(access, opts.storeId ?? null);
  const scope = compileScope(stores);
  // Read pool: a preview may lag the primary by a moment (READ_DATABASE_URL; its audit row goes to the primary).
  const totalQuery = services.readSql.query<any[]>(`SELECT COUNT(*) AS n FROM members m WHERE ${scope.where}`, scope.params);
  totalQuery.catch(() => {}); // awaited below; never an unhandled rejection if the evaluation throws first
  const conn = await services.readSql.getConnection();
  let count: number;
  let rows: any[];
  let churnRisk: Record<string, number> | undefined;
  try {
    count = await materializeMembers(conn, RESULT, tree, { now: services.now(), stores });
    [rows] = await conn.query<any[]>(
      `SELECT m.id, m.member_no, m.name, m.phone_enc, m.level, st.name AS store_name
       FROM ${RESULT} r JOIN members m ON m.id = r.id LEFT JOIN stores st ON st.id = m.home_store_id
       ORDER BY r.id LIMIT ${SAMPLE_SIZE}`,
    );
    churnRisk = await churnDistribution(conn);
  } finally {
    await dropMembersTable(conn, RESULT).catch(() => {});
    conn.release();
  }
  const [[all]] = await totalQuery;
  const total = Number(all.n);
  const sample = rows.map((r) => ({
    memberId: Number(r.id),
    memberNo: String(r.member_no),
    name: String(r.name),
    phone: phoneFor(access.actor, openPhone(String(r.phone_enc))),
    level: Number(r.level),
    homeStore: r.store_name == null ? null : String(r.store_name),
  }));
  const preview: SegmentPreview = { count, total, share: total === 0 ? 0 : count / total, sample };
  if (churnRisk) preview.churnRisk = churnRisk;
  await audit(services, {
    actor: access.actor,
    action: 'segment.preview',
    targetType: 'segment',
    targetId: opts.segmentId === undefined ? 'adhoc' : String(opts.segmentId),
    channel: access.channel,
    requestId: access.requestId,
    detail: { count, total, memberIds: sample.map((s) => s.memberId) },
  });
  return preview;
}

const RESULT = 'seg_preview';

/** Members per churn-risk level of the evaluated set ('unknown' for members not scored yet). */
async function churnDistribution(conn: PoolConnection): Promise<Record<string, number>> {
  const def = SCORES.churn_level!;
  const [rows] = await conn.query<any[]>(
    `SELECT COALESCE(${def.column}, 'unknown') AS risk, COUNT(*) AS n
     FROM ${RESULT} m LEFT JOIN ${def.table} ON ${def.memberKey} = m.id GROUP BY risk`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.risk), Number(r.n)]));
}
