/**
 * Alerts to staff, each deduplicated (a key per subject and period) and rate-limited (notify.ts):
 * - daily digest of members newly on the churn list of a store → its store managers;
 * - complaint tickets breaching their SLA (escalated by the tickets sweep) → the store managers
 *   (and the assignee), once per escalation level;
 * - journeys whose failure rate over the last hour passes a threshold → HQ (and the group robot);
 * - sync failures reported by integrations (reportSyncFailure) → HQ (and the group robot).
 */
import type { RowDataPacket } from 'mysql2/promise';
import { formatDate, storeManagers } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { churnList } from '../../insights/index.ts';
import { assignWaitingTickets, escalateOverdueTickets } from '../../service/index.ts';
import type { JourneyDeps } from '../journeys/deps.ts';
import { notifyRobot, notifyStaff } from './notify.ts';

/** Alerts that may go to the group robot need the senders (the robot is an outbound adapter). */
type AlertDeps = Pick<JourneyDeps, 'services' | 'senders'>;

async function hqStaff(services: Services): Promise<string[]> {
  const [rows] = await services.sql.query<RowDataPacket[]>("SELECT wecom_user_id FROM staff WHERE role IN ('admin', 'hq_operator') AND active = 1 ORDER BY id");
  return rows.map((r) => String(r.wecom_user_id));
}

/** Daily: members who joined the churn list of each store since the last digest. */
export async function churnDigest(services: Services): Promise<{ stores: number; members: number }> {
  const [stores] = await services.sql.query<RowDataPacket[]>('SELECT id, name FROM stores ORDER BY id');
  const day = formatDate(services.now());
  let sentStores = 0;
  let total = 0;
  for (const st of stores) {
    const managers = await storeManagers(services, st.id);
    if (managers.length === 0) continue;
    const list = await churnList({ services, actor: managers[0]!, channel: 'wecom', requestId: `churn-digest-${day}` }, { all: true, limit: 100_000 });
    const seenKey = services.key('alerts', 'churn', 'seen', st.id);
    const seen = new Set(await services.redis.smembers(seenKey));
    const fresh = list.entries.filter((e) => !seen.has(String(e.memberId)));
    if (list.entries.length) await services.redis.sadd(seenKey, ...list.entries.map((e) => String(e.memberId)));
    if (fresh.length === 0) continue;
    const lines = fresh.slice(0, 10).map((e, i) => `${i + 1}. ${e.name}（${e.memberNo}）${e.daysSinceLastOrder} 天未到店，累计消费 ${e.totalSpend} 元`);
    const text = `【流失预警日报】${st.name} 新增 ${fresh.length} 位高流失风险会员：\n${lines.join('\n')}${fresh.length > 10 ? `\n… 另有 ${fresh.length - 10} 位` : ''}\n回复「给本店高风险流失会员发召回券」即可一键召回。`;
    for (const m of managers) await notifyStaff(services, m.wecomUserId, text, `churn-digest-${st.id}-${day}-${m.wecomUserId}`);
    sentStores++;
    total += fresh.length;
  }
  return { stores: sentStores, members: total };
}

/** Complaint tickets past their SLA: escalated by the tickets sweep, announced once per level. */
export async function slaBreaches(services: Services): Promise<number> {
  // Tickets still without a handler get one first (assignment settings; complaints always).
  await assignWaitingTickets(services);
  await escalateOverdueTickets(services);
  const [rows] = await services.sql.query<RowDataPacket[]>(
    `SELECT t.id, t.ticket_no, t.title, t.store_id, t.escalation_level, t.resolve_due_at, t.response_due_at, a.wecom_user_id AS assignee
     FROM tickets t LEFT JOIN staff a ON a.id = t.assignee_id
     WHERE t.type = 'complaint' AND t.status IN ('open', 'in_progress') AND t.escalation_level > 0`,
  );
  let n = 0;
  for (const t of rows) {
    const what = t.escalation_level >= 2 ? '超过解决时限' : '超过首次响应时限';
    const text = `【投诉超时】工单 ${t.ticket_no}「${t.title}」${what}，已升级（${t.escalation_level} 级），请尽快处理。`;
    const to = new Set<string>();
    if (t.store_id) for (const m of await storeManagers(services, t.store_id)) to.add(m.wecomUserId);
    if (t.assignee) to.add(t.assignee);
    if (to.size === 0) for (const u of await hqStaff(services)) to.add(u);
    for (const u of to) if ((await notifyStaff(services, u, text, `sla-${t.id}-l${t.escalation_level}-${u}`)) !== 'duplicate') n++;
  }
  return n;
}

/** Journeys with failed / attempted sends over the last hour above `threshold` (and at least `minFailures`). */
export async function journeyFailureAlerts(deps: AlertDeps, threshold = 0.05, minFailures = 5): Promise<number> {
  const { services } = deps;
  const now = services.now();
  const [rows] = await services.sql.query<RowDataPacket[]>(
    `SELECT x.journey_id, j.name, SUM(x.result = 'failed') AS failed, COUNT(*) AS total
     FROM journey_step_executions x JOIN journeys j ON j.id = x.journey_id
     WHERE x.step_type = 'action' AND x.result IN ('sent', 'failed', 'unreachable') AND x.executed_at > ?
     GROUP BY x.journey_id, j.name`,
    [new Date(now.getTime() - 3600_000)],
  );
  let n = 0;
  const hour = Math.floor(now.getTime() / 3600_000);
  for (const r of rows) {
    const failed = Number(r.failed);
    const total = Number(r.total);
    if (failed < minFailures || failed / total <= threshold) continue;
    const text = `【旅程执行异常】「${r.name}」近 1 小时 ${total} 次执行中失败 ${failed} 次（${((failed / total) * 100).toFixed(1)}%），请查看 /api/crm/automation-logs?journeyId=${r.journey_id}&result=failed`;
    for (const u of await hqStaff(services)) await notifyStaff(services, u, text, `journey-fail-${r.journey_id}-${hour}-${u}`);
    await notifyRobot(deps, text, `journey-fail-${r.journey_id}-${hour}`);
    n++;
  }
  return n;
}

/** Integrations (third-party CRM sync …) report failures here; alerts once per system and hour. */
export async function reportSyncFailure(deps: AlertDeps, system: string, error: string): Promise<void> {
  const { services } = deps;
  const hour = Math.floor(services.now().getTime() / 3600_000);
  const text = `【数据同步失败】${system}：${error.slice(0, 300)}`;
  for (const u of await hqStaff(services)) await notifyStaff(services, u, text, `sync-${system}-${hour}-${u}`);
  await notifyRobot(deps, text, `sync-${system}-${hour}`);
}
