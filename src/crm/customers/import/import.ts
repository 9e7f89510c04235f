import { basename, dirname, extname, join } from 'node:path';
import type { PoolConnection, RowDataPacket, ResultSetHeader } from 'mysql2/promise';
import { AppError, audit, auditInTransaction, badRequest, isLockConflict, recordChanges, requirePermission, storeScope, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import { MEMBER_NO } from '../identifiers.ts';
import { normalizeAddresses, type Address } from '../member-input.ts';
import { emailColumns, openAddresses, openEmail, openRemarks, phoneColumns, phoneHash, sealHistoryValue, storedAddresses, storedRemarks } from '../sealed.ts';
import { resolveColumns, type ImportField } from './columns.ts';
import { writeCsv } from './csv.ts';
import type { EncodingChoice } from './decode.ts';
import { openTable, type Cell } from './read.ts';
import { rowSchema, validateRow, type ImportRow, type RowContext } from './row.ts';

export interface ImportOptions {
  /** field → header, e.g. { phone: '手机号' }; unmapped fields are auto-detected from the header. */
  map?: Partial<Record<ImportField, string>>;
  /** Home store of new members whose row names none (--store). */
  defaultStoreId?: number;
  /** Run every check and every write, then roll each batch back. */
  dryRun?: boolean;
  /** Rows per transaction (default 500). */
  batchSize?: number;
  /** Where the error report goes; default `<input>.errors.csv` beside the input. */
  errorsFile?: string;
  /** Text encoding of a CSV (default auto: UTF-8 with or without BOM, GBK/GB18030, UTF-16 detected). */
  encoding?: EncodingChoice;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  rowsRead: number;
  imported: number;
  rejected: number;
  elapsedMs: number;
  /** Share of the file read, 0–1. */
  fraction: number;
  done: boolean;
}

export interface RejectedRow {
  row: number;
  column: string;
  reason: string;
}

export interface ImportResult {
  file: string;
  /** The encoding a CSV was read with (null for .xlsx). */
  encoding: string | null;
  dryRun: boolean;
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Tags put on members (a tag the member held already is not counted). */
  tagsAdded: number;
  /** New members recorded as a KOC's referral (the referral code column). */
  referrals: number;
  rejected: number;
  batches: number;
  failedBatches: number;
  ignoredColumns: string[];
  /** The error report (null when every row was accepted). */
  errorsFile: string | null;
  errors: RejectedRow[];
}

interface Pending {
  row: number;
  data: ImportRow;
}

interface Existing extends RowDataPacket {
  id: number;
  phone_hash: string;
  name: string;
  gender: string;
  birthday: Date | null;
  home_store_id: number | null;
  status: string;
  email_enc: string | null;
  /** Opened from email_enc after the read. */
  email: string | null;
  customer_no: string | null;
  remarks: string | null;
  addresses: Address[] | string | null;
}

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
const show = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const s = v instanceof Date ? day(v)! : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // member_profile_changes keeps 255 characters, as updateMemberProfile writes them.
  return s.length > 255 ? `${s.slice(0, 254)}…` : s;
};
const sameAddress = (a: Address, b: Address) => (['province', 'city', 'district', 'detail'] as const).every((k) => (a[k] ?? '') === (b[k] ?? ''));

/** MariaDB named lock serialising import batches; lock names are server-wide, so the database name is appended. */
const IMPORT_LOCK = 'crm_import:';

/**
 * Writes the opening points of members the batch just created, inside its transaction: the
 * points ledger is loyalty's (recordOpeningBalances), so the lifecycle context, which runs
 * imports, hands it in.
 */
export type OpeningBalances = (conn: PoolConnection, entries: { memberId: number; points: number }[], o: { reason: string; ref: string; createdBy: string; at: Date }) => Promise<void>;

/**
 * What the import needs of the contexts above customers, handed in by lifecycle's importMembers:
 * loyalty's opening balances, and engagement's tag dictionary and its one member_tags writer.
 */
