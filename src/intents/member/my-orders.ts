import { z } from 'zod';
import { myOrders } from '../../crm/loyalty/index.ts';
import { renderOrders } from '../render/orders.ts';
import { defineIntent } from '../types.ts';
import { selfAccess } from './self.ts';
import { ORDER_PERIOD, periodDays } from '../slots/order-period.ts';

/** The member's own recent orders. */
export const myOrdersIntent = defineIntent({
  name: 'my.orders',
  audience: 'member',
  description: "List the member's own recent orders, optionally only the last N days.",
  title: '我的订单',
  permission: null,
  effect: 'read',
  slots: z.object({
    days: z.number().int().min(1).max(3650).optional().describe('only orders of the last N days'),
    limit: z.number().int().min(1).max(20).optional().describe('how many orders to show (default 5)'),
    period: ORDER_PERIOD,
  }),
  examples: [
    { text: '我最近买了什么', slots: {} },
    { text: 'my orders', slots: {} },
    { text: '我最近30天的订单', slots: { days: 30 } },
  ],
  rule: {
    keywords: ['订单', '买了什么', '买过什么', '买了啥', '买过', '购买记录', '消费记录', '消费明细', '小票', '买的东西', 'orders', 'order', 'purchases', 'bought', 'buy', 'order history'],
    extract: { days: 'days', limit: 'count' },
    priority: 2,
  },
  async run(ctx, { days, limit, period }) {
    return { text: renderOrders(await myOrders(selfAccess(ctx), { days: days ?? periodDays(period), limit }), true, ctx.lang) };
  },
});
