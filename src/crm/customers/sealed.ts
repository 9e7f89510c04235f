import type { Connection, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { blindIndex, isEnvelope, keyring, normalizeEmail, open, phoneTail, seal, sealedKeyId, type ExtraPersonalField, type Keyring } from '../kernel/index.ts';
import { MAINLAND_MOBILE } from './identifiers.ts';

/**
 * How members' phones and emails are stored (docs/deployment.md, "Personal data
 * keys"): sealed (kernel personal-data), with a keyed blind index for exact lookups and the
 * phone's last four digits for "尾号1234". Every members write of a phone or email goes through
 * these column builders, every read through openPhone/openEmail.
 */

export interface PhoneColumns {
  phone_enc: string;
  phone_hash: string;
  phone_tail: string;
}

/** The three stored columns of a normalised phone (an erased member's placeholder has no tail to search by). */
export function phoneColumns(phone: string, k: Keyring = keyring()): PhoneColumns {
  return { phone_enc: seal('members.phone', phone, k), phone_hash: phoneHash(phone, k), phone_tail: MAINLAND_MOBILE.test(phone) ? phoneTail(phone) : '' };
}

export function emailColumns(email: string | null, k: Keyring = keyring()): { email_enc: string | null; email_hash: string | null } {
  return email === null ? { email_enc: null, email_hash: null } : { email_enc: seal('members.email', email, k), email_hash: emailHash(email, k) };
}

/** The blind index of a normalised phone: the only way a phone is looked up. */
export const phoneHash = (phone: string, k?: Keyring): string => blindIndex('phone', phone, k);
export const emailHash = (email: string, k?: Keyring): string => blindIndex('email', normalizeEmail(email), k);

export const openPhone = (sealed: string, k?: Keyring): string => open('members.phone', sealed, k);
export const openEmail = (sealed: string | null, k?: Keyring): string | null => (sealed === null ? null : open('members.email', sealed, k));

// ---- remarks and addresses: sealed when PERSONAL_DATA_FIELDS names them (the keyring's extraFields) ----
// Readers open whatever is stored (an envelope, or text written before sealing was switched on), so
// the setting can change without a stop; rotate-keys converts the stored rows.

const sealsField = (f: ExtraPersonalField, k: Keyring = keyring()) => k.extraFields.has(f);

/** Remarks as stored. */
export const storedRemarks = (v: string | null, k: Keyring = keyring()): string | null => (v === null || !sealsField('remarks', k) ? v : seal('members.remarks', v, k));
export const openRemarks = (v: string | null, k?: Keyring): string | null => (v !== null && isEnvelope(v) ? open('members.remarks', v, k) : v);

/** The JSON value of the addresses column: the list, or a JSON string holding its envelope when sealed (Prisma writes this). */
export function addressesValue(list: readonly unknown[] | null, k: Keyring = keyring()): unknown[] | string | null {
  if (list === null) return null;
  return sealsField('addresses', k) ? seal('members.addresses', JSON.stringify(list), k) : [...list];
}
/** The same as JSON text, for SQL writes. */
export const storedAddresses = (list: readonly unknown[] | null, k?: Keyring): string | null => {
  const v = addressesValue(list, k);
  return v === null ? null : JSON.stringify(v);
};
/** The list from the column as either driver hands it (mysql2: JSON text; Prisma: the parsed value). */
export function openAddresses(raw: unknown, k?: Keyring): unknown[] | null {
  let v = raw;
  if (typeof v === 'string' && !isEnvelope(v)) v = JSON.parse(v);
  if (typeof v === 'string' && isEnvelope(v)) v = JSON.parse(open('members.addresses', v, k));
  return Array.isArray(v) ? v : null;
}

/** Profile history values of these fields are sealed like the member's own columns (remarks and addresses when configured). */
const HISTORY_FIELDS = new Set(['phone', 'email', 'remarks', 'addresses']);
const sealsHistory = (field: string, k: Keyring) => field === 'phone' || field === 'email' || ((field === 'remarks' || field === 'addresses') && k.extraFields.has(field));
type HistoryField = 'phone' | 'email' | 'remarks' | 'addresses';
export const sealHistoryValue = (field: string, v: string | null, k: Keyring = keyring()): string | null =>
  v === null || !sealsHistory(field, k) ? v : seal(`member_profile_changes.${field as HistoryField}`, v, k);
export const openHistoryValue = (field: string, v: string | null, k?: Keyring): string | null =>
  v === null || !HISTORY_FIELDS.has(field) || !isEnvelope(v) ? v : open(`member_profile_changes.${field as HistoryField}`, v, k);

type Conn = Connection | PoolConnection;
const BATCH = 1000;

/**
 * The migration's data step (src/db/data-steps.ts): seals the plaintext phone and email of every
 * member not sealed yet, and the phone/email values of the profile history, in batches. Rows
 * already sealed are left alone, so a stopped run continues where it was.
 */
export async function sealPlaintextMembers(conn: Conn, log: (msg: string) => void, opts: { batch?: number; keyring?: Keyring } = {}): Promise<{ members: number; history: number }> {
  const k = opts.keyring ?? keyring();
  const batch = opts.batch ?? BATCH;
  const [[counted]] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM members WHERE phone_enc IS NULL');
  const todo = Number(counted?.n ?? 0);
  let members = 0;
  let lastId = 0;
  for (;;) {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT id, phone, email FROM members WHERE phone_enc IS NULL AND id > ? ORDER BY id LIMIT ?', [lastId, batch]);
    if (!rows.length) break;
    await updateByIds(conn, 'members', ['phone_enc', 'phone_hash', 'phone_tail', 'email_enc', 'email_hash'], rows.map((r) => {
      const p = phoneColumns(String(r.phone), k);
      const e = emailColumns(r.email === null ? null : String(r.email), k);
      return [Number(r.id), p.phone_enc, p.phone_hash, p.phone_tail, e.email_enc, e.email_hash];
    }));
    members += rows.length;
    lastId = Number(rows[rows.length - 1]!.id);
    log(`sealing personal data: ${members}/${Number(todo)} members`);
  }
  const history = await resealHistory(conn, k, batch, (v) => !v.startsWith('v1:'), (field, v) => sealHistoryValue(field, v, k));
  if (history) log(`sealing personal data: ${history} profile history values`);
  return { members, history };
}

/**
 * Re-seals every value not under DATA_KEY_ID with it (npm run crm -- rotate-keys), in batches by
 * id with progress; values already under the current key are skipped, so it can be stopped and
 * run again. When it reports 0 left, the old key can be removed from DATA_KEYS.
 */
export async function rotateMemberKeys(conn: Conn, log: (msg: string) => void, opts: { batch?: number; keyring?: Keyring } = {}): Promise<{ members: number; history: number }> {
  const k = opts.keyring ?? keyring();
  const batch = opts.batch ?? BATCH;
  const current = `v1:${k.currentId}:%`;
  const stale = 'phone_enc NOT LIKE ? OR (email_enc IS NOT NULL AND email_enc NOT LIKE ?)';
  const [[counted]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM members WHERE ${stale}`, [current, current]);
  const todo = Number(counted?.n ?? 0);
  log(`rotate-keys: ${Number(todo)} members have values not under key "${k.currentId}"`);
  let members = 0;
  let lastId = 0;
  for (;;) {
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT id, phone_enc, email_enc FROM members WHERE id > ? AND (${stale}) ORDER BY id LIMIT ?`, [lastId, current, current, batch]);
    if (!rows.length) break;
    await updateByIds(conn, 'members', ['phone_enc', 'email_enc'], rows.map((r) => [
      Number(r.id),
      sealedKeyId(r.phone_enc) === k.currentId ? r.phone_enc : seal('members.phone', openPhone(r.phone_enc, k), k),
      r.email_enc === null || sealedKeyId(r.email_enc) === k.currentId ? r.email_enc : seal('members.email', openEmail(r.email_enc, k)!, k),
    ]));
    members += rows.length;
    lastId = Number(rows[rows.length - 1]!.id);
    log(`rotate-keys: ${members}/${Number(todo)} members re-sealed`);
  }
  const history = await resealHistory(conn, k, batch, (v) => sealedKeyId(v) !== k.currentId, (field, v) => sealHistoryValue(field, openHistoryValue(field, v, k), k));
  const extra = await convertExtraFields(conn, k, batch, log);
  log(`rotate-keys: done, ${members} members and ${history} profile history values re-sealed under "${k.currentId}"; remarks/addresses of ${extra.members} members and ${extra.history} history values converted to PERSONAL_DATA_FIELDS`);
  return { members: members + extra.members, history: history + extra.history };
}

