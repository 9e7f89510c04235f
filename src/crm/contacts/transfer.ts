import { randomBytes } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { AppError, audit, isAppError, requirePermission, storeScope, type StaffAccess } from '../kernel/index.ts';
import type { ContactsPort, TransferKind } from './port.ts';

/**
 * Handing a staff member's customers to another (Tencent: 在职继承 transfer_customer for a
 * member still employed, 离职继承 resigned/transfer_customer once they left), tracked to
 * completion: each customer is a row of wecom_transfers, `waiting` until transfer_result (polled
 * by a job) or a transfer_fail event settles it.
 */

/** external_userid per call (Tencent: 每次最多分配100个客户). */
export const TRANSFER_BATCH = 100;
/** 在职继承: 90个自然日内，在职成员的每位客户仅可被转接2次 (WeCom answers 40128 beyond). */
export const IN_SERVICE_TRANSFERS_PER_90_DAYS = 2;
/** errcode WeCom gives a customer transferred too often (客户转接过于频繁); also recorded when we refuse it ourselves. */
export const TOO_FREQUENT = 40128;

export type TransferStatus = 'waiting' | 'done' | 'refused' | 'limit' | 'failed';

/** transfer_result status → ours (1 接替完毕, 2 等待接替, 3 客户拒绝, 4 接替成员客户达到上限, 5 无接替记录). */
const RESULT_STATUS: Record<number, TransferStatus> = { 1: 'done', 2: 'waiting', 3: 'refused', 4: 'limit', 5: 'failed' };

interface StaffRow {
  id: number;
  userId: string;
  name: string;
  active: boolean;
}

const staffRow = (r: RowDataPacket): StaffRow => ({ id: Number(r.id), userId: String(r.wecom_user_id), name: String(r.name), active: Boolean(r.active) });

/**
 * A staff member as a manager names them: the full name or WeCom userid, else a short form that is
 * part of exactly one staff name ("小刘" → 客服小刘, "王店长" as typed). Several names holding it are
 * asked about, never guessed ("小" is in many); one character is no short form.
 */
