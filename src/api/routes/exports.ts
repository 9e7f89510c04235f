import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { AppError, can, requirePermission, type StaffActor } from '../../crm/kernel/index.ts';
import { EXPORT_FIELDS } from '../../crm/customers/index.ts';
import { APPROVAL_ID_RE, approvalReasons, approveExport, getApproval, pendingApprovals, requestApproval, type ExportApproval } from '../export/approvals.ts';
import { checkPhoneView, countCustomerExport, customerCsvResponse } from '../export/customers.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { isoDateTime } from '../schemas.ts';
import { sendExportFile } from '../segment-export-route.ts';

const approvalView = z.object({
  id: z.string(),
  kind: z.enum(['customers', 'segment']),
  status: z.enum(['pending', 'approved']).describe('pending: no file until another staff member approves'),
  reasons: z.array(z.enum(['full_phone', 'rows'])).describe('why a second approver is needed'),
  rows: z.number().int(),
  requester: z.string().describe('WeCom userid of the person who asked: the only one who may download'),
  approvedBy: z.string().nullable(),
  createdAt: isoDateTime,
  approvedAt: isoDateTime.nullable(),
  expiresAt: isoDateTime.describe('pending: until the request lapses (24 h); approved: until the download window closes (30 min)'),
  download: z.string().describe('GET this (requester only) once approved'),
});

const view = (a: ExportApproval): z.infer<typeof approvalView> => ({
  id: a.id,
  kind: a.kind,
  status: a.status,
  reasons: a.reasons,
  rows: a.rows,
  requester: a.requester,
  approvedBy: a.approvedBy ?? null,
  createdAt: a.createdAt,
  approvedAt: a.approvedAt ?? null,
  expiresAt: a.expiresAt,
  download: a.link ? `/exports/${a.link.token}` : `/api/crm/exports/${a.id}/download`,
});

const idParam = z.object({ id: z.string().regex(APPROVAL_ID_RE, 'an export id: 24 hex characters') });

const exportRequest = z.strictObject({
  fields: z.array(z.enum(EXPORT_FIELDS)).min(1).optional().describe('default: all'),
  store: z.number().int().positive().optional(),
  tag: z.string().trim().min(1).max(32).optional(),
  unmaskPhone: z.boolean().optional().describe('full phone numbers (member.phone.view only)'),
});

/** A staff member may see an export they asked for, or one they could approve. */
const mayView = (a: ExportApproval, actor: StaffActor) => a.requester === actor.wecomUserId || can(actor, a.permission);

/**
 * Second-approver exports (docs/api.md, "Exports"): a member export of full phones or above
 * EXPORT_APPROVAL_ROWS is asked for here, approved by another staff member holding the export
 * permission (never the one who asked), and then downloaded by the one who asked. Segment
 * exports from chat join the same list when their link is first opened. The route permission is
 * segment.export (every role that exports anything holds it); each operation checks the
 * export's own permission as well.
 */
export const exportApprovalRoutes = [
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/exports',
      operationId: 'requestExport',
      tags: ['exports'],
      summary: 'Ask for a member export that needs a second approver (full phones, or more than EXPORT_APPROVAL_ROWS rows)',
      description: 'Writes an export.requested audit row. No file exists until another staff member approves.',
      ...requires('member.export'),
      request: { body: jsonBody(exportRequest, { fields: ['memberNo', 'name', 'phone'], tag: 'VIP', unmaskPhone: true }) },
      responses: { 201: ok(approvalView, 'The pending export'), ...bodyErrors(409) },
    }),
    async ({ access, body }) => {
      const q = { fields: body.fields ?? [...EXPORT_FIELDS], store: body.store, tag: body.tag, unmaskPhone: Boolean(body.unmaskPhone) };
      checkPhoneView(access, q);
      const rows = await countCustomerExport(access, q);
      const reasons = approvalReasons(access.services, { fullPhone: q.unmaskPhone, rows });
      if (!reasons.length) throw new AppError('export_pending_approval', 'this export needs no approval: GET /api/crm/customers/export directly');
      return view(await requestApproval(access, { kind: 'customers', permission: 'member.export', reasons, rows, query: q }));
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/exports',
      operationId: 'listPendingExports',
      tags: ['exports'],
      summary: 'Exports waiting for a second approver that the caller may approve (not their own)',
      ...requires('segment.export'),
      responses: { 200: ok(z.object({ items: z.array(approvalView) })), ...errors() },
    }),
    async ({ access }) => ({ items: (await pendingApprovals(access)).map(view) }),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/exports/{id}',
      operationId: 'getExport',
      tags: ['exports'],
      summary: 'An export request: its status, who asked and who approved',
      ...requires('segment.export'),
      request: { params: idParam },
      responses: { 200: ok(approvalView), ...errors(404) },
    }),
    async ({ access, params }) => {
      const a = await getApproval(access.services, params.id);
      if (!a || !mayView(a, access.actor)) throw new AppError('export_not_found', `no export ${params.id}`);
      return view(a);
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/exports/{id}/approve',
      operationId: 'approveExport',
      tags: ['exports'],
      summary: 'Approve another staff member’s export (the second approver; audited as export.approved)',
      description: 'The approver must hold the export’s permission (member.export for member exports, segment.export for segment exports) and cannot be the one who asked (403 export_self_approval).',
      ...requires('segment.export'),
      request: { params: idParam },
      responses: { 200: ok(approvalView), ...errors(404) },
    }),
    async ({ access, params }) => view(await approveExport(access, params.id)),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/exports/{id}/download',
      operationId: 'downloadExport',
      tags: ['exports'],
      summary: 'Download an approved export (only the staff member who asked; within 30 minutes of the approval)',
      ...requires('segment.export'),
      request: { params: idParam },
      responses: { 200: { description: 'The file (CSV, or the segment export’s CSV/Excel)', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors(404, 409) },
    }),
    async ({ access, params, c }) => {
      const a = await getApproval(access.services, params.id);
      if (!a || a.requester !== access.actor.wecomUserId) throw new AppError('export_not_found', `no export ${params.id} of yours (a download works only for the person who asked)`);
      requirePermission(access.actor, a.permission);
      if (a.status !== 'approved') throw new AppError('export_pending_approval', `export ${a.id} is waiting for a second approver (POST /api/crm/exports/${a.id}/approve)`);
      if (a.link) return sendExportFile(c, a.link);
      return customerCsvResponse(access, c, a.query!);
    },
  ),
];
