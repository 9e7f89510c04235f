import type { Context } from 'hono';
import { EXPORT_FIELDS, exportMembers, visibleMembers, type ExportField } from '../../crm/customers/index.ts';
import { badRequest, can, type StaffAccess } from '../../crm/kernel/index.ts';
import { csvStream } from './csv.ts';
import type { CustomerExportQuery } from './approvals.ts';

/**
 * How many rows a member export would have (the same scope and filters as exportMembers), to
 * decide before any row leaves whether it needs a second approver (EXPORT_APPROVAL_ROWS).
 */
export async function countCustomerExport(access: StaffAccess, q: Pick<CustomerExportQuery, 'store' | 'tag'>): Promise<number> {
  return access.services.db.member.count({
    where: { AND: [visibleMembers(access.actor), q.store !== undefined ? { homeStoreId: q.store } : {}, q.tag ? { tags: { some: { tag: { name: q.tag } } } } : {}] },
  });
}

/** Refuses full phones to a role that cannot see them before an approval is asked for (exportMembers checks again). */
export function checkPhoneView(access: StaffAccess, q: Pick<CustomerExportQuery, 'unmaskPhone'>): void {
  if (q.unmaskPhone && !can(access.actor, 'member.phone.view')) throw badRequest('phone_view_not_allowed', '你的角色不能导出完整手机号。');
}

/** The member export as a CSV download (header row first, UTF-8 with BOM); exportMembers audits it. */
export async function customerCsvResponse(access: StaffAccess, c: Context, q: CustomerExportQuery): Promise<Response> {
  const fields = (q.fields.length ? q.fields : [...EXPORT_FIELDS]) as ExportField[];
  const rows = exportMembers(access, { fields, storeId: q.store, tag: q.tag, unmaskPhone: q.unmaskPhone });
  const body = await csvStream(fields, rows);
  const day = access.services.now().toISOString().slice(0, 10);
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="customers-${day}.csv"`,
    'cache-control': 'no-store',
  });
}
