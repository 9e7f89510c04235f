import { z } from 'zod';
import { formatDate, formatYuan } from '../../crm/kernel/index.ts';
import { myCoupons } from '../../crm/loyalty/index.ts';
import { defineIntent } from '../types.ts';
import { t } from '../../i18n/index.ts';
import { selfAccess } from './self.ts';

/** The member's usable coupons. */
export const myCouponsIntent = defineIntent({
  name: 'my.coupons',
  audience: 'member',
  description: "List the member's own usable coupons with their expiry dates.",
  title: '我的优惠券',
  permission: null,
  effect: 'read',
  slots: z.object({}),
  examples: [
    { text: '我有哪些优惠券', slots: {} },
    { text: 'my coupons', slots: {} },
    { text: '券还能用吗', slots: {} },
  ],
  rule: { keywords: ['优惠券', '代金券', '抵用券', '折扣券', '券', '红包', '优惠', 'coupons', 'coupon', 'vouchers', 'voucher'], priority: 3 },
  async run(ctx) {
    const coupons = await myCoupons(selfAccess(ctx));
    if (coupons.length === 0) return { text: t(ctx.lang, 'member-self.noCoupons') };
    return {
      text: [
        t(ctx.lang, 'member-self.coupons', { count: coupons.length }),
        ...coupons.map((c) => t(ctx.lang, 'member-self.coupon', { title: c.title, amount: c.amount ? ` ${formatYuan(c.amount)}` : '', code: c.code, expires: c.expiresAt ? t(ctx.lang, 'member-self.couponExpires', { date: formatDate(c.expiresAt) }) : '' })),
      ].join('\n'),
    };
  },
});
