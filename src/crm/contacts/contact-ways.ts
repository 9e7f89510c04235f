import { randomBytes } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { AppError, audit, requirePermission, storeScope, type StaffAccess } from '../kernel/index.ts';
import type { ContactsPort } from './port.ts';

/**
 * Store/staff QR codes (Tencent: 客户联系「联系我」管理, add_contact_way type 1 单人, scene 2 二维码).
 * Each carries a `state` (≤ 30 characters) that WeCom hands back in the add event and in
 * follow_user.state, so a customer who scans it is attributed to that store and staff member.
 */
export interface ContactWay {
  configId: string;
  state: string;
  qrCode: string;
  storeId: number;
  staffUserId: string;
}

export async function createContactWay(access: StaffAccess, port: ContactsPort, input: { store: string | number; staffUserId: string }): Promise<ContactWay> {
  requirePermission(access.actor, 'contacts.manage');
  const { services } = access;
  const [stores] = await services.sql.query<RowDataPacket[]>('SELECT id, code FROM stores WHERE id = ? OR code = ?', [typeof input.store === 'number' ? input.store : -1, String(input.store)]);
  const store = stores[0];
  const scope = storeScope(access.actor);
  if (!store || (scope !== null && !scope.includes(Number(store.id)))) throw new AppError('contacts_store_not_found', `没有门店「${input.store}」（或不在你管理的门店内）。`);
  const [staff] = await services.sql.query<RowDataPacket[]>('SELECT id FROM staff WHERE wecom_user_id = ? AND active = true', [input.staffUserId]);
  if (!staff[0]) throw new AppError('contacts_staff_not_found', `没有在职员工「${input.staffUserId}」。`);
  // s<store id>-<random>: short enough for WeCom's 30 characters, unique without a lookup.
  const state = `s${store.id}-${randomBytes(6).toString('hex')}`;
  const way = await port.addContactWay({ userid: input.staffUserId, state, remark: `${store.code}/${input.staffUserId}`.slice(0, 30) });
  await services.sql.query('INSERT INTO wecom_contact_ways (config_id, state, store_id, staff_id, qr_code, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    way.configId,
    state,
    Number(store.id),
    Number(staff[0].id),
    way.qrCode.slice(0, 255),
    access.actor.wecomUserId,
    services.now(),
  ]);
  await audit(services, { actor: access.actor, action: 'wecom.contact_way.create', targetType: 'store', targetId: String(store.id), channel: access.channel, requestId: access.requestId, detail: { state, staff: input.staffUserId } });
  return { configId: way.configId, state, qrCode: way.qrCode, storeId: Number(store.id), staffUserId: input.staffUserId };
}

export interface AttributionRow {
  storeId: number;
  storeName: string;
  staffUserId: string;
  staffName: string;
  /** Customers who came through this store/staff's QR codes (relationships, deleted ones included). */
  customers: number;
  /** Of them, relationships still live. */
  active: number;
}

/** New customers per store and staff member attributed by contact-way state, within the caller's stores. */
export async function attributionCounts(access: StaffAccess, range: { from?: Date; to?: Date } = {}): Promise<AttributionRow[]> {
  requirePermission(access.actor, 'member.read');
  const scope = storeScope(access.actor);
  const where = ['f.store_id IS NOT NULL', 'f.state IS NOT NULL'];
  const params: unknown[] = [];
  if (scope !== null) {
    if (!scope.length) return [];
    where.push('f.store_id IN (?)');
    params.push(scope);
  }
  if (range.from) (where.push('f.added_at >= ?'), params.push(range.from));
  if (range.to) (where.push('f.added_at < ?'), params.push(range.to));
  const [rows] = await access.services.sql.query<RowDataPacket[]>(
    `SELECT f.store_id, s.name AS store_name, st.wecom_user_id, st.name AS staff_name, COUNT(*) AS customers, SUM(f.deleted_at IS NULL) AS active
     FROM wecom_follows f JOIN stores s ON s.id = f.store_id JOIN staff st ON st.id = f.staff_id
     WHERE ${where.join(' AND ')} GROUP BY f.store_id, s.name, st.wecom_user_id, st.name ORDER BY f.store_id, customers DESC`,
    params,
  );
  return rows.map((r) => ({ storeId: Number(r.store_id), storeName: String(r.store_name), staffUserId: String(r.wecom_user_id), staffName: String(r.staff_name), customers: Number(r.customers), active: Number(r.active) }));
}