/**
 * Brings stored remarks and addresses (members and their profile history) in line with
 * PERSONAL_DATA_FIELDS: a listed field sealed under DATA_KEY_ID, an unlisted one in clear.
 * Rows already right are not written, so it is resumable like the rest of rotate-keys.
 */
async function convertExtraFields(conn: Conn, k: Keyring, batch: number, log: (msg: string) => void): Promise<{ members: number; history: number }> {
  const right = (f: ExtraPersonalField, stored: string | null): boolean =>
    stored === null || (sealsField(f, k) ? isEnvelope(stored) && sealedKeyId(stored) === k.currentId : !isEnvelope(stored));
  let members = 0;
  let lastId = 0;
  for (;;) {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT id, remarks, addresses FROM members WHERE id > ? AND (remarks IS NOT NULL OR addresses IS NOT NULL) ORDER BY id LIMIT ?', [lastId, batch]);
    if (!rows.length) break;
    lastId = Number(rows[rows.length - 1]!.id);
    // The stored form to judge: the envelope itself, or the list as text (drivers hand JSON either parsed or as text).
    const addressText = (raw: unknown): string | null => {
      if (raw === null || raw === undefined) return null;
      const v = typeof raw === 'string' && !isEnvelope(raw) ? JSON.parse(raw) : raw;
      return typeof v === 'string' ? v : JSON.stringify(v);
    };
    const changed = rows.filter((r) => !right('remarks', r.remarks) || !right('addresses', addressText(r.addresses)));
    if (!changed.length) continue;
    await updateByIds(conn, 'members', ['remarks', 'addresses'], changed.map((r) => [Number(r.id), storedRemarks(openRemarks(r.remarks, k), k), storedAddresses(openAddresses(r.addresses, k), k)]));
    members += changed.length;
    log(`rotate-keys: remarks/addresses of ${members} members converted`);
  }
  let history = 0;
  lastId = 0;
  for (;;) {
    const [rows] = await conn.query<RowDataPacket[]>("SELECT id, field, old_value, new_value FROM member_profile_changes WHERE id > ? AND field IN ('remarks', 'addresses') ORDER BY id LIMIT ?", [lastId, batch]);
    if (!rows.length) break;
    lastId = Number(rows[rows.length - 1]!.id);
    const changed = rows.filter((r) => !right(r.field, r.old_value) || !right(r.field, r.new_value));
    if (!changed.length) continue;
    const redo = (field: string, v: string | null) => sealHistoryValue(field, openHistoryValue(field, v, k), k);
    await updateByIds(conn, 'member_profile_changes', ['old_value', 'new_value'], changed.map((r) => [String(r.id), redo(r.field, r.old_value), redo(r.field, r.new_value)]));
    history += changed.length;
  }
  return { members, history };
}

