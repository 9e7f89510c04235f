import type { RowDataPacket } from 'mysql2/promise';
import { auditStoresRead, requirePermission, storeScope, type StaffAccess } from '../../kernel/index.ts';
import { recallConversions, recallCounts, type RecallCounts } from './recall.ts';

/** How long after its launch a recall's conversions are counted (the goal of its journey). */
export const CONVERSION_DAYS = 30;

export interface RecallStatus {
  recallId: number;
  /** The audience label it was launched with (流失预警名单, 人群包「…」). */
  audience: string;
  launchedAt: Date;
  launchedBy: string | null;
  couponAmount: string | null;
  /** Members of the recall the actor may see (all of them for HQ). */
  members: number;
  counts: RecallCounts;
  /** Every member accounted for (nothing pending). */
  finished: boolean;
  /** Members who ordered again since the launch (up to CONVERSION_DAYS days), and their revenue. */
  conversion: { days: number; converted: number; revenue: string };
}

/**
 * The recent recalls a staff member may see, newest first, with their progress (sent, failed,
 * pending …) and the conversions so far: 召回做得怎么样了. A store-scoped actor sees the recalls
 * of their stores and those launched by HQ, counted over their own stores' members only (an HQ
 * recall none of whose members are theirs is left out), so no figure of another store shows.
 */
export async function recentRecalls(access: StaffAccess, opts: { limit?: number } = {}): Promise<RecallStatus[]> {
  requirePermission(access.actor, 'journey.read');
  const { services, actor } = access;
  const limit = Math.min(Math.max(opts.limit ?? 3, 1), 20);
  const stores = storeScope(actor);
  const visible = stores === null ? '' : `WHERE (j.store_id IS NULL${stores.length ? ' OR j.store_id IN (?)' : ''} OR r.staff_id = ?)`;
  const [rows] = await services.sql.query<RowDataPacket[]>(
    `SELECT r.id, r.audience, r.launched_at, r.coupon_amount, s.name AS staff_name
     FROM recalls r JOIN journeys j ON j.id = r.journey_id LEFT JOIN staff s ON s.id = r.staff_id
     ${visible} ORDER BY r.launched_at DESC, r.id DESC LIMIT ?`,
    // Room for HQ recalls that turn out to hold none of the actor's members.
    [...(stores === null ? [] : stores.length ? [stores, actor.staffId] : [actor.staffId]), limit * 5],
  );
  const now = services.now();
  const out: RecallStatus[] = [];
  for (const r of rows) {
    if (out.length >= limit) break;
    const id = Number(r.id);
    const counts = await recallCounts(services, id, stores);
    if (counts.total === 0) continue;
    const launchedAt = r.launched_at as Date;
    const to = new Date(Math.min(launchedAt.getTime() + CONVERSION_DAYS * 86_400_000, now.getTime()));
    const conv = await recallConversions(services, id, launchedAt, to, stores);
    out.push({
      recallId: id,
      audience: String(r.audience),
      launchedAt,
      launchedBy: r.staff_name == null ? null : String(r.staff_name),
      couponAmount: r.coupon_amount == null ? null : String(r.coupon_amount),
      members: counts.total,
      counts,
      finished: counts.pending === 0,
      conversion: { days: Math.floor((to.getTime() - launchedAt.getTime()) / 86_400_000), ...conv },
    });
  }
  await auditStoresRead(access, 'recall.status', stores, { recalls: out.map((s) => s.recallId) });
  return out;
}
