import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { addDays, listAuditLogs, parseChinaDate } from '../../crm/kernel/index.ts';
import { apiRoute, errors, ok, requires } from '../route.ts';
import { iso, isoDate, isoDateTime, paged, pageQuery } from '../schemas.ts';

const dateOrTime = z.union([isoDate, isoDateTime]);

const auditQuery = pageQuery
  .extend({
    actor: z.string().trim().min(1).max(64).optional().describe("the actor's id: a staff WeCom userid (admin_01), a member id, a system job (sla)"),
    action: z
      .string()
      .trim()
      .regex(/^[a-z0-9_.]{1,64}$/, 'an action such as tag.add, or a prefix such as tag')
      .optional()
      .describe('an action, or its dotted prefix: "tag" matches tag.add and tag.rule.run, never tags'),
    memberId: z.coerce.number().int().positive().optional().describe('rows about this member (target member)'),
    targetType: z.string().trim().min(1).max(32).optional().describe('member, member_search, tag, tag_rule, setting, segment, ticket …'),
    targetId: z.string().trim().min(1).max(64).optional(),
    from: dateOrTime.optional().describe('on/after: YYYY-MM-DD (Beijing day) or an ISO timestamp'),
    to: dateOrTime.optional().describe('on/before: YYYY-MM-DD (the whole Beijing day) or an ISO timestamp (inclusive)'),
  })
  .transform((q, ctx) => {
    const from = q.from === undefined ? undefined : q.from.length === 10 ? parseChinaDate(q.from) : new Date(q.from);
    const before = q.to === undefined ? undefined : q.to.length === 10 ? addDays(parseChinaDate(q.to), 1) : new Date(new Date(q.to).getTime() + 1);
    if (from && before && from >= before) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' });
    return { ...q, fromDate: from, beforeDate: before };
  });

const auditRow = z.object({
  id: z.number().int(),
  actorType: z.string().describe('staff, member or system'),
  actorId: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().describe('phones in it masked unless the role may see them'),
  channel: z.string(),
  requestId: z.string().nullable(),
  detail: z.unknown().describe('what the action recorded (a settings change: {old, new}); phones masked unless the role may see them'),
  createdAt: isoDateTime,
});

/** The audit log for an administrator (audit.read): who read or changed what, newest first. */
export const auditLogRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/audit-logs',
      operationId: 'listAuditLogs',
      tags: ['audit'],
      summary: 'The audit log, newest first, filtered by actor, action (or prefix), member or target, and time',
      ...requires('audit.read'),
      request: { query: auditQuery },
      responses: { 200: ok(paged(auditRow)), ...errors() },
    }),
    async ({ access, query }) => {
      const { items, total } = await listAuditLogs(
        access,
        { actor: query.actor, action: query.action, memberId: query.memberId, targetType: query.targetType, targetId: query.targetId, from: query.fromDate, to: query.beforeDate },
        { page: query.page, pageSize: query.pageSize },
      );
      return { items: items.map((r) => ({ ...r, createdAt: iso(r.createdAt) })), page: query.page, pageSize: query.pageSize, total };
    },
  ),
];
