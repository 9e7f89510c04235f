import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { EXPORT_FIELDS, exportMembers, type ExportField } from '../../crm/customers/index.ts';
import { csvStream } from '../export/csv.ts';
import { apiRoute, errors, requires } from '../route.ts';
import { queryBool } from '../schemas.ts';

const fieldList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(EXPORT_FIELDS)).min(1));

/** GET /crm/customers/export: the member export of src/crm/customers/export.ts as a CSV download. */
export const exportRoute = apiRoute(
  createRoute({
    method: 'get',
    path: '/crm/customers/export',
    operationId: 'exportCustomers',
    tags: ['customers'],
    summary: 'Export customers in scope as CSV (chosen fields; phones masked unless unmaskPhone=true and allowed)',
    description:
      'Streams every matching customer in id order (UTF-8 with BOM, for Excel). Phones are masked by default; unmaskPhone=true needs member.phone.view. ' +
      'Each export writes one audit row (member.export) with the fields, filters and the number of rows.',
    ...requires('member.export'),
    request: {
      query: z.object({
        fields: fieldList.optional().describe(`comma-separated, any of ${EXPORT_FIELDS.join(', ')} (default: all)`),
        store: z.coerce.number().int().positive().optional().describe('home store id'),
        tag: z.string().trim().min(1).max(32).optional().describe('only members carrying this tag'),
        unmaskPhone: queryBool.optional().describe('full phone numbers (member.phone.view only)'),
      }),
    },
    responses: { 200: { description: 'CSV, header row first', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors() },
  }),
  async ({ access, query, c }) => {
    const fields: ExportField[] = query.fields ?? [...EXPORT_FIELDS];
    const rows = exportMembers(access, { fields, storeId: query.store, tag: query.tag, unmaskPhone: query.unmaskPhone });
    const body = await csvStream(fields, rows);
    const day = access.services.now().toISOString().slice(0, 10);
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="customers-${day}.csv"`,
      'cache-control': 'no-store',
    });
  },
);
