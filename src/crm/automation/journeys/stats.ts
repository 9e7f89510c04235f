/**
 * Journey figures for the admin API: entered, in progress, completed, exited, converted (an
 * order within the journey's goal window after entering), per-step results, and the execution
 * log (automation-logs) with filters.
 */
import type { QuotaDecision, QuotaReason } from '../quota/index.ts';
import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../../services.ts';
import { storeScope, type StaffAccess } from '../../kernel/index.ts';
import { countedOrder } from '../../sales/index.ts';
import { readJourney } from './store.ts';
import { parseJourneyDefinition } from './definition.ts';

export interface JourneyStats {
  entered: number;
  inProgress: number;
  completed: number;
  exited: number;
  failed: number;
  converted: number;
  conversionRate: string;
  steps: { stepId: string; results: Record<string, number> }[];
  variants: Record<string, number>;
}

/** Conversion: an order (not fully refunded) within goal.orderWithinDays of entering (stamped on the enrollment). */
export async function markConversions(services: Services, journeyId: number, withinDays: number): Promise<void> {
  await services.sql.query(
    `UPDATE journey_enrollments e SET converted_at = (
       SELECT MIN(o.paid_at) FROM orders o WHERE o.member_id = e.member_id AND o.paid_at > e.entered_at AND o.paid_at <= LEAST(?, e.entered_at + INTERVAL ? DAY) AND ${countedOrder('o')})
     WHERE e.journey_id = ? AND e.converted_at IS NULL`,
    [services.now(), withinDays, journeyId],
  );
}

/**
 * The SQL condition keeping rows of members of the caller's stores (docs/api.md, store scope):
 * empty for HQ roles; a store role with no store sees nothing.
 */
function memberScope(access: StaffAccess, column = 'member_id'): { sql: string; params: unknown[] } {
  const scope = storeScope(access.actor);
  if (scope === null) return { sql: '', params: [] };
  if (scope.length === 0) return { sql: ' AND FALSE', params: [] };
  return { sql: ` AND ${column} IN (SELECT id FROM members WHERE home_store_id IN (?))`, params: [scope] };
}

/** A journey's figures; a store role sees those of its stores' members only (also for HQ journeys). */
export async function journeyStats(access: StaffAccess, journeyId: number): Promise<JourneyStats> {
  const { services } = access;
  const j = await readJourney(access, journeyId);
  const ms = memberScope(access);
  const def = parseJourneyDefinition(j.definition).def;
  await markConversions(services, journeyId, def.goal.orderWithinDays);
  const [states] = await services.sql.query<RowDataPacket[]>(
    `SELECT state, COUNT(*) AS n, SUM(converted_at IS NOT NULL) AS conv FROM journey_enrollments WHERE journey_id = ?${ms.sql} GROUP BY state`,
    [journeyId, ...ms.params],
  );
  const by = (s: string) => Number(states.find((r) => r.state === s)?.n ?? 0);
  const entered = states.reduce((a, r) => a + Number(r.n), 0);
  const converted = states.reduce((a, r) => a + Number(r.conv ?? 0), 0);
  const [steps] = await services.sql.query<RowDataPacket[]>(`SELECT step_id, result, COUNT(*) AS n FROM journey_step_executions WHERE journey_id = ?${ms.sql} GROUP BY step_id, result ORDER BY step_id`, [journeyId, ...ms.params]);
  const stepMap = new Map<string, Record<string, number>>();
  for (const r of steps) stepMap.set(r.step_id, { ...(stepMap.get(r.step_id) ?? {}), [r.result]: Number(r.n) });
  const [vars] = await services.sql.query<RowDataPacket[]>(`SELECT variant, COUNT(*) AS n FROM journey_enrollments WHERE journey_id = ? AND variant IS NOT NULL${ms.sql} GROUP BY variant`, [journeyId, ...ms.params]);
  return {
    entered,
    inProgress: by('active'),
    completed: by('completed'),
    exited: by('exited'),
    failed: by('failed'),
    converted,
    conversionRate: entered ? `${((converted / entered) * 100).toFixed(1)}%` : '0.0%',
    steps: def.steps.filter((s) => stepMap.has(s.id)).map((s) => ({ stepId: s.id, results: stepMap.get(s.id)! })),
    variants: Object.fromEntries(vars.map((v) => [v.variant, Number(v.n)])),
  };
}

export interface LogFilter {
  journeyId?: number;
  memberId?: number;
  result?: string;
  /** The quota ledger's decision: sent, deferred, fallback, suppressed. */
  quotaDecision?: QuotaDecision['decision'];
  page: number;
  pageSize: number;
}

export interface LogEntry {
  id: string;
  journeyId: number;
  enrollmentId: number;
  memberId: number;
  stepId: string;
  stepType: string;
  action: string | null;
  channel: string | null;
  result: string;
  error: string | null;
  attempts: number;
  createdAt: Date;
  executedAt: Date | null;
  /** A message the provider acknowledged: when, and the provider's message id (docs/journeys.md, "Delivery states"). */
  ackedAt: Date | null;
  providerId: string | null;
  /** The quota ledger's last decision on a message and its reason code (docs/journeys.md, "Quota ledger"). */
  quotaDecision: QuotaDecision['decision'] | null;
  quotaReason: QuotaReason | null;
}

/** The execution log, newest first; a store role reads the rows of its stores' members only. */
export async function automationLogs(access: StaffAccess, f: LogFilter): Promise<{ total: number; items: LogEntry[] }> {
  const { services } = access;
  const ms = memberScope(access);
  const where: string[] = ['TRUE' + ms.sql];
  const params: unknown[] = [...ms.params];
  if (f.journeyId) (where.push('journey_id = ?'), params.push(f.journeyId));
  if (f.memberId) (where.push('member_id = ?'), params.push(f.memberId));
  if (f.result) (where.push('result = ?'), params.push(f.result));
  if (f.quotaDecision) (where.push('quota_decision = ?'), params.push(f.quotaDecision));
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [[c]] = (await services.sql.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM journey_step_executions ${w}`, params)) as unknown as [RowDataPacket[]];
  const [rows] = await services.sql.query<RowDataPacket[]>(
    `SELECT id, journey_id, enrollment_id, member_id, step_id, step_type, action, channel, result, error, attempts, created_at, executed_at, acked_at, provider_id, quota_decision, quota_reason FROM journey_step_executions ${w} ORDER BY id DESC LIMIT ? OFFSET ?`,
    [...params, f.pageSize, (f.page - 1) * f.pageSize],
  );
  return {
    total: Number(c?.n ?? 0),
    items: rows.map((r) => ({
      id: String(r.id),
      journeyId: r.journey_id,
      enrollmentId: r.enrollment_id,
      memberId: r.member_id,
      stepId: r.step_id,
      stepType: r.step_type,
      action: r.action,
      channel: r.channel,
      result: r.result,
      error: r.error,
      attempts: r.attempts,
      createdAt: r.created_at,
      executedAt: r.executed_at,
      ackedAt: r.acked_at,
      providerId: r.provider_id,
      quotaDecision: r.quota_decision as QuotaDecision['decision'] | null,
      quotaReason: r.quota_reason as QuotaReason | null,
    })),
  };
}
