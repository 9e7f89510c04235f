import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Prisma } from '../../../db/prisma.ts';
import { audit, badRequest, forbidden, formatDate, replayKey, requirePermission, type CrmAccess, type MemberActor } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { memberInScope } from '../../customers/index.ts';
import { assignmentRule } from '../settings/assignment-config.ts';
import { alertUnassigned, auditAutoAssignment } from './assignment-effects.ts';
import { autoAssignInTx, type AutoAssignment } from './auto-assign.ts';
import { ticketRules, type TicketRules } from './rules.ts';
import { slaDue } from './sla.ts';
import { ticketInclude, toTicketView, type TicketView } from './types.ts';

export const createTicketSchema = z.object({
  memberId: z.number().int().positive(),
  type: z.enum(['repair', 'complaint', 'consultation', 'after_sales']),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
  title: z.string().trim().min(1).max(128),
  description: z.string().trim().max(2000).optional(),
  /** Defaults to the member's home store. */
  storeId: z.number().int().positive().optional(),
  assigneeId: z.number().int().positive().optional(),
});
export type CreateTicketInput = z.input<typeof createTicketSchema>;

/** T + Beijing yyyymmdd + the id, six digits or more: unique, sortable, easy to read out. */
export function ticketNoFor(id: number, at: Date): string {
  return `T${formatDate(at, '')}${String(id).padStart(6, '0')}`;
}

type TicketInsert = Omit<z.output<typeof createTicketSchema>, 'storeId'> & { storeId: number | null; idempotencyKey?: string | null };

/**
 * Inserts a ticket inside a transaction (shared with interaction logging): a temporary number,
 * then T+date+id once the id is known, in the same transaction. Its SLA due times follow the
 * policy on its store's business hours (`rules`, read before the transaction).
 */
export async function insertTicket(tx: Prisma.TransactionClient, services: Services, createdBy: string, input: TicketInsert, rules: Pick<TicketRules, 'policy' | 'hours'>) {
  const now = services.now();
  const row = await tx.ticket.create({
    data: {
      // Placeholder (never a T… number) until the id is known; unique, within VARCHAR(20).
      ticketNo: `~${randomBytes(9).toString('hex')}`,
      memberId: input.memberId,
      storeId: input.storeId,
      type: input.type,
      priority: input.priority,
      title: input.title,
      description: input.description ?? null,
      assigneeId: input.assigneeId ?? null,
      assignedAt: input.assigneeId ? now : null,
      assignedBy: input.assigneeId ? createdBy : null,
      createdBy,
      idempotencyKey: input.idempotencyKey ?? null,
      ...slaDue(input.priority, now, rules.policy, rules.hours),
      createdAt: now,
      updatedAt: now,
    },
  });
  return tx.ticket.update({ where: { id: row.id }, data: { ticketNo: ticketNoFor(row.id, now) }, include: ticketInclude });
}

/**
 * The transaction options of a ticket that may be auto-assigned: READ COMMITTED, so the open
 * tickets counted after waiting for the candidates' row locks include those committed meanwhile
 * (auto-assign.ts explains the locking).
 */
export const ASSIGNING_TX = { isolationLevel: 'ReadCommitted' } as const;

/**
 * Inserts a ticket and, when no assignee was given and the assignment settings take it (always
 * for a complaint), auto-assigns it in the same transaction. Returns the ticket as committed.
 */
export async function insertAndAssign(tx: Prisma.TransactionClient, services: Services, createdBy: string, input: TicketInsert, rules: TicketRules) {
  const ticket = await insertTicket(tx, services, createdBy, input, rules);
  if (ticket.assigneeId !== null) return { ticket, auto: null };
  const rule = assignmentRule(rules.assignment, input.priority, input.type === 'complaint');
  if (!rule.assign) return { ticket, auto: null };
  const auto = await autoAssignInTx(tx, ticket, rule.roles, rules.assignment, services.now());
  return { ticket: auto ? await tx.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: ticketInclude }) : ticket, auto };
}

