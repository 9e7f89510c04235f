import { z } from 'zod';
import { can, changeSetting, parseSettingValue, readSetting, requirePermission, fieldErrors, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import type { TicketPriority } from '../tickets/sla.ts';

/**
 * Ticket auto-assignment (crm_settings key `service.assignment`): which tickets are assigned on
 * creation, and to whom. A ticket is given to the eligible staff member of its store with the
 * fewest open tickets; with nobody eligible, to one of the store's managers; with no manager, to
 * the chain's service group (or, without one, HQ operators and admins). A complaint is always
 * assigned, whatever `enabled` says: a member's complaint must not wait for someone to notice.
 */

/** Roles that may handle tickets: those holding ticket.write (a marketer cannot move a ticket). */
const HANDLER_ROLES = (['agent', 'store_manager', 'hq_operator', 'admin'] as const).filter((r) => can({ role: r }, 'ticket.write'));
const handlerRole = z.enum(HANDLER_ROLES as ['agent', 'store_manager', 'hq_operator', 'admin']);
const roles = z.array(handlerRole).min(1).max(HANDLER_ROLES.length).describe('staff roles of the store who may be given tickets');

const override = z.strictObject({
  enabled: z.boolean().optional().describe('assign tickets of this priority (complaints are assigned regardless)'),
  roles: roles.optional(),
});

export const assignmentConfigSchema = z.strictObject({
  enabled: z.boolean().describe('assign new (and waiting) tickets automatically; complaints are always assigned'),
  roles: roles.default(['agent', 'store_manager']),
  priorities: z.strictObject({ urgent: override.optional(), high: override.optional(), normal: override.optional(), low: override.optional() }).default({}).describe('per-priority overrides of enabled and roles'),
  serviceGroup: z.array(z.number().int().positive()).max(50).default([]).describe('staff ids of the chain-level service group, the last resort (empty: active HQ operators and admins)'),
});
export type AssignmentConfig = z.output<typeof assignmentConfigSchema>;
export type AssignmentConfigInput = z.input<typeof assignmentConfigSchema>;

/** Off until configured (today's behaviour), except for complaints. */
export const DEFAULT_ASSIGNMENT: AssignmentConfig = { enabled: false, roles: ['agent', 'store_manager'], priorities: {}, serviceGroup: [] };

const KEY = 'service.assignment';

export async function getAssignmentConfig(services: Pick<Services, 'db'>): Promise<AssignmentConfig> {
  return readSetting(services, KEY, assignmentConfigSchema, DEFAULT_ASSIGNMENT);
}

/** The configuration (service.configure): what the API's GET answers. */
export async function readAssignmentConfig(access: StaffAccess): Promise<AssignmentConfig> {
  requirePermission(access.actor, 'service.configure');
  return getAssignmentConfig(access.services);
}

/** What applies to one ticket: whether to assign it, and which store roles are eligible. */
export function assignmentRule(config: AssignmentConfig, priority: TicketPriority, complaint: boolean): { assign: boolean; roles: AssignmentConfig['roles'] } {
  const o = config.priorities[priority];
  return { assign: complaint || (o?.enabled ?? config.enabled), roles: o?.roles ?? config.roles };
}

/** Replaces the configuration (service.configure); the service group must be active staff who may handle tickets. */
export async function setAssignmentConfig(access: StaffAccess, raw: AssignmentConfigInput): Promise<AssignmentConfig> {
  requirePermission(access.actor, 'service.configure');
  const value = parseSettingValue(assignmentConfigSchema, raw, 'invalid_assignment_config');
  const { services } = access;
  const found = await services.db.staff.findMany({ where: { id: { in: value.serviceGroup }, active: true }, select: { id: true, role: true } });
  const ok = new Set(found.filter((s) => can(s, 'ticket.write')).map((s) => s.id));
  const bad = value.serviceGroup.map((id, i) => ({ id, i })).filter((x) => !ok.has(x.id));
  if (bad.length) throw fieldErrors('invalid_assignment_config', bad.map((b) => ({ path: ['serviceGroup', b.i], message: `staff ${b.id} is unknown, deactivated or may not handle tickets`, code: 'custom' })));
  await changeSetting(access, KEY, { old: await getAssignmentConfig(services), value, action: 'service.assignment.set' });
  return value;
}
