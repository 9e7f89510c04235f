import type { StaffRole } from '../../../generated/prisma/enums.ts';
import type { Prisma } from '../../../db/prisma.ts';
import { ROLE_PERMISSIONS, txSql } from '../../kernel/index.ts';
import type { AssignmentConfig } from '../settings/assignment-config.ts';

/** Which rung of the ladder found the assignee: the store's eligible staff, its managers, the chain's service group. */
export type AssignmentTier = 'store' | 'store_manager' | 'service_group';

export interface AutoAssignment {
  staffId: number;
  tier: AssignmentTier;
  /** The assignee's open and in-progress tickets before this one. */
  openTickets: number;
}

/** `assigned_by` of an automatic assignment. */
export const AUTO_ASSIGNER = 'auto';

const HANDLERS = (Object.keys(ROLE_PERMISSIONS) as StaffRole[]).filter((r) => ROLE_PERMISSIONS[r].includes('ticket.write'));

/** The candidates of each rung, in order (a rung may be empty; ids may repeat across rungs). */
async function candidateTiers(tx: Prisma.TransactionClient, storeId: number | null, roles: readonly StaffRole[], serviceGroup: readonly number[]): Promise<Array<[AssignmentTier, number[]]>> {
  const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
  const atStore = (role: { in: StaffRole[] }) =>
    storeId === null ? Promise.resolve([]) : tx.staff.findMany({ where: { active: true, role, stores: { some: { storeId } } }, select: { id: true } });
  const [store, managers, group] = await Promise.all([
    atStore({ in: [...roles] }),
    atStore({ in: ['store_manager'] }),
    serviceGroup.length
      ? tx.staff.findMany({ where: { id: { in: [...serviceGroup] }, active: true, role: { in: HANDLERS } }, select: { id: true } })
      : tx.staff.findMany({ where: { active: true, role: { in: ['hq_operator', 'admin'] } }, select: { id: true } }),
  ]);
  return [
    ['store', ids(store)],
    ['store_manager', ids(managers)],
    ['service_group', ids(group)],
  ];
}

/**
 * Picks the assignee of a new or waiting ticket and sets it, inside the caller's transaction:
 * the first rung with anyone on it, and on it the one with the fewest open tickets (ties: the
 * lowest id). Returns null when nobody at all can take it.
 *
 * Why it is safe with tickets created at the same moment: every candidate's staff row is locked
 * (FOR UPDATE, in id order, so two assigners never wait on each other in a cycle) before the
 * open tickets are counted, and the lock lasts until the caller commits. A second assigner with
 * an overlapping candidate waits, then counts after the first ticket is committed — which it
 * sees because the caller runs READ COMMITTED (a REPEATABLE READ snapshot taken before the wait
 * would not). A manual assignment to a candidate meanwhile waits too (its foreign-key check reads
 * the staff row with a shared lock), so the counts are exact when the choice is made.
 */
export async function autoAssignInTx(
  tx: Prisma.TransactionClient,
  ticket: { id: number; storeId: number | null },
  roles: readonly StaffRole[],
  config: Pick<AssignmentConfig, 'serviceGroup'>,
  now: Date,
): Promise<AutoAssignment | null> {
  const tiers = await candidateTiers(tx, ticket.storeId, roles, config.serviceGroup);
  const all = [...new Set(tiers.flatMap(([, ids]) => ids))].sort((a, b) => a - b);
  if (all.length === 0) return null;
  const sql = txSql(tx);
  const marks = all.map(() => '?').join(',');
  // Re-read under the lock: someone deactivated meanwhile drops out.
  const locked = new Set((await sql.rows(`SELECT id FROM staff WHERE id IN (${marks}) AND active = 1 ORDER BY id FOR UPDATE`, all)).map((r) => Number(r.id)));
  const load = new Map<number, number>();
  for (const r of await sql.rows(`SELECT assignee_id AS id, COUNT(*) AS n FROM tickets WHERE assignee_id IN (${marks}) AND status IN ('open', 'in_progress') GROUP BY assignee_id`, all)) {
    load.set(Number(r.id), Number(r.n));
  }
  for (const [tier, ids] of tiers) {
    const pool = ids.filter((id) => locked.has(id));
    if (pool.length === 0) continue;
    const staffId = pool.reduce((best, id) => ((load.get(id) ?? 0) < (load.get(best) ?? 0) || ((load.get(id) ?? 0) === (load.get(best) ?? 0) && id < best) ? id : best));
    await tx.ticket.update({ where: { id: ticket.id }, data: { assigneeId: staffId, assignedAt: now, assignedBy: AUTO_ASSIGNER, updatedAt: now } });
    return { staffId, tier, openTickets: load.get(staffId) ?? 0 };
  }
  return null;
}
