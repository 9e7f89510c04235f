import type { Pool, RowDataPacket } from 'mysql2/promise';
import { reattributeRecalls } from '../../automation/index.ts';
import { createMemberRow, fieldError, lockMemberForWrite, type MemberForWrite } from '../../customers/index.ts';
import { AppError, auditInTransaction, conflict, notFound, requirePermission, storeScope, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import { accrueOrderPoints, upgradeAfterOrder } from '../../loyalty/index.ts';
import { findOrderByNo, insertOrder, ORDER_TX, setOrderIntake } from '../../sales/index.ts';
import { requestHash, twoDecimals, type OrderInput } from './schemas.ts';
import { fireAfterCommit, type IntakeDeps } from './triggers.ts';

/** What recording an order did; kept with the order, so a replay answers exactly this. */
export interface OrderReceipt {
  orderId: number;
  orderNo: string;
  memberId: number;
  memberNo: string;
  /** An unknown phone with createMember became this new member. */
  memberCreated: boolean;
  storeId: number;
  amount: string;
  paidAt: string;
  /** Points earned by the member's level rule (0 when the rule gives none). */
  pointsEarned: number;
  /** The level upgrade the order brought about at once, or null. */
  levelUp: { from: number; to: number } | null;
}

export interface OrderOutcome {
  receipt: OrderReceipt;
  /** The same request had been recorded before: nothing was written now. */
  replayed: boolean;
}

/** paidAt may run ahead of our clock by this much (till clocks drift); more is a mistake. */
const CLOCK_SKEW_MS = 5 * 60_000;

const isDupOrderNo = (e: unknown) => (e as { errno?: number; sqlMessage?: string } | null)?.errno === 1062 && /orders_order_no_key/.test((e as { sqlMessage?: string }).sqlMessage ?? '');

async function storeOf(sql: Pool, access: StaffAccess, o: OrderInput): Promise<number> {
  const [rows] = o.storeId !== undefined ? await sql.query<RowDataPacket[]>('SELECT id FROM stores WHERE id = ?', [o.storeId]) : await sql.query<RowDataPacket[]>('SELECT id FROM stores WHERE code = ?', [o.storeCode]);
  if (!rows[0]) throw fieldError('invalid_order', [o.storeId !== undefined ? 'storeId' : 'storeCode'], `没有门店「${o.storeId ?? o.storeCode}」`);
  const id = Number(rows[0].id);
  const scope = storeScope(access.actor);
  if (scope !== null && !scope.includes(id)) throw new AppError('store_out_of_scope', '门店角色只能记录自己门店的订单。');
  return id;
}

/**
 * The answer to an order number seen before: the stored receipt when the request is the same
 * (hash), else 409. An order of a member the caller cannot see is a 409 too (its number is
 * taken), so nothing about it leaks. Null when the number is free.
 */
async function replayOrConflict(sql: Pool, access: StaffAccess, orderNo: string, hash: string): Promise<OrderOutcome | null> {
  const seen = await findOrderByNo(sql, orderNo);
  if (!seen) return null;
  const visible = await lockMemberForWrite(sql, access.actor, { memberId: seen.memberId }, { lock: false });
  if (seen.requestHash !== hash || !seen.intake || !visible) {
    throw conflict('order_conflict', `订单号 ${orderNo} 已用于另一笔订单（内容不同）；同一订单重发须与第一次完全相同。`, { issues: [{ path: ['orderNo'], message: 'already recorded with a different body', code: 'custom' }] });
  }
  return { receipt: seen.intake as OrderReceipt, replayed: true };
}

/**
 * Records one paid order (order.write) in one transaction: the member (by id, number, openid
 * or phone; an unknown phone with createMember creates it), the order and its rollups
 * (member_stats, the store visit summary, day sales, cohorts — sales' insertOrder, exactly as
 * recordOrder), the points of the member's level rule, an upgrade the order earns at once,
 * recall attribution, the audit row; after the commit the `order_paid` (and, for a new member,
 * `member_registered`) journey triggers. Idempotent on orderNo: the same request again answers
 * the first receipt and writes nothing; another body under the same number → 409 (checked
 * before the transaction; two requests racing with one number meet on the unique key, and the
 * loser answers as a retry). `dryRun`: everything but the commit and the triggers.
 */
export async function recordPaidOrder(access: StaffAccess, input: OrderInput, deps: IntakeDeps = {}, opts: { dryRun?: boolean } = {}): Promise<OrderOutcome> {
  requirePermission(access.actor, 'order.write');
  const { services, actor } = access;
  const hash = requestHash('order', input);
  const paidAt = new Date(input.paidAt);
  const amount = twoDecimals(input.amount);
  const seen = await replayOrConflict(services.sql, access, input.orderNo, hash);
  if (seen) return seen;
  if (paidAt.getTime() > services.now().getTime() + CLOCK_SKEW_MS) throw fieldError('invalid_order', ['paidAt'], '付款时间在未来');
  const storeId = await storeOf(services.sql, access, input);
  try {
    const receipt = await withTransaction(
      services.sql,
      async (conn, tx): Promise<OrderReceipt> => {
        // A dry run (the file import's --dry-run) does every check and write, then rolls back.
        if (opts.dryRun) tx.rollbackOnly();
        const now = services.now();
        // The member's row lock comes first (lockMemberForWrite: before any plain read of this transaction).
        let member: MemberForWrite | null = await lockMemberForWrite(conn, actor, input);
        let memberCreated = false;
        if (!member) {
          if (!input.createMember) throw notFound('member_not_found', '没有找到这位会员（或不在你可查看的门店）；新顾客可带 createMember: true 和手机号。');
          const phone = input.phone!;
          const created = await createMemberRow(conn, access, { name: input.memberName ?? `顾客${phone.replace(/\D/g, '').slice(-4)}`, phone }, { defaultStoreId: storeId, defaultSource: input.channel ?? 'pos' });
          member = await lockMemberForWrite(conn, actor, { memberId: created.id });
          if (!member) throw notFound('member_not_found', '新建的会员不在你可查看的门店。');
          memberCreated = true;
        }
        const orderId = await insertOrder(conn, now, {
          orderNo: input.orderNo,
          memberId: member.id,
          storeId,
          amount,
          items: input.items,
          paymentMethod: input.paymentMethod,
          paidAt,
          channel: input.channel ?? null,
          requestHash: hash,
        });
        const pointsEarned = await accrueOrderPoints(conn, services, actor, { memberId: member.id, level: member.level, orderNo: input.orderNo, amount });
        const levelUp = await upgradeAfterOrder(conn, services, member.id);
        await reattributeRecalls(conn, member.id);
        const receipt: OrderReceipt = { orderId, orderNo: input.orderNo, memberId: member.id, memberNo: member.memberNo, memberCreated, storeId, amount, paidAt: paidAt.toISOString(), pointsEarned, levelUp };
        await setOrderIntake(conn, orderId, receipt);
        await auditInTransaction(conn, [{ actor, action: 'order.record', targetType: 'member', targetId: String(member.id), channel: access.channel, requestId: access.requestId, detail: { orderNo: input.orderNo, amount, pointsEarned, memberCreated } }], now);
        return receipt;
      },
      ORDER_TX(input.orderNo),
    );
    if (opts.dryRun) return { receipt, replayed: false };
    await fireAfterCommit(services, deps, [
      ...(receipt.memberCreated ? [{ type: 'member_registered' as const, memberId: receipt.memberId, occurrence: 'registered' }] : []),
      { type: 'order_paid', memberId: receipt.memberId, occurrence: `o${receipt.orderId}`, data: { amount: Number(receipt.amount) } },
    ]);
    return { receipt, replayed: false };
  } catch (e) {
    // The same order number committed by a concurrent request meanwhile (the unique key): answer as for a retry.
    if (isDupOrderNo(e)) {
      const again = await replayOrConflict(services.sql, access, input.orderNo, hash);
      if (again) return again;
    }
    throw e;
  }
}