export interface ImportPorts {
  openingBalances: OpeningBalances;
  /** Ids of the tags that exist among `names` (name as written → id). */
  tagIds: (conn: PoolConnection, names: string[]) => Promise<Map<string, number>>;
  /** Puts each tag on its members (kept when held already); returns the rows added. */
  addTags: (conn: PoolConnection, adds: { tagId: number; memberIds: number[] }[], o: { createdBy: string; at: Date }) => Promise<number>;
  /** Loyalty's KOCs by referral code (normalised code → the KOC's member id; unknown codes absent). */
  kocsByCode: (conn: PoolConnection, codes: string[]) => Promise<Map<string, number>>;
  /** Records each new member as the KOC's referral, through loyalty's one writer (writeReferral). */
  addReferrals: (conn: PoolConnection, referrals: { referralCode: string; memberId: number }[], o: { at: Date }) => Promise<void>;
}

export const defaultErrorsFile = (file: string) => join(dirname(file), `${basename(file, extname(file))}.errors.csv`);

/**
 * The error report of an import (members or orders): rows sorted, written beside the file (or
 * where asked) only when there are errors; returns the report's path.
 */
export async function writeErrorReport(errors: RejectedRow[], file: string, errorsFile?: string): Promise<string | undefined> {
  errors.sort((a, b) => a.row - b.row);
  if (!errors.length) return undefined;
  const path = errorsFile ?? defaultErrorsFile(file);
  await writeCsv(path, ['row', 'column', 'reason'], errors.map((e) => [e.row, e.column, e.reason]));
  return path;
}

/**
 * Imports members from a CSV or XLSX file (docs/import-export.md). The phone is the key: a
 * new phone creates a member (member number continuing the M00000001 sequence, allocated under
 * a lock), a known phone updates the changed profile fields (name, gender, birthday, home
 * store) with member_profile_changes rows and audit entries, exactly as updateMemberProfile
 * would; an identical row changes nothing, so a re-import is a no-op. Level, points,
 * registration time and source are taken for new members only (points get an opening ledger
 * entry through `openingBalances`, loyalty's, in the batch's transaction); for existing members
 * those go through the points ledger and level rules. Run through the lifecycle context's
 * importMembers, which hands in the ledger.
 *
 * Each batch is one transaction: a database failure rolls that batch back whole, its rows are
 * reported as rejected, and the import goes on with the next batch. Rejected rows (row,
 * column, reason) are written to the error report.
 */
