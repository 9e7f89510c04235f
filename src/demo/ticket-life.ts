import { slaDue, type TicketPriority, type TicketStatus } from '../crm/service/index.ts';
import { DAY_MS, HOUR_MS } from '../crm/kernel/index.ts';
import type { Rng } from './random.ts';

/**
 * A demo ticket's life from its creation to `now`: first response, resolution and closing drawn
 * around the SLA of its priority (the same rule the app applies, src/crm/service/tickets/sla.ts), the
 * status they add up to, and the escalation the hourly SLA sweep would have recorded
 * (update.ts escalateOverdueTickets: level 1 for no first response past the response due time,
 * level 2 for not resolved past the resolution due time).
 */

export interface TicketLife {
  status: TicketStatus;
  responseDueAtMs: number;
  resolveDueAtMs: number;
  firstResponseAtMs: number | null;
  resolvedAtMs: number | null;
  closedAtMs: number | null;
  satisfaction: number | null;
  escalationLevel: number;
  escalatedAtMs: number | null;
  updatedAtMs: number;
}

export interface TicketLifeInput {
  priority: TicketPriority;
  createdAtMs: number;
  nowMs: number;
  /** A member on the way out: slower handling, lower satisfaction. */
  unhappy: boolean;
}

const HAPPY = [0.03, 0.05, 0.15, 0.37, 0.4] as const;
const UNHAPPY = [0.25, 0.3, 0.25, 0.15, 0.05] as const;
const SCORES = [1, 2, 3, 4, 5] as const;

/** The sweep runs hourly: an overdue ticket is escalated at the first whole hour after its due time. */
const sweepAfter = (dueMs: number) => Math.ceil(dueMs / HOUR_MS) * HOUR_MS + 60_000;

export function drawTicketLife(rng: Rng, t: TicketLifeInput): TicketLife {
  const due = slaDue(t.priority, new Date(t.createdAtMs));
  const responseDueAtMs = due.responseDueAt.getTime();
  const resolveDueAtMs = due.resolveDueAt.getTime();
  const respondSla = responseDueAtMs - t.createdAtMs;
  const resolveSla = resolveDueAtMs - t.createdAtMs;
  // Lognormal delays scaled to the SLA: most tickets meet it, a tail (more for unhappy members) does not.
  const slow = t.unhappy ? 0.5 : 0;
  const at = (from: number, sla: number, mu: number) => from + Math.round(sla * Math.exp(mu + slow + 0.6 * rng.normal()));
  // A few tickets stall: nobody answers, or the fix never comes.
  const stall = rng.float();
  const respond = stall < 0.01 ? null : at(t.createdAtMs, respondSla, -0.8);
  const resolve = respond === null || stall < 0.03 ? null : at(respond, resolveSla, -1.2);
  const close = resolve === null || rng.chance(0.08) ? null : resolve + rng.int(1, 3) * DAY_MS + rng.int(0, 8 * HOUR_MS);

  const firstResponseAtMs = respond !== null && respond < t.nowMs ? respond : null;
  const resolvedAtMs = firstResponseAtMs !== null && resolve !== null && resolve < t.nowMs ? resolve : null;
  const closedAtMs = resolvedAtMs !== null && close !== null && close < t.nowMs ? close : null;
  const status: TicketStatus = closedAtMs ? 'closed' : resolvedAtMs ? 'resolved' : firstResponseAtMs ? 'in_progress' : 'open';
  const satisfaction = resolvedAtMs !== null && rng.chance(0.7) ? rng.weighted(SCORES, t.unhappy ? UNHAPPY : HAPPY) : null;

  let escalationLevel = 0;
  let escalatedAtMs: number | null = null;
  const resolveSweep = sweepAfter(resolveDueAtMs);
  const respondSweep = sweepAfter(responseDueAtMs);
  if ((resolvedAtMs ?? t.nowMs) > resolveSweep && resolveSweep < t.nowMs) {
    escalationLevel = 2;
    escalatedAtMs = resolveSweep;
  } else if ((firstResponseAtMs ?? t.nowMs) > respondSweep && respondSweep < t.nowMs) {
    escalationLevel = 1;
    escalatedAtMs = respondSweep;
  }
  const updatedAtMs = Math.max(t.createdAtMs, firstResponseAtMs ?? 0, resolvedAtMs ?? 0, closedAtMs ?? 0, escalatedAtMs ?? 0);
  return { status, responseDueAtMs, resolveDueAtMs, firstResponseAtMs, resolvedAtMs, closedAtMs, satisfaction, escalationLevel, escalatedAtMs, updatedAtMs };
}
