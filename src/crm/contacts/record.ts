import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { bindWeComIdentity, memberIdByExternalUserId, memberIdByMobile, memberIdByUnionid } from '../customers/index.ts';
import { applyWeComTagChanges } from './tag-inbound.ts';
import type { ExternalContact, FollowUser } from './port.ts';

/**
 * Records a WeCom customer as externalcontact/get describes it: the customer row, each
 * staff–customer relationship (follow_user) with the contact-way state that brought it and the
 * store/staff that state attributes it to, the binding to a member, and the corp tags changed in
 * WeCom since we last looked (applied to the bound member).
 */
export async function recordContact(services: Services, contact: ExternalContact): Promise<{ memberId: number | null; boundBy: string | null }> {
  const c = contact.external_contact;
  const now = services.now();
  await services.sql.query(
    `INSERT INTO wecom_customers (external_userid, name, type, unionid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE name = VALUES(name), type = VALUES(type), unionid = COALESCE(VALUES(unionid), unionid), updated_at = VALUES(updated_at)`,
    [c.external_userid, c.name.slice(0, 64), c.type, c.unionid ?? null, now, now],
  );
  for (const f of contact.follow_user) await recordFollow(services, c.external_userid, f);
  const bound = await bind(services, contact);
  for (const f of contact.follow_user) await applyWeComTagChanges(services, c.external_userid, f, bound.memberId);
  return bound;
}

/** The store and staff a contact way's state names; else the staff member who added the customer. */
async function attribution(services: Services, f: FollowUser): Promise<{ storeId: number | null; staffId: number | null }> {
  if (f.state) {
    const [ways] = await services.sql.query<RowDataPacket[]>('SELECT store_id, staff_id FROM wecom_contact_ways WHERE state = ?', [f.state]);
    if (ways[0]) return { storeId: Number(ways[0].store_id), staffId: Number(ways[0].staff_id) };
  }
  const [staff] = await services.sql.query<RowDataPacket[]>('SELECT id FROM staff WHERE wecom_user_id = ?', [f.userid]);
  return { storeId: null, staffId: staff[0] ? Number(staff[0].id) : null };
}

async function recordFollow(services: Services, externalUserId: string, f: FollowUser): Promise<void> {
  const { storeId, staffId } = await attribution(services, f);
  // The attribution is decided when the relationship is first seen: a later edit never moves a customer to another store.
  await services.sql.query(
    `INSERT INTO wecom_follows (external_userid, staff_userid, remark, state, store_id, staff_id, added_at, wecom_tags, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?)
     ON DUPLICATE KEY UPDATE remark = VALUES(remark), state = COALESCE(state, VALUES(state)), store_id = COALESCE(store_id, VALUES(store_id)),
       staff_id = COALESCE(staff_id, VALUES(staff_id)), deleted_at = NULL, deleted_by = NULL, updated_at = VALUES(updated_at)`,
    [externalUserId, f.userid, f.remark.slice(0, 255), f.state ?? null, storeId, staffId, new Date(f.createtime * 1000), services.now()],
  );
}

const MOBILE_IN_TEXT = /(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}/g;

/** Mobiles the staff noted: remark_mobiles first, then any mainland mobile written in the remark or description. */
function notedMobiles(contact: ExternalContact): string[] {
  const out: string[] = [];
  for (const f of contact.follow_user) out.push(...f.remark_mobiles);
  for (const f of contact.follow_user) for (const text of [f.remark, f.description ?? '']) out.push(...(text.match(MOBILE_IN_TEXT) ?? []));
  return [...new Set(out)];
}

/**
 * Binds the customer to a member: already bound stays; a member carrying this external_userid;
 * else by unionid; else by a mobile the staff noted; else it stays unbound (listed by
 * listContacts({ bound: false }) for a person to resolve).
 */
function bind(services: Services, contact: ExternalContact): Promise<{ memberId: number | null; boundBy: string | null }> {
  return bindCustomer(services, contact.external_contact.external_userid, contact.external_contact.unionid ?? null, notedMobiles(contact));
}

/** The binder for one recorded wecom_customers row (also a group chat's external member, src/crm/contacts/group-chats.ts). */
export async function bindCustomer(services: Services, id: string, unionid: string | null, mobiles: string[]): Promise<{ memberId: number | null; boundBy: string | null }> {
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT member_id, bound_by FROM wecom_customers WHERE external_userid = ?', [id]);
  if (rows[0]?.member_id) return { memberId: Number(rows[0].member_id), boundBy: String(rows[0].bound_by) };
  const candidates: { memberId: number | null; by: string }[] = [{ memberId: await memberIdByExternalUserId(services.sql, id), by: 'external_userid' }];
  if (unionid) candidates.push({ memberId: await memberIdByUnionid(services.sql, unionid), by: 'unionid' });
  for (const m of mobiles) candidates.push({ memberId: await memberIdByMobile(services.sql, m), by: 'mobile' });
  const now = services.now();
  for (const c of candidates) {
    if (c.memberId === null) continue;
    if (!(await bindWeComIdentity(services.sql, c.memberId, id, unionid, now))) continue;
    await services.sql.query('UPDATE wecom_customers SET member_id = ?, bound_by = ?, bound_at = ? WHERE external_userid = ?', [c.memberId, c.by, now, id]);
    return { memberId: c.memberId, boundBy: c.by };
  }
  return { memberId: null, boundBy: null };
}

/** A relationship ended: the staff member deleted the customer (del_external_contact) or the customer deleted the staff member (del_follow_user). */
export async function endFollow(services: Services, externalUserId: string, staffUserId: string, by: 'staff' | 'customer'): Promise<void> {
  const now = services.now();
  await services.sql.query(
    `INSERT INTO wecom_follows (external_userid, staff_userid, added_at, deleted_at, deleted_by, wecom_tags, updated_at) VALUES (?, ?, ?, ?, ?, '[]', ?)
     ON DUPLICATE KEY UPDATE deleted_at = VALUES(deleted_at), deleted_by = VALUES(deleted_by), updated_at = VALUES(updated_at)`,
    [externalUserId, staffUserId, now, now, by, now],
  );
}