export async function runMemberImport(access: StaffAccess, file: string, opts: ImportOptions, ports: ImportPorts): Promise<ImportResult> {
  requirePermission(access.actor, 'member.write');
  const { services, actor } = access;
  const scope = storeScope(actor);
  const started = Date.now();
  const batchSize = Math.min(Math.max(opts.batchSize ?? 500, 1), 5000);

  const stores = await services.db.store.findMany({ select: { id: true, code: true, name: true } });
  const storesByKey = new Map<string, number>();
  for (const s of stores) storesByKey.set(s.name.toLowerCase(), s.id);
  for (const s of stores) storesByKey.set(s.code.toLowerCase(), s.id);
  const levels = new Map<string, number>();
  for (const l of await services.db.membershipLevel.findMany({ select: { level: true, name: true } })) {
    levels.set(String(l.level), l.level);
    levels.set(l.name.toLowerCase(), l.level);
  }
  if (opts.defaultStoreId !== undefined && scope !== null && !scope.includes(opts.defaultStoreId)) {
    throw new AppError('store_out_of_scope', '--store 不是你管理的门店。');
  }
  const ctx: RowContext = { storesByKey, levels, now: services.now() };
  const schema = rowSchema(ctx);

  const table = await openTable(file, { encoding: opts.encoding });
  const result: ImportResult = { file, encoding: table.encoding, dryRun: Boolean(opts.dryRun), rowsRead: 0, created: 0, updated: 0, unchanged: 0, tagsAdded: 0, referrals: 0, rejected: 0, batches: 0, failedBatches: 0, ignoredColumns: [], errorsFile: null, errors: [] };
  const rejectedRows = new Set<number>();
  let header: string[] = [];
  let columns: Partial<Record<ImportField, number>> | null = null;
  const seenPhones = new Map<string, number>();
  const seenCustomerNos = new Map<string, number>();
  let batch: Pending[] = [];

  const colName = (field: ImportField | '') => (field === '' ? '' : columns?.[field] !== undefined ? header[columns[field]!]! : field);
  const reject = (row: number, column: string, reason: string) => {
    result.errors.push({ row, column, reason });
    rejectedRows.add(row);
  };
  const progress = (done: boolean) =>
    opts.onProgress?.({ rowsRead: result.rowsRead, imported: result.created + result.updated + result.unchanged, rejected: rejectedRows.size, elapsedMs: Date.now() - started, fraction: done ? 1 : table.fraction(), done });

  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    result.batches++;
    const range = `第 ${rows[0]!.row}–${rows[rows.length - 1]!.row} 行`;
    // A deadlock or lock wait timeout (two importers, or a concurrent writer) is retried; the batch is redone from scratch.
    for (let attempt = 1; ; attempt++) {
      const rowRejects: RejectedRow[] = [];
      const conn = await services.sql.getConnection();
      let locked = false;
      try {
        // One batch at a time across importers (a named lock, taken before the transaction so its
        // reads see the previous batch's commit): member numbers continue the sequence without
        // two importers taking the same ones, and batches do not deadlock on the phone index gaps.
        const [[lock]] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(CONCAT(?, DATABASE()), 60) AS ok', [IMPORT_LOCK]);
        if (lock?.ok !== 1) throw new AppError('import_busy', '另一个导入占用了会员号分配锁超过 60 秒。');
        locked = true;
        const counts = await withTransaction(conn, (c, tx) => {
          if (opts.dryRun) tx.rollbackOnly();
          return writeBatch(c, access, rows, { scope, defaultStoreId: opts.defaultStoreId, reject: (row, field, reason) => rowRejects.push({ row, column: colName(field), reason }), file, ports });
        });
        for (const r of rowRejects) reject(r.row, r.column, r.reason);
        result.created += counts.created;
        result.updated += counts.updated;
        result.unchanged += counts.unchanged;
        result.tagsAdded += counts.tagsAdded;
        result.referrals += counts.referrals;
        break;
      } catch (e) {
        if (isLockConflict(e) && attempt < 4) continue;
        result.failedBatches++;
        const msg = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : String(e);
        for (const r of rowRejects) reject(r.row, r.column, r.reason);
        for (const r of rows) if (!rejectedRows.has(r.row)) reject(r.row, '', `所在批次（${range}）写入失败已整批回滚：${msg}`);
        break;
      } finally {
        if (locked) await conn.query('SELECT RELEASE_LOCK(CONCAT(?, DATABASE()))', [IMPORT_LOCK]).catch(() => undefined);
        conn.release();
      }
    }
    progress(false);
  };

  for await (const raw of table.rows) {
    if (!columns) {
      header = raw.cells.map((c) => (c instanceof Date ? c.toISOString() : (c ?? '').trim()));
      const resolved = resolveColumns(header, opts.map);
      columns = resolved.columns;
      result.ignoredColumns = resolved.ignored;
      continue;
    }
    result.rowsRead++;
    const cells: Partial<Record<ImportField, Cell>> = {};
    for (const [field, idx] of Object.entries(columns) as [ImportField, number][]) cells[field] = raw.cells[idx] ?? null;
    const v = validateRow(schema, cells);
    if (!v.ok) {
      for (const e of v.errors) reject(raw.row, colName(e.field), e.reason);
      continue;
    }
    const first = seenPhones.get(v.row.phone);
    if (first !== undefined) {
      reject(raw.row, colName('phone'), `手机号与第 ${first} 行重复`);
      continue;
    }
    const no = v.row.customerNo?.toLowerCase();
    const firstNo = no === undefined ? undefined : seenCustomerNos.get(no);
    if (firstNo !== undefined) {
      reject(raw.row, colName('customer_no'), `客户编号与第 ${firstNo} 行重复`);
      continue;
    }
    seenPhones.set(v.row.phone, raw.row);
    if (no !== undefined) seenCustomerNos.set(no, raw.row);
    batch.push({ row: raw.row, data: v.row });
    if (batch.length >= batchSize) await flush();
  }
  if (!columns) throw badRequest('import_empty', '文件是空的（没有表头）。');
  await flush();

  result.rejected = rejectedRows.size;
  const errorsFile = await writeErrorReport(result.errors, file, opts.errorsFile);
  if (errorsFile) result.errorsFile = errorsFile;
  await audit(services, {
    actor,
    action: 'member.import',
    targetType: 'member_search',
    targetId: `import:${basename(file)}`,
    channel: access.channel,
    requestId: access.requestId,
    detail: { rowsRead: result.rowsRead, created: result.created, updated: result.updated, unchanged: result.unchanged, tagsAdded: result.tagsAdded, referrals: result.referrals, rejected: result.rejected, failedBatches: result.failedBatches, dryRun: result.dryRun },
  });
  progress(true);
  return result;
}