/** Rewrites the phone/email values of the profile history that `needs` picks, in id batches. */
async function resealHistory(conn: Conn, _k: Keyring, batch: number, needs: (v: string) => boolean, rewrite: (field: string, v: string) => string | null): Promise<number> {
  let done = 0;
  let lastId = 0;
  for (;;) {
    const [rows] = await conn.query<RowDataPacket[]>("SELECT id, field, old_value, new_value FROM member_profile_changes WHERE id > ? AND field IN ('phone', 'email') ORDER BY id LIMIT ?", [lastId, batch]);
    if (!rows.length) break;
    lastId = Number(rows[rows.length - 1]!.id);
    const redo = (v: string | null, field: string) => (v === null || !needs(v) ? v : rewrite(field, v));
    const changed = rows.filter((r) => (r.old_value !== null && needs(r.old_value)) || (r.new_value !== null && needs(r.new_value)));
    if (!changed.length) continue;
    await updateByIds(conn, 'member_profile_changes', ['old_value', 'new_value'], changed.map((r) => [String(r.id), redo(r.old_value, r.field), redo(r.new_value, r.field)]));
    done += changed.length;
  }
  return done;
}

/** One UPDATE … JOIN over a derived table of (id, values…): a batch in one statement instead of one per row. */
async function updateByIds(conn: Conn, table: 'members' | 'member_profile_changes', columns: string[], rows: unknown[][]): Promise<void> {
  if (!rows.length) return;
  const select = `SELECT ? AS id, ${columns.map((c) => `? AS ${c}`).join(', ')}`;
  const derived = rows.map(() => select).join(' UNION ALL ');
  await conn.query(`UPDATE ${table} t JOIN (${derived}) v ON v.id = t.id SET ${columns.map((c) => `t.${c} = v.${c}`).join(', ')}`, rows.flat());
}

/** The id of the member holding this phone (any status), by its blind index. */
export async function memberIdByPhone(conn: Conn, phone: string): Promise<number | null> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT id FROM members WHERE phone_hash = ?', [phoneHash(phone)]);
  return rows[0] ? Number(rows[0].id) : null;
}
