import { audit } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { assignmentRule, getAssignmentConfig } from '../settings/assignment-config.ts';
import { alertUnassigned, auditAutoAssignment } from './assignment-effects.ts';
import { AUTO_ASSIGNER, autoAssignInTx } from './auto-assign.ts';
import { ASSIGNING_TX } from './create.ts';
import type { TicketPriority } from './sla.ts';
import { ticketInclude, toTicketView } from './types.ts';

const PRIORITIES: TicketPriority[] = ['urgent', 'high', 'normal', 'low'];

/** Tickets looked at per sweep, oldest first; the rest wait for the next run. */
const BATCH = 500;

/**
 * The sweep for tickets left without a handler (run with the SLA alerts): open tickets with no
 * assignee — opened while auto-assignment was off, or when nobody could take them — and open
 * tickets whose assignee has been deactivated. Each is assigned as a new one would be, in its own
 * transaction (the ticket row locked, so a person assigning it meanwhile wins). A complaint
 * whose deactivated assignee nobody can replace is unassigned and its managers alerted (a
 * complaint that never had anyone was alerted when it opened).
 */
export async function assignWaitingTickets(services: Services, opts: { batch?: number } = {}): Promise<{ assigned: number; alerted: number }> {
  const config = await getAssignmentConfig(services);
  // Only tickets the settings assign (complaints, and the priorities switched on), so a backlog
  // of tickets left alone on purpose never keeps a complaint out of the batch.
  const priorities = PRIORITIES.filter((p) => assignmentRule(config, p, false).assign);
  const waiting = await services.db.ticket.findMany({
    where: {
      status: 'open',
      AND: [{ OR: [{ assigneeId: null }, { assignee: { active: false } }] }, { OR: [{ type: 'complaint' }, { priority: { in: priorities } }] }],
    },
    select: { id: true, storeId: true, priority: true, type: true, assigneeId: true },
    orderBy: { id: 'asc' },
    take: opts.batch ?? BATCH,
  });
  let assigned = 0;
  let alerted = 0;
  for (const w of waiting) {
    const rule = assignmentRule(config, w.priority as TicketPriority, w.type === 'complaint');
    const now = services.now();
    // One ticket's failure (a lock wait timed out) must not stop the others, nor the SLA sweep after this.
    const out = await services.db.$transaction(async (tx) => {
      // Still waiting, under the ticket's lock? (Someone may have assigned or moved it since.)
      const [cur] = await tx.$queryRaw<{ assignee_id: number | null; active: number | null; status: string }[]>`
        SELECT t.assignee_id, s.active, t.status FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id WHERE t.id = ${w.id} FOR UPDATE`;
      if (!cur || cur.status !== 'open' || (cur.assignee_id !== null && Number(cur.active) === 1)) return null;
      const auto = await autoAssignInTx(tx, w, rule.roles, config, now);
      const orphaned = !auto && cur.assignee_id !== null;
      if (orphaned) await tx.ticket.update({ where: { id: w.id }, data: { assigneeId: null, assignedAt: now, assignedBy: AUTO_ASSIGNER, updatedAt: now } });
      return { auto, from: cur.assignee_id, orphaned, ticket: await tx.ticket.findUniqueOrThrow({ where: { id: w.id }, include: ticketInclude }) };
    }, ASSIGNING_TX).catch((err: unknown) => {
      services.logger.warn({ err, ticketId: w.id }, 'waiting ticket not assigned this time');
      return null;
    });
    if (!out) continue;
    const view = toTicketView(out.ticket);
    if (out.auto) {
      await auditAutoAssignment(services, view, out.auto, out.from, null);
      assigned++;
    } else if (out.orphaned) {
      await audit(services, { actor: { kind: 'system', id: 'auto-assign' }, action: 'ticket.assign', targetType: 'ticket', targetId: String(view.id), channel: 'job', detail: { ticketNo: view.ticketNo, from: out.from, to: null, auto: true, reason: 'assignee_deactivated' } });
      if (view.type === 'complaint') {
        await alertUnassigned(services, view, null);
        alerted++;
      }
    }
  }
  return { assigned, alerted };
}