/** Writes one batch inside the caller's transaction; row-level problems are rejected, database errors propagate (rollback). */
async function writeBatch(
  conn: PoolConnection,
  access: StaffAccess,
  batch: Pending[],
  o: { scope: number[] | null; defaultStoreId?: number; reject: (row: number, field: ImportField | '', reason: string) => void; file: string; ports: ImportPorts },
): Promise<{ created: number; updated: number; unchanged: number; tagsAdded: number; referrals: number }> {
  const { actor } = access;
  const now = access.services.now();
  // Under IMPORT_LOCK (see importMembers); another writer taking the same number still fails on the unique index.
  const [top] = await conn.query<RowDataPacket[]>('SELECT MAX(member_no) AS member_no FROM members');
  // Phones are sealed: the batch's members are found through the blind index (sealed.ts).
  const hashOf = new Map(batch.map((r) => [r.data.phone, phoneHash(r.data.phone)]));
  const phoneOf = new Map([...hashOf].map(([p, h]) => [h, p]));
  const [found] = await conn.query<Existing[]>('SELECT id, phone_hash, name, gender, birthday, home_store_id, status, email_enc, customer_no, remarks, addresses FROM members WHERE phone_hash IN (?) FOR UPDATE', [[...hashOf.values()]]);
  for (const m of found) {
    m.email = openEmail(m.email_enc);
    // Remarks and addresses may be sealed (PERSONAL_DATA_FIELDS): compared and merged in clear.
    m.remarks = openRemarks(m.remarks);
    m.addresses = openAddresses(m.addresses) as Address[] | null;
  }
  const byPhone = new Map(found.map((m) => [phoneOf.get(m.phone_hash)!, m]));
  const inScope = (storeId: number | null) => o.scope === null || (storeId !== null && o.scope.includes(storeId));

  // Customer numbers are unique: one held by another member rejects the row.
  const nos = batch.map((r) => r.data.customerNo).filter((n): n is string => n !== undefined);
  const [holders] = nos.length ? await conn.query<RowDataPacket[]>('SELECT id, phone_hash, customer_no FROM members WHERE customer_no IN (?)', [nos]) : [[] as RowDataPacket[]];
  const holderOf = new Map(holders.map((h) => [String(h.customer_no).toLowerCase(), { id: Number(h.id), phoneHash: String(h.phone_hash) }]));
  // Tags must exist in the dictionary (as for POST /customers): an unknown one rejects the row.
  const tagNames = [...new Set(batch.flatMap((r) => r.data.tags ?? []))];
  const tagIds = tagNames.length ? await o.ports.tagIds(conn, tagNames) : new Map<string, number>();
  // A referral code must be a KOC's (as for POST /customers' referralCode): an unknown one rejects the row.
  const codes = [...new Set(batch.flatMap((r) => (r.data.referralCode ? [r.data.referralCode] : [])))];
  const kocs = codes.length ? await o.ports.kocsByCode(conn, codes) : new Map<string, number>();

  const rows: Pending[] = [];
  for (const r of batch) {
    const holder = r.data.customerNo === undefined ? undefined : holderOf.get(r.data.customerNo.toLowerCase());
    const unknownTag = r.data.tags?.find((t) => !tagIds.has(t));
    if (holder && holder.phoneHash !== hashOf.get(r.data.phone)) o.reject(r.row, 'customer_no', `客户编号「${r.data.customerNo}」已属于会员 ${holder.id}`);
    else if (unknownTag !== undefined) o.reject(r.row, 'tags', `没有标签「${unknownTag}」（先在标签字典里建好）`);
    else if (r.data.referralCode !== undefined && !kocs.has(r.data.referralCode)) o.reject(r.row, 'referral_code', `没有推荐码「${r.data.referralCode}」的 KOC`);
    else rows.push(r);
  }

  const creates: Pending[] = [];
  const updates: { member: Existing; diffs: { field: string; column: string; old: string | null; new: string | null; value: unknown }[] }[] = [];
  const memberIdOfRow = new Map<number, number>();
  let unchanged = 0;
  for (const r of rows) {
    const m = byPhone.get(r.data.phone);
    if (!m) {
      const storeId = r.data.storeId ?? o.defaultStoreId ?? null;
      if (!r.data.name) o.reject(r.row, 'name', '新会员的姓名不能为空');
      else if (!inScope(storeId)) o.reject(r.row, 'store', storeId === null ? '门店角色导入的新会员必须指定门店（--store 或门店列）' : '不能把会员建到你不管理的门店');
      else creates.push({ row: r.row, data: { ...r.data, storeId: storeId ?? undefined } });
      continue;
    }
    if (m.status === 'deleted') {
      o.reject(r.row, 'phone', '这个手机号属于已删除（或已合并）的会员，不能导入');
      continue;
    }
    if (!inScope(m.home_store_id)) {
      o.reject(r.row, 'phone', '这个手机号的会员不在你的门店范围内');
      continue;
    }
    if (r.data.storeId !== undefined && !inScope(r.data.storeId)) {
      o.reject(r.row, 'store', '不能把会员转到你不管理的门店');
      continue;
    }
    memberIdOfRow.set(r.row, m.id);
    // The file's address joins the member's list unless it is there already (an import never drops an address).
    const had: Address[] = (m.addresses as Address[] | null) ?? [];
    const addresses = r.data.address === undefined || had.some((a) => sameAddress(a, r.data.address!)) ? undefined : normalizeAddresses([...had, r.data.address]);
    const want: [string, string, unknown, unknown][] = [
      ['name', 'name', m.name, r.data.name],
      ['gender', 'gender', m.gender, r.data.gender],
      ['birthday', 'birthday', m.birthday, r.data.birthday],
      ['homeStoreId', 'home_store_id', m.home_store_id, r.data.storeId],
      ['email', 'email', m.email, r.data.email],
      ['customerNo', 'customer_no', m.customer_no, r.data.customerNo],
      ['remarks', 'remarks', m.remarks, r.data.remarks],
      ['addresses', 'addresses', had.length ? had : null, addresses],
    ];
    const diffs = want
      .filter(([, , , nv]) => nv !== undefined)
      .map(([field, column, ov, nv]) => ({ field, column, old: show(ov), new: show(nv), value: field === 'addresses' ? JSON.stringify(nv) : nv instanceof Date ? day(nv) : nv }))
      .filter((d) => d.old !== d.new);
    if (diffs.length) updates.push({ member: m, diffs });
    else unchanged++;
  }

  if (creates.length) {
    const last = (top[0]?.member_no as string | null) ?? 'M00000000';
    if (!MEMBER_NO.test(last)) throw new AppError('member_no_sequence', `最大的会员号「${last}」不是 M+8 位数字，无法续号。`);
    let next = Number(last.slice(1));
    const values = creates.map((c) => {
      const d = c.data;
      const addresses = d.address ? storedAddresses(normalizeAddresses([d.address])) : null;
      const p = phoneColumns(d.phone);
      const e = emailColumns(d.email ?? null);
      return [`M${String(++next).padStart(8, '0')}`, d.name!, p.phone_enc, p.phone_hash, p.phone_tail, d.gender ?? 'unknown', day(d.birthday), d.level ?? 1, d.points ?? 0, d.registeredAt ?? now, d.source ?? 'import', d.storeId ?? null, e.email_enc, e.email_hash, d.customerNo ?? null, storedRemarks(d.remarks || null), addresses, now, now];
    });
    if (next > 99_999_999) throw new AppError('member_no_sequence', '会员号已用尽（M99999999）。');
    await conn.query('INSERT INTO members (member_no, name, phone_enc, phone_hash, phone_tail, gender, birthday, level, points, registered_at, source_channel, home_store_id, email_enc, email_hash, customer_no, remarks, addresses, created_at, updated_at) VALUES ?', [values]);
    const [ids] = await conn.query<RowDataPacket[]>('SELECT id, phone_hash, points FROM members WHERE phone_hash IN (?)', [creates.map((c) => hashOf.get(c.data.phone)!)]);
    const idOfHash = new Map(ids.map((m) => [String(m.phone_hash), Number(m.id)]));
    for (const c of creates) memberIdOfRow.set(c.row, idOfHash.get(hashOf.get(c.data.phone)!)!);
    await o.ports.openingBalances(conn, ids.map((m) => ({ memberId: Number(m.id), points: Number(m.points) })), { reason: '导入初始积分', ref: basename(o.file).slice(0, 64), createdBy: actor.wecomUserId, at: now });
    await insertAudit(conn, access, ids.map((m) => ({ action: 'member.create', memberId: m.id as number, detail: { source: 'import' } })), now);
  }
  // A new member's referral code (taken at registration only, as POST /customers does; ignored for a member already here).
  const referrals = creates.flatMap((c) => (c.data.referralCode ? [{ referralCode: c.data.referralCode, memberId: memberIdOfRow.get(c.row)! }] : []));
  if (referrals.length) await o.ports.addReferrals(conn, referrals, { at: now });

  for (const u of updates) {
    // The email is stored sealed with its blind index, remarks and addresses sealed when configured (sealed.ts).
    const cols = u.diffs.flatMap((d): [string, unknown][] => {
      if (d.column === 'remarks') return [['remarks', storedRemarks((d.value as string | null) ?? null)]];
      if (d.column === 'addresses') return [['addresses', storedAddresses(d.value === null ? null : (JSON.parse(d.value as string) as unknown[]))]];
      if (d.column !== 'email') return [[d.column, d.value]];
      const e = emailColumns((d.value as string | null) ?? null);
      return [['email_enc', e.email_enc], ['email_hash', e.email_hash]];
    });
    const sets = cols.map(([c]) => `\`${c}\` = ?`).join(', ');
    await conn.query<ResultSetHeader>(`UPDATE members SET ${sets}, updated_at = ? WHERE id = ?`, [...cols.map(([, v]) => v), now, u.member.id]);
  }
  if (updates.length) {
    const changes = updates.flatMap((u) => u.diffs.map((d) => [u.member.id, d.field, sealHistoryValue(d.field, d.old), sealHistoryValue(d.field, d.new), actor.wecomUserId, access.channel, access.requestId, now]));
    await conn.query('INSERT INTO member_profile_changes (member_id, field, old_value, new_value, changed_by, channel, request_id, created_at) VALUES ?', [changes]);
    // Field names only, as updateMemberProfile does: the audit log is not a second copy of personal data.
    await insertAudit(conn, access, updates.map((u) => ({ action: 'member.update', memberId: u.member.id, detail: { fields: u.diffs.map((d) => d.field), source: 'import' } })), now);
  }

  // Tags of every accepted row, new or existing member; one already held is kept as it is.
  const byTag = new Map<number, number[]>();
  for (const r of rows) {
    const memberId = memberIdOfRow.get(r.row);
    if (memberId === undefined) continue;
    for (const t of r.data.tags ?? []) byTag.set(tagIds.get(t)!, [...(byTag.get(tagIds.get(t)!) ?? []), memberId]);
  }
  const tagsAdded = byTag.size ? await o.ports.addTags(conn, [...byTag].map(([tagId, memberIds]) => ({ tagId, memberIds })), { createdBy: actor.wecomUserId, at: now }) : 0;
  // Members created or changed go into the change feed in this transaction, as every member writer's do (docs/sync.md).
  const changed = [...creates.map((c) => memberIdOfRow.get(c.row)!), ...updates.map((u) => u.member.id)];
  await recordChanges(conn, now, changed.map((id) => ({ object: 'member' as const, id, memberId: id })));
  return { created: creates.length, updated: updates.length, unchanged, tagsAdded, referrals: referrals.length };
}

/** Audit rows of the batch, in its transaction (they commit or roll back with it). */
async function insertAudit(conn: PoolConnection, access: StaffAccess, rows: { action: string; memberId: number; detail: Record<string, unknown> }[], now: Date): Promise<void> {
  await auditInTransaction(
    conn,
    rows.map((r) => ({ actor: access.actor, action: r.action, targetType: 'member', targetId: String(r.memberId), channel: access.channel, requestId: access.requestId, detail: r.detail })),
    now,
  );
}
