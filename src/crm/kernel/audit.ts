import type { PoolConnection } from 'mysql2/promise';
import type { Actor, Channel } from './actor.ts';
import type { Services } from '../../services.ts';

/** A scheduled job acting on its own (e.g. the SLA sweep): audited as actor type `system`. */
export interface SystemActor {
  kind: 'system';
  /** Which job: `sla`, … */
  id: string;
}

export interface AuditEntry {
  actor: Actor | SystemActor;
  /** What was done, named like the intent or API operation: member.lookup, tag.add … */
  action: string;
  targetType: 'member' | 'member_search' | 'store' | 'tag' | 'segment' | 'ticket' | 'interaction' | 'membership_level' | 'setting' | 'export';
  targetId: string;
  channel: Channel | 'api' | 'job';
  requestId?: string | null;
  detail?: Record<string, unknown>;
}

/** The stable id an audit reader searches by: the WeCom userid for staff, the member id for members. */
export function auditActor(actor: Actor): { actorType: 'staff' | 'member'; actorId: string };
export function auditActor(actor: Actor | SystemActor): { actorType: 'staff' | 'member' | 'system'; actorId: string };
export function auditActor(actor: Actor | SystemActor): { actorType: 'staff' | 'member' | 'system'; actorId: string } {
  if (actor.kind === 'system') return { actorType: 'system', actorId: actor.id };
  return actor.kind === 'staff' ? { actorType: 'staff', actorId: actor.wecomUserId } : { actorType: 'member', actorId: String(actor.memberId) };
}

/**
 * Writes one AuditLog row: who read or changed which member, when, through which channel
 * (every member read and every write is audited; docs/api.md). Stores ids, never phone
 * numbers, so the log itself is not a second copy of PII.
 */
export async function audit(services: Services, entry: AuditEntry): Promise<void> {
  await services.db.auditLog.create({
    data: {
      ...auditActor(entry.actor),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId.slice(0, 64),
      channel: entry.channel,
      requestId: entry.requestId ?? null,
      detail: entry.detail === undefined ? undefined : (entry.detail as object),
      createdAt: services.now(),
    },
  });
}

/**
 * Many audit rows inside the caller's mysql2 transaction (a bulk write such as a member import
 * batch): they commit or roll back with the rows they describe. `createdAt` is the caller's now.
 */
export async function auditInTransaction(conn: PoolConnection, entries: AuditEntry[], createdAt: Date): Promise<void> {
  if (!entries.length) return;
  await conn.query('INSERT INTO audit_logs (actor_type, actor_id, action, target_type, target_id, channel, request_id, detail, created_at) VALUES ?', [
    entries.map((e) => {
      const { actorType, actorId } = auditActor(e.actor);
      return [actorType, actorId, e.action, e.targetType, e.targetId.slice(0, 64), e.channel, e.requestId ?? null, e.detail === undefined ? null : JSON.stringify(e.detail), createdAt];
    }),
  ]);
}

/**
 * One audit row of a read over stores (churn list, RFM, health dashboard): `stores` null = all
 * stores, else the ids read, so the log says whose members' figures were seen.
 */
export async function auditStoresRead(
  access: { services: Services; actor: Actor; channel: AuditEntry['channel']; requestId: string },
  action: string,
  stores: number[] | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await audit(access.services, { actor: access.actor, action, targetType: 'store', targetId: stores === null ? 'all' : stores.join(','), channel: access.channel, requestId: access.requestId, detail });
}
