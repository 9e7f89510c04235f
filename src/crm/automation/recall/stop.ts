/**
 * Stopping a recall (停止召回 N, POST /api/crm/recalls/{id}/stop): no further sends. Its members
 * not yet sent are cancelled in one statement — their queued and delayed steps find the
 * enrolment cancelled and do nothing, and the engine's `sending` mark and coupon step check it
 * in the same statement / transaction, so nothing starts after the stop has committed; sends
 * already in flight then are waited for (briefly) and counted as they end. Members already sent
 * stay sent. Stopping twice is the same as once. The stop is in MySQL, so a restarted worker or
 * a Redis that lost its jobs (requeueEnrollments puts back active enrolments only) never sends again.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { audit, can, conflict, forbidden, requirePermission, storeScope, withTransaction, type StaffAccess, type StaffActor } from '../../kernel/index.ts';
import { notifyStaff } from '../alerts/notify.ts';
import { withRecallLock } from './guard.ts';
import { visibleRecall, type RecallRow } from './list.ts';
import { recallCounts, renderCounts, type RecallCounts } from './recall.ts';

export interface StopResult {
  recallId: number;
  audience: string;
  /** It had been stopped before this call (nothing changed). */
  alreadyStopped: boolean;
  stoppedAt: Date;
  /** Members whose recall ended unsent by this stop. */
  cancelled: number;
  counts: RecallCounts;
}

/** How long a stop waits for sends already in flight to end before it answers. */
const IN_FLIGHT_WAIT_MS = 5000;

/**
 * Who may stop a recall (docs/journeys.md, "Recall safety"): its launcher (recall.launch), or anyone
 * holding recall.manage whose store scope covers it — HQ roles (admin, HQ operator, marketer) any
 * recall, a store manager the recalls of their stores (not HQ's, which span every store). The same
 * permission + scope rule as every other write, rather than a list of roles.
 */
export function mayStop(actor: StaffActor, r: Pick<RecallRow, 'staff_id' | 'store_id'>): boolean {
  if (actor.staffId === Number(r.staff_id)) return can(actor, 'recall.launch');
  if (!can(actor, 'recall.manage')) return false;
  const scope = storeScope(actor);
  return scope === null || (r.store_id !== null && scope.includes(Number(r.store_id)));
}

export async function stopRecall(access: StaffAccess, recallId: number): Promise<StopResult> {
  const { services, actor } = access;
  if (!can(actor, 'recall.manage')) requirePermission(actor, 'recall.launch');
  const r = await visibleRecall(access, recallId);
  if (!mayStop(actor, r)) throw forbidden('recall_stop_denied', '只有发起人、总部运营/营销/管理员或该门店的店长可以停止这个召回。');
  // Under the recall lock: a launch still enrolling this recall's members finishes first, so none is enrolled after the stop.
  const stopped = await withRecallLock(services, async () => {
    const [[cur]] = await services.sql.query<RowDataPacket[]>('SELECT stopped_at FROM recalls WHERE id = ?', [recallId]);
    if (cur?.stopped_at) return { at: cur.stopped_at as Date, already: true, cancelled: 0 };
    const before = await recallCounts(services, recallId);
    if (before.pending === 0) throw conflict('recall_finished', `召回 ${recallId} 已经完成（每位会员都已处理），没有可停止的发送。`);
    const now = services.now();
    const cancelled = await withTransaction(services.sql, async (conn) => {
      await conn.query('UPDATE recalls SET stopped_at = ?, stopped_by = ? WHERE id = ? AND stopped_at IS NULL', [now, actor.staffId, recallId]);
      const [u] = await conn.query<import('mysql2').ResultSetHeader>(
        "UPDATE journey_enrollments SET state = 'cancelled', next_run_at = NULL, updated_at = ? WHERE recall_id = ? AND state = 'active'",
        [now, recallId],
      );
      return u.affectedRows;
    });
    return { at: now, already: false, cancelled };
  });
  if (!stopped.already) await settleInFlight(access, recallId);
  const counts = await recallCounts(services, recallId);
  const result: StopResult = { recallId, audience: String(r.audience), alreadyStopped: stopped.already, stoppedAt: stopped.at, cancelled: counts.cancelled, counts };
  if (stopped.already) return result;
  // The stop is the recall's summary: its progress check ends, and the launcher hears who stopped it.
  await services.sql.query('UPDATE recalls SET summary_sent_at = COALESCE(summary_sent_at, ?), summary = ? WHERE id = ?', [services.now(), JSON.stringify(counts), recallId]);
  await audit(services, {
    actor,
    action: 'recall.stop',
    targetType: 'member',
    targetId: `recall:${recallId}`,
    channel: access.channel,
    requestId: access.requestId,
    // Whose recall it was: a stop by someone else than the launcher is the case the audit is for.
    detail: { cancelled: counts.cancelled, sent: counts.sent, enrolmentsCancelled: stopped.cancelled, launchedBy: String(r.staff_user_id), byLauncher: actor.staffId === Number(r.staff_id) },
  }).catch((e) => services.logger.warn({ err: (e as Error).message }, 'recall stop audit failed'));
  if (actor.staffId !== Number(r.staff_id)) {
    await notifyStaff(services, r.staff_user_id, `召回已停止：${r.audience}（由 ${actor.name} 停止）。${renderCounts(counts)}不再发送 7 天和 30 天回流统计。`, `recall-${recallId}-stopped`);
  }
  return result;
}

/** Waits (briefly) for sends that had started before the stop committed, so the counts include their outcome. */
async function settleInFlight(access: StaffAccess, recallId: number): Promise<void> {
  const end = Date.now() + IN_FLIGHT_WAIT_MS;
  while (Date.now() < end) {
    const [[row]] = await access.services.sql.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM journey_enrollments e JOIN journey_step_executions x ON x.enrollment_id = e.id WHERE e.recall_id = ? AND x.result = 'sending'",
      [recallId],
    );
    if (Number(row?.n ?? 0) === 0) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  access.services.logger.warn({ recallId }, 'recall stopped with sends still in flight; they are counted when they end');
}
