import type { Services } from '../../services.ts';
import { expireDuePoints, reviewMemberLevel } from '../loyalty/index.ts';
import { evaluateAllTagRules, type RuleRun } from '../engagement/index.ts';
import { escalateOverdueTickets } from '../service/index.ts';

export interface MaintenanceReport {
  points: { members: number; points: number };
  tagRules: RuleRun[];
  levels: { reviewed: number; upgraded: number; downgraded: number; kept: number };
  tickets: { level1: number; level2: number };
}

/**
 * Members whose level needs a look: validity ended, or they bought something since `since`
 * (an upgrade may be due). Ordered by id; each review is its own small transaction.
 */
export async function reviewDueLevels(services: Services, since: Date): Promise<MaintenanceReport['levels']> {
  const now = services.now();
  const [expired, active] = await Promise.all([
    services.db.member.findMany({ where: { status: { not: 'deleted' }, levelExpiresAt: { lte: now } }, select: { id: true } }),
    services.db.order.findMany({ where: { createdAt: { gte: since } }, distinct: ['memberId'], select: { memberId: true } }),
  ]);
  const ids = [...new Set([...expired.map((m) => m.id), ...active.map((o) => o.memberId)])].sort((a, b) => a - b);
  const out = { reviewed: 0, upgraded: 0, downgraded: 0, kept: 0 };
  for (const id of ids) {
    const r = await reviewMemberLevel(services, id);
    out.reviewed++;
    if (r.kind === 'upgrade') out.upgraded++;
    else if (r.kind === 'downgrade') out.downgraded++;
    else if (r.kind === 'keep') out.kept++;
  }
  return out;
}

/**
 * The CRM's scheduled upkeep, idempotent so a retried or doubled run changes nothing more:
 * lapse due points, re-evaluate rule tags over everyone, review levels (expired, or new
 * orders since `since`), escalate tickets past their SLA. A BullMQ repeatable job (or cron)
 * calls this, e.g. hourly with `since` = the previous run.
 */
export async function runCrmMaintenance(services: Services, since: Date): Promise<MaintenanceReport> {
  const points = await expireDuePoints(services);
  const tagRules = await evaluateAllTagRules(services);
  const levels = await reviewDueLevels(services, since);
  const tickets = await escalateOverdueTickets(services);
  services.logger.info({ points, tagRules: tagRules.map((r) => ({ tag: r.tag, added: r.added, removed: r.removed })), levels, tickets }, 'crm maintenance');
  return { points, tagRules, levels, tickets };
}
