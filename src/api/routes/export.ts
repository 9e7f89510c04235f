import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { AppError } from '../../crm/kernel/index.ts';
import { EXPORT_FIELDS } from '../../crm/customers/index.ts';
import { approvalReasons } from '../export/approvals.ts';
import { checkPhoneView, countCustomerExport, customerCsvResponse } from '../export/customers.ts';
import { apiRoute, errors, requires } from '../route.ts';
import { queryBool } from '../schemas.ts';

const fieldList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(EXPORT_FIELDS)).min(1));

/** The member export's query: GET /crm/customers/export and POST /crm/exports take the same filters. */
export const customerExportQuery = z.object({
  fields: fieldList.optional().describe(`comma-separated, any of ${EXPORT_FIELDS.join(', ')} (default: all)`),
  store: z.coerce.number().int().positive().optional().describe('home store id'),
  tag: z.string().trim().min(1).max(32).optional().describe('only members carrying this tag'),
  unmaskPhone: queryBool.optional().describe('full phone numbers (member.phone.view only; needs a second approver)'),
});

/** GET /crm/customers/export: the member export of src/crm/customers/export.ts as a CSV download. */
export const exportRoute = apiRoute(
  createRoute({
    method: 'get',
    path: '/crm/customers/export',
    operationId: 'exportCustomers',
    tags: ['customers'],
    summary: 'Export customers in scope as CSV (chosen fields; masked phones; at most EXPORT_APPROVAL_ROWS rows without approval)',
    description:
      'Streams every matching customer in id order (UTF-8 with BOM, for Excel). Phones are masked. ' +
      'An export of full phone numbers (unmaskPhone=true, member.phone.view) or of more rows than EXPORT_APPROVAL_ROWS needs a second approver: ' +
      'this answers 409 export_pending_approval; ask with POST /crm/exports, another staff member approves with POST /crm/exports/{id}/approve, ' +
      'then GET /crm/exports/{id}/download. Each export writes one audit row (member.export) with the fields, filters and the number of rows.',
    ...requires('member.export'),
    request: { query: customerExportQuery },
    responses: { 200: { description: 'CSV, header row first', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors(409) },
  }),
  async ({ access, query, c }) => {
    const q = { fields: query.fields ?? [...EXPORT_FIELDS], store: query.store, tag: query.tag, unmaskPhone: Boolean(query.unmaskPhone) };
    checkPhoneView(access, q);
    const reasons = approvalReasons(access.services, { fullPhone: q.unmaskPhone, rows: await countCustomerExport(access, q) });
    if (reasons.length) {
      throw new AppError('export_pending_approval', `this export (${reasons.join(', ')}) needs a second approver: ask with POST /api/crm/exports (same filters as a JSON body)`);
    }
    return customerCsvResponse(access, c, q);
  },
);
