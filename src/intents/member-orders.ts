import { z } from 'zod';
import { memberOrders } from '../crm/sales/index.ts';
import { renderUnresolved } from './render/member.ts';
import { renderOrders } from './render/orders.ts';
import { MEMBER_REF_EXTRACT, MEMBER_REF_SLOTS, withMemberRef } from './slots/member-ref.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { ORDER_PERIOD, periodDays } from './slots/order-period.ts';

/** A member's recent orders; "他最近买了什么" after a lookup means the member in focus. */
export const memberOrdersIntent = defineIntent({
  name: 'member.orders',
  audience: 'staff',
  description: "List one member's recent orders (newest first), optionally only the last N days.",
  title: '会员订单（最近买了什么）',
  permission: 'member.read',
  effect: 'read',
  slots: withMemberRef({
    days: z.number().int().min(1).max(3650).optional().describe('only orders of the last N days'),
    limit: z.number().int().min(1).max(20).optional().describe('how many orders to show (default 5)'),
    period: ORDER_PERIOD,
  }),
  examples: [
    { text: '13800000001 最近买了什么', slots: { phone: '13800000001' } },
    { text: 'orders of 13800000001', slots: { phone: '13800000001' } },
    { text: '张伟最近30天的订单', slots: { name: '张伟', days: 30 } },
    { text: 'M00000001 最近两个月的消费记录', slots: { memberNo: 'M00000001', days: 60 } },
    { text: 'what did M00000004 buy last week', slots: { memberNo: 'M00000004', days: 7 } },
  ],
  rule: {
    keywords: ['订单', '买了什么', '买了啥', '买过什么', '买过啥', '买了哪些', '买过', '购买记录', '消费记录', '消费明细', '购物记录', '买啥', '单子', '账单', '消费流水', 'orders', 'order history', 'purchases', 'purchase history', 'bought', 'buy'],
    extract: { ...MEMBER_REF_EXTRACT, days: 'days', limit: 'count' },
    requires: [MEMBER_REF_SLOTS],
    priority: 3,
  },
  async run(ctx, { days, limit, period, ...ref }) {
    const r = await memberOrders(staffAccess(ctx), ref, { days: days ?? periodDays(period), limit });
    if (r.kind !== 'one') return { text: renderUnresolved(r.search, ctx.lang), data: r.search };
    return { text: renderOrders(r.orders, false, ctx.lang), data: r.orders, focus: { memberId: r.orders.member.id, memberNo: r.orders.member.memberNo } };
  },
});