/** The input of a new ticket, or a 400 naming every broken field. */
function parseTicketInput(raw: CreateTicketInput) {
  const parsed = createTicketSchema.safeParse(raw);
  if (!parsed.success) throw badRequest('invalid_ticket', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** A member asks for themself only, and never picks who handles it. */
function requireOwnRequest(actor: MemberActor, input: { memberId: number; assigneeId?: number | null }): void {
  if (actor.memberId !== input.memberId) throw forbidden('not_your_member', '只能为自己提交服务请求。');
  if (input.assigneeId) throw forbidden('permission_denied', '会员不能指定处理人。');
}

/** The audit row of a ticket opened by staff or by a member. */
async function auditTicketCreated(access: CrmAccess, ticket: { id: number; ticketNo: string; memberId: number; type: string; priority: string }): Promise<void> {
  await audit(access.services, {
    actor: access.actor,
    action: 'ticket.create',
    targetType: 'ticket',
    targetId: String(ticket.id),
    channel: access.channel,
    requestId: access.requestId,
    detail: { ticketNo: ticket.ticketNo, memberId: ticket.memberId, type: ticket.type, priority: ticket.priority },
  });
}

/**
 * Opens a service ticket. Staff need ticket.write and the member in their scope; a member actor
 * (the `handoff` intent) may open one only for themself. SLA due times follow the policy of the
 * priority on the store's business hours; without an assignee it is auto-assigned when the
 * settings say so (a complaint always), and a complaint nobody could take alerts its managers.
 */
export async function createTicket(access: CrmAccess, raw: CreateTicketInput): Promise<TicketView> {
  const input = parseTicketInput(raw);
  const { services, actor } = access;
  let homeStoreId: number | null;
  if (actor.kind === 'staff') {
    requirePermission(actor, 'ticket.write');
    homeStoreId = (await memberInScope(services, actor, input.memberId)).homeStoreId;
    if (input.assigneeId) await requireAssignable(services, input.assigneeId);
  } else {
    requireOwnRequest(actor, input);
    homeStoreId = actor.homeStoreId;
  }
  // tickets.created_by: the staff userid, or member:<id> so it can never be read as a userid.
  const createdBy = actor.kind === 'member' ? `member:${actor.memberId}` : actor.wecomUserId;
  const storeId = input.storeId ?? homeStoreId;
  // A chat message run again after a crash between this commit and its inbox completion: its ticket, not a second one.
  const idempotencyKey = replayKey('ticket');
  const seen = idempotencyKey ? await services.db.ticket.findUnique({ where: { idempotencyKey }, include: ticketInclude }) : null;
  if (seen) return toTicketView(seen);
  const rules = await ticketRules(services, storeId);
  const { ticket, auto } = await services.db.$transaction((tx) => insertAndAssign(tx, services, createdBy, { ...input, storeId, idempotencyKey }, rules), ASSIGNING_TX);
  await auditTicketCreated(access, ticket);
  const view = toTicketView(ticket);
  await afterAssignment(access, view, auto);
  // A complaint nobody could take must not sit unseen: its managers are told at once.
  if (view.type === 'complaint' && !view.assignee) await alertUnassigned(services, view, access.requestId);
  return view;
}

/** The audit row of an automatic assignment, once its ticket is committed. */
async function afterAssignment(access: CrmAccess, ticket: TicketView, auto: AutoAssignment | null): Promise<void> {
  if (auto) await auditAutoAssignment(access.services, ticket, auto, null, access.requestId);
}

/**
 * A member's own request for a person (the hand-off): joins the member's open ticket of the same
 * type opened by the member within `windowMs`, else opens one (and audits it). The member's row is
 * locked (SELECT … FOR UPDATE) while looking, so simultaneous requests of one member serialize:
 * one ticket, never one per message. `joined` tells the caller not to alert staff again. A new
 * ticket is auto-assigned like createTicket's; the hand-off alerts the managers itself.
 */
export async function openOrJoinMemberTicket(
  access: CrmAccess,
  raw: CreateTicketInput,
  windowMs: number,
): Promise<{ ticket: TicketView; joined: boolean }> {
  const input = parseTicketInput(raw);
  const { services, actor } = access;
  if (actor.kind !== 'member') throw forbidden('not_your_member', '只能为自己提交服务请求。');
  requireOwnRequest(actor, input);
  const createdBy = `member:${actor.memberId}`;
  const now = services.now();
  const storeId = input.storeId ?? actor.homeStoreId;
  const rules = await ticketRules(services, storeId);
  const { ticket, joined, auto } = await services.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM members WHERE id = ${input.memberId} FOR UPDATE`;
    const open = await tx.ticket.findFirst({
      where: { memberId: input.memberId, createdBy, type: input.type, status: { in: ['open', 'in_progress'] }, createdAt: { gte: new Date(now.getTime() - windowMs) } },
      orderBy: { id: 'desc' },
      include: ticketInclude,
    });
    if (open) return { ticket: open, joined: true, auto: null };
    return { ...(await insertAndAssign(tx, services, createdBy, { ...input, storeId }, rules)), joined: false };
  }, ASSIGNING_TX);
  const view = toTicketView(ticket);
  if (!joined) {
    await auditTicketCreated(access, ticket);
    await afterAssignment(access, view, auto);
  }
  return { ticket: view, joined };
}

/** An assignee must be active staff. */
export async function requireAssignable(services: Services, staffId: number): Promise<{ id: number; name: string }> {
  const s = await services.db.staff.findFirst({ where: { id: staffId, active: true }, select: { id: true, name: true } });
  if (!s) throw badRequest('invalid_assignee', '处理人不存在或已停用。');
  return s;
}
