/**
 * The recalls a staff member may see and control (召回列表, GET /api/crm/recalls): running ones
 * and those launched in the last 30 days, with their progress, who launched them and when, what
 * their launch left out, and whether and by whom they were stopped. A store-scoped actor sees the
 * recalls of their stores and their own launches only (HQ's recalls are not theirs to stop).
 */
import type { RowDataPacket } from 'mysql2/promise';
import { notFound, requirePermission, storeScope, type StaffAccess, type StaffActor } from '../../kernel/index.ts';
import type { RecallExclusions } from './guard.ts';
import { RECALL_ATTRIBUTION_DAYS, recallCounts, type RecallCounts } from './recall.ts';

export type RecallState = 'running' | 'stopped' | 'finished';

export interface RecallItem {
  id: number;
  /** `stopped` by someone; `finished` when every member is accounted for; else `running`. */
  state: RecallState;
  audience: string;
  couponAmount: string | null;
  launchedAt: Date;
  launchedBy: { staffId: number; name: string | null };
  /** The store the recall belongs to (null: launched by HQ, over every store). */
  storeId: number | null;
  /** Members the recall includes. */
  members: number;
  counts: RecallCounts;
  /** Members its launch left out, and why (null for a recall launched before this was recorded). */
  excluded: RecallExclusions | null;
  stoppedAt: Date | null;
  stoppedBy: { staffId: number; name: string | null } | null;
}

export interface RecallRow extends RowDataPacket {
  id: number;
  staff_id: number;
  staff_user_id: string;
  audience: string;
  store_id: number | null;
}

const SELECT = `SELECT r.id, r.staff_id, r.staff_user_id, r.audience, r.coupon_amount, r.launched_at, r.member_count, r.excluded, r.stopped_at, r.stopped_by,
                       j.store_id, s.name AS staff_name, sb.name AS stopped_by_name
                  FROM recalls r JOIN journeys j ON j.id = r.journey_id
                  LEFT JOIN staff s ON s.id = r.staff_id LEFT JOIN staff sb ON sb.id = r.stopped_by`;

/** The WHERE condition (and its parameters) of the recalls an actor may see. */
function visibleTo(actor: StaffActor): { where: string; params: unknown[] } {
  const stores = storeScope(actor);
  if (stores === null) return { where: 'TRUE', params: [] };
  return stores.length ? { where: '(j.store_id IN (?) OR r.staff_id = ?)', params: [stores, actor.staffId] } : { where: 'r.staff_id = ?', params: [actor.staffId] };
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null));

async function toItem(access: StaffAccess, r: RowDataPacket): Promise<RecallItem> {
  const counts = await recallCounts(access.services, Number(r.id));
  return {
    id: Number(r.id),
    state: r.stopped_at ? 'stopped' : counts.pending > 0 ? 'running' : 'finished',
    audience: String(r.audience),
    couponAmount: r.coupon_amount == null ? null : String(r.coupon_amount),
    launchedAt: r.launched_at as Date,
    launchedBy: { staffId: Number(r.staff_id), name: r.staff_name == null ? null : String(r.staff_name) },
    storeId: r.store_id == null ? null : Number(r.store_id),
    members: Number(r.member_count),
    counts,
    excluded: json(r.excluded) as RecallExclusions | null,
    stoppedAt: (r.stopped_at as Date | null) ?? null,
    stoppedBy: r.stopped_by == null ? null : { staffId: Number(r.stopped_by), name: r.stopped_by_name == null ? null : String(r.stopped_by_name) },
  };
}

/** Running recalls and those launched in the last 30 days, newest first. */
export async function listRecalls(access: StaffAccess, opts: { limit?: number; state?: RecallState } = {}): Promise<RecallItem[]> {
  requirePermission(access.actor, 'journey.read');
  const { services } = access;
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 50);
  const since = new Date(services.now().getTime() - RECALL_ATTRIBUTION_DAYS * 86_400_000);
  const v = visibleTo(access.actor);
  // Running = not stopped and a member still active; recent = launched within the window.
  const [rows] = await services.sql.query<RowDataPacket[]>(
    `${SELECT}
      WHERE ${v.where} AND (r.launched_at >= ? OR (r.stopped_at IS NULL AND EXISTS (SELECT 1 FROM journey_enrollments e WHERE e.recall_id = r.id AND e.state = 'active')))
      ORDER BY r.launched_at DESC, r.id DESC LIMIT ?`,
    [...v.params, since, opts.state ? 200 : limit],
  );
  const out: RecallItem[] = [];
  for (const r of rows) {
    if (out.length >= limit) break;
    const item = await toItem(access, r);
    if (!opts.state || item.state === opts.state) out.push(item);
  }
  return out;
}

/** One recall the actor may see; recall_unknown (404) otherwise, whether it exists or not. */
export async function getRecall(access: StaffAccess, recallId: number): Promise<RecallItem> {
  requirePermission(access.actor, 'journey.read');
  return toItem(access, await visibleRecall(access, recallId));
}

/** The recall's row when the actor may see it. */
export async function visibleRecall(access: StaffAccess, recallId: number): Promise<RecallRow> {
  const v = visibleTo(access.actor);
  const [rows] = await access.services.sql.query<RecallRow[]>(`${SELECT} WHERE r.id = ? AND ${v.where}`, [recallId, ...v.params]);
  const r = rows[0];
  if (!r) throw notFound('recall_unknown', `召回 ${recallId} 不存在，或不属于你的门店。`);
  return r;
}
