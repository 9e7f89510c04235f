import type { StaffRole } from '../../generated/prisma/enums.ts';
import type { StaffActor } from './actor.ts';

/** Everything a staff member may be allowed to do; intents and API routes name one of these. */
export const PERMISSIONS = [
  'member.read', // look up members and read their 360 view (within the store scope)
  'member.phone.view', // see full phone numbers instead of 138****0001
  'tag.write', // add / remove tags on members
  'churn.read', // churn list and risk figures
  'member.write', // create members, edit member profile fields (history kept in member_profile_changes)
  'order.write', // record paid orders and refunds (POS, mini-program, integrations)
  'event.write', // record members' behaviour events (mini-program, web, integrations)
  'interaction.write', // log interactions and complete follow-ups
  'ticket.write', // create, assign, move and escalate service tickets
  'points.adjust', // add or deduct points (large changes need a confirmation)
  'membership.manage', // configure levels, enrol members, change levels by hand
  'tag.manage', // tag dictionary, categories, tag merge and batch apply/remove
  'member.merge', // merge duplicate members
  'member.delete', // carry out deletion (erasure) requests, PIPL/GDPR
  'member.export', // export member lists (masked unless member.phone.view)
  'segment.read', // preview and count segments (人群包) visible to them
  'segment.write', // create, change, refresh and snapshot segments
  'segment.export', // export a segment's members to CSV / Excel
  'journey.read', // see journeys, their stats and the automation log
  'journey.write', // create, change, activate and pause journeys; test them on one member
  'recall.launch', // launch a recall (coupon + message) to the churn list or a segment, and stop one's own
  'recall.manage', // stop recalls launched by others, within the store scope (HQ roles: any; a store manager: their stores')
  'service.configure', // ticket SLA policies, business hours, ticket auto-assignment
  'settings.manage', // configure the engines: tag rules, the points expiry rule, RFM grades, churn thresholds (admin only)
  'audit.read', // read the audit log (admin only)
  'contacts.manage', // WeCom customer contacts: store/staff QR codes, corp tags, transferring a staff member's customers
  'sync.manage', // the third-party CRM sync monitor: status, failures, retries (admin only)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Role → permissions. HQ roles see every store; store roles only their own (storeScope). */
export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  hq_operator: ['member.read', 'member.phone.view', 'tag.write', 'churn.read', 'segment.read', 'segment.write', 'segment.export', 'member.write', 'order.write', 'event.write', 'interaction.write', 'ticket.write', 'points.adjust', 'membership.manage', 'service.configure', 'tag.manage', 'member.merge', 'member.delete', 'member.export', 'journey.read', 'journey.write', 'recall.launch', 'recall.manage', 'contacts.manage'],
  marketer: ['member.read', 'tag.write', 'churn.read', 'segment.read', 'segment.write', 'segment.export', 'tag.manage', 'member.export', 'event.write', 'journey.read', 'journey.write', 'recall.launch', 'recall.manage'],
  store_manager: ['member.read', 'member.phone.view', 'tag.write', 'churn.read', 'segment.read', 'segment.write', 'segment.export', 'member.write', 'order.write', 'event.write', 'interaction.write', 'ticket.write', 'points.adjust', 'journey.read', 'recall.launch', 'recall.manage', 'contacts.manage'],
  agent: ['member.read', 'tag.write', 'segment.read', 'interaction.write', 'ticket.write'],
};

const ALL_STORE_ROLES: ReadonlySet<StaffRole> = new Set(['admin', 'hq_operator', 'marketer']);

export function can(actor: Pick<StaffActor, 'role'>, permission: Permission): boolean {
  return ROLE_PERMISSIONS[actor.role].includes(permission);
}

/** The stores whose members this staff member may see; null means every store. */
export function storeScope(actor: Pick<StaffActor, 'role' | 'storeIds'>): number[] | null {
  return ALL_STORE_ROLES.has(actor.role) ? null : actor.storeIds;
}

/**
 * A store scope (storeScope's answer, or a narrower list) as a condition to append to a
 * hand-written WHERE: nothing for every store, ` AND FALSE` for none (`IN ()` is not SQL),
 * else ` AND <column> IN (?)` with the list as its one parameter. The one spelling of it.
 */
export function storeScopeSql(stores: readonly number[] | null, column = 'm.home_store_id'): { sql: string; params: unknown[] } {
  if (stores === null) return { sql: '', params: [] };
  return stores.length ? { sql: ` AND ${column} IN (?)`, params: [[...stores]] } : { sql: ' AND FALSE', params: [] };
}