async function staffByName(services: Services, who: string): Promise<StaffRow> {
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT id, wecom_user_id, name, active FROM staff WHERE name = ? OR wecom_user_id = ? ORDER BY active DESC, id LIMIT 1', [who, who]);
  if (rows[0]) return staffRow(rows[0]);
  if ([...who.trim()].length >= 2) {
    const [like] = await services.sql.query<RowDataPacket[]>("SELECT id, wecom_user_id, name, active FROM staff WHERE name LIKE ? ORDER BY active DESC, id", [`%${who.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
    // One name however many rows hold it (a namesake who left): the active one first, as for the full name.
    const names = [...new Set(like.map((r) => String(r.name)))];
    if (names.length === 1) return staffRow(like[0]!);
    if (names.length > 1) throw new AppError('contacts_staff_ambiguous', `「${who}」可能是：${names.slice(0, 5).join('、')}。请写全名。`);
  }
  throw new AppError('contacts_staff_not_found', `没有员工「${who}」。`);
}

export interface TransferPlan {
  kind: TransferKind;
  from: { userId: string; name: string };
  to: { userId: string; name: string };
  /** Customers to hand over now. */
  customers: string[];
  /** Customers already transferred twice in 90 days (in-service only): refused here, as WeCom would (40128). */
  tooFrequent: string[];
  /** Customers whose earlier transfer is still waiting. */
  inProgress: string[];
}

/** Who hands over to whom and which customers; checks permission and the caller's stores. */
export async function planTransfer(access: StaffAccess, input: { from: string; to: string }): Promise<TransferPlan> {
  requirePermission(access.actor, 'contacts.manage');
  const { services } = access;
  const from = await staffByName(services, input.from);
  const to = await staffByName(services, input.to);
  if (from.id === to.id || !to.active) throw new AppError('transfer_invalid', !to.active ? `接替的员工「${to.name}」已停用。` : '转出和接替不能是同一个人。');
  const scope = storeScope(access.actor);
  if (scope !== null) {
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT 1 FROM staff_stores WHERE staff_id = ? AND store_id IN (?) LIMIT 1', [from.id, scope.length ? scope : [-1]]);
    if (!rows[0]) throw new AppError('transfer_invalid', `「${from.name}」不在你管理的门店。`);
  }
  const kind: TransferKind = from.active ? 'in_service' : 'resigned';
  const [follows] = await services.sql.query<RowDataPacket[]>('SELECT external_userid FROM wecom_follows WHERE staff_userid = ? AND deleted_at IS NULL ORDER BY external_userid', [from.userId]);
  const all = follows.map((f) => String(f.external_userid));
  const [open] = await services.sql.query<RowDataPacket[]>("SELECT DISTINCT external_userid FROM wecom_transfers WHERE handover_userid = ? AND status = 'waiting'", [from.userId]);
  const inProgress = new Set(open.map((r) => String(r.external_userid)));
  const tooFrequent = new Set<string>();
  if (kind === 'in_service' && all.length) {
    const since = new Date(services.now().getTime() - 90 * 86_400_000);
    const [recent] = await services.sql.query<RowDataPacket[]>(
      "SELECT external_userid, COUNT(*) AS n FROM wecom_transfers WHERE kind = 'in_service' AND status IN ('waiting', 'done') AND created_at >= ? AND external_userid IN (?) GROUP BY external_userid",
      [since, all],
    );
    for (const r of recent) if (Number(r.n) >= IN_SERVICE_TRANSFERS_PER_90_DAYS) tooFrequent.add(String(r.external_userid));
  }
  return {
    kind,
    from: { userId: from.userId, name: from.name },
    to: { userId: to.userId, name: to.name },
    customers: all.filter((c) => !inProgress.has(c) && !tooFrequent.has(c)),
    tooFrequent: [...tooFrequent],
    inProgress: [...inProgress].filter((c) => all.includes(c)),
  };
}

export interface TransferStart {
  batch: string;
  plan: TransferPlan;
  /** Customers WeCom accepted: taken over automatically after 24 h unless they refuse. */
  started: number;
  /** Refused at once, by WeCom (its errcode) or by the 90-day rule. */
  failed: { externalUserId: string; name: string; errcode: number }[];
}

/** Starts the transfer in calls of TRANSFER_BATCH and records every customer's state. */
export async function startTransfer(access: StaffAccess, port: ContactsPort, input: { from: string; to: string }): Promise<TransferStart> {
  const plan = await planTransfer(access, input);
  const { services } = access;
  const batch = randomBytes(8).toString('hex');
  const now = services.now();
  const rows: [string, string, string, string, string, string, number | null, string, Date, Date][] = [];
  const row = (id: string, status: TransferStatus, errcode: number | null) => rows.push([batch, plan.kind, plan.from.userId, plan.to.userId, id, status, errcode, access.actor.wecomUserId, now, now]);
  for (const id of plan.tooFrequent) row(id, 'limit', TOO_FREQUENT);
  for (let i = 0; i < plan.customers.length; i += TRANSFER_BATCH) {
    const chunk = plan.customers.slice(i, i + TRANSFER_BATCH);
    try {
      const result = await port.transferCustomer(plan.kind, plan.from.userId, plan.to.userId, chunk);
      const byId = new Map(result.map((r) => [r.external_userid, r.errcode]));
      for (const id of chunk) {
        const code = byId.get(id) ?? 0;
        row(id, code === 0 ? 'waiting' : code === TOO_FREQUENT ? 'limit' : 'failed', code === 0 ? null : code);
      }
    } catch (e) {
      // The whole call was refused (e.g. 40097 成员尚未离职): every customer of the chunk failed with that code.
      if (!isAppError(e) || e.retryable) throw e;
      const code = Number((e.details as { errcode?: unknown } | undefined)?.errcode ?? -1);
      for (const id of chunk) row(id, 'failed', code);
    }
  }
  if (rows.length) {
    await services.sql.query(
      'INSERT INTO wecom_transfers (batch, kind, handover_userid, takeover_userid, external_userid, status, errcode, requested_by, created_at, updated_at) VALUES ?',
      [rows],
    );
    // Refused at once: the answer to the command tells them; the final report lists them again with the rest.
    await services.sql.query("UPDATE wecom_transfers SET reported_at = ? WHERE batch = ? AND status <> 'waiting'", [now, batch]);
  }
  const failedRows = rows.filter((r) => r[5] !== 'waiting');
  const names = await customerNames(services, failedRows.map((r) => r[4]));
  await audit(services, {
    actor: access.actor,
    action: 'wecom.transfer.start',
    targetType: 'staff',
    targetId: plan.from.userId,
    channel: access.channel,
    requestId: access.requestId,
    detail: { batch, kind: plan.kind, to: plan.to.userId, started: rows.length - failedRows.length, failed: failedRows.length },
  });
  return { batch, plan, started: rows.length - failedRows.length, failed: failedRows.map((r) => ({ externalUserId: r[4], name: names.get(r[4]) ?? r[4], errcode: r[6] ?? -1 })) };
}

async function customerNames(services: Services, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT external_userid, name FROM wecom_customers WHERE external_userid IN (?)', [ids]);
  return new Map(rows.map((r) => [String(r.external_userid), String(r.name) || String(r.external_userid)]));
}

/** transfer_fail event: the customer refused (customer_refused) or the takeover member is full (customer_limit_exceed). */
export async function transferFailed(services: Services, takeoverUserId: string, externalUserId: string, reason: string | undefined): Promise<number> {
  const status: TransferStatus = reason === 'customer_limit_exceed' ? 'limit' : 'refused';
  const [res] = await services.sql.query<import('mysql2/promise').ResultSetHeader>(
    "UPDATE wecom_transfers SET status = ?, updated_at = ? WHERE takeover_userid = ? AND external_userid = ? AND status = 'waiting'",
    [status, services.now(), takeoverUserId, externalUserId],
  );
  return res.affectedRows;
}

/** A finished batch, to tell the manager who asked for it. */
export interface TransferReport {
  batch: string;
  requestedBy: string;
  /** Staff names (their userids when unknown). */
  from: string;
  to: string;
  done: number;
  failures: { externalUserId: string; name: string; status: TransferStatus; errcode: number | null }[];
}

/**
 * Polls transfer_result for every pair with customers still waiting, settles their rows, and
 * returns the batches now finished and not yet reported (marked reported: each is told once).
 */
export async function pollTransfers(services: Services, port: ContactsPort): Promise<TransferReport[]> {
  const [pairs] = await services.sql.query<RowDataPacket[]>("SELECT DISTINCT kind, handover_userid, takeover_userid FROM wecom_transfers WHERE status = 'waiting'");
  for (const p of pairs) {
    let cursor: string | undefined;
    do {
      const page = await port.transferResult(p.kind as TransferKind, String(p.handover_userid), String(p.takeover_userid), cursor);
      for (const c of page.customer) {
        const status = RESULT_STATUS[c.status] ?? 'failed';
        if (status === 'waiting') continue;
        await services.sql.query(
          "UPDATE wecom_transfers SET status = ?, updated_at = ? WHERE handover_userid = ? AND takeover_userid = ? AND external_userid = ? AND status = 'waiting'",
          [status, services.now(), p.handover_userid, p.takeover_userid, c.external_userid],
        );
        if (status === 'done') await moveFollow(services, c.external_userid, String(p.handover_userid), String(p.takeover_userid));
      }
      cursor = page.next_cursor || undefined;
    } while (cursor);
  }
  return finishedReports(services);
}

/** The customer now follows the takeover member; the store/staff attribution stays what it was. */
async function moveFollow(services: Services, externalUserId: string, from: string, to: string): Promise<void> {
  const now = services.now();
  await services.sql.query(
    `INSERT INTO wecom_follows (external_userid, staff_userid, remark, state, store_id, staff_id, added_at, wecom_tags, updated_at)
     SELECT external_userid, ?, remark, state, store_id, staff_id, ?, '[]', ? FROM wecom_follows WHERE external_userid = ? AND staff_userid = ?
     ON DUPLICATE KEY UPDATE deleted_at = NULL, deleted_by = NULL, updated_at = VALUES(updated_at)`,
    [to, now, now, externalUserId, from],
  );
  await services.sql.query("UPDATE wecom_follows SET deleted_at = COALESCE(deleted_at, ?), deleted_by = COALESCE(deleted_by, 'transfer') WHERE external_userid = ? AND staff_userid = ?", [now, externalUserId, from]);
}

export async function finishedReports(services: Services): Promise<TransferReport[]> {
  const [batches] = await services.sql.query<RowDataPacket[]>(
    "SELECT batch FROM wecom_transfers GROUP BY batch HAVING SUM(status = 'waiting') = 0 AND SUM(reported_at IS NULL) > 0",
  );
  const out: TransferReport[] = [];
  for (const b of batches) {
    const batch = String(b.batch);
    const [res] = await services.sql.query<import('mysql2/promise').ResultSetHeader>('UPDATE wecom_transfers SET reported_at = ? WHERE batch = ? AND reported_at IS NULL', [services.now(), batch]);
    if (res.affectedRows === 0) continue; // another process reported it
    const [rows] = await services.sql.query<RowDataPacket[]>(
      `SELECT t.external_userid, t.status, t.errcode, t.requested_by, t.handover_userid, t.takeover_userid, c.name, h.name AS from_name, k.name AS to_name
       FROM wecom_transfers t LEFT JOIN wecom_customers c ON c.external_userid = t.external_userid
       LEFT JOIN staff h ON h.wecom_user_id = t.handover_userid LEFT JOIN staff k ON k.wecom_user_id = t.takeover_userid WHERE t.batch = ? ORDER BY t.id`,
      [batch],
    );
    const first = rows[0]!;
    out.push({
      batch,
      requestedBy: String(first.requested_by),
      from: String(first.from_name ?? first.handover_userid),
      to: String(first.to_name ?? first.takeover_userid),
      done: rows.filter((r) => r.status === 'done').length,
      failures: rows.filter((r) => r.status !== 'done').map((r) => ({ externalUserId: String(r.external_userid), name: r.name ? String(r.name) : String(r.external_userid), status: r.status as TransferStatus, errcode: r.errcode === null ? null : Number(r.errcode) })),
    });
  }
  return out;
}
