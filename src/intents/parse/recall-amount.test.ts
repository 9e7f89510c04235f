import { describe, expect, it } from 'vitest';
import { recallAmount } from './recall-amount.ts';

/** A recall's face value said bare after the recall's own words (session 17). */
describe('recallAmount', () => {
  it.each([
    ['发召回 25', '25.00'],
    ['流失的发券 20', '20.00'],
    ['把快流失的那批人召回一下 每人送30', '30.00'],
    ['召回一下流失的 每人发50', '50.00'],
    ['recall the lapsed ones, 30 each', '30.00'],
    ['win back the churned, 15 per person', '15.00'],
    // Session 20: the figure before the coupon word.
    ['win back the lapsed with a 40 voucher', '40.00'],
    ['churned ones, send a 25 coupon', '25.00'],
    ['沉睡的发个35的券', '35.00'],
    // Session 26: a figure sent, with 的 or where the request ends.
    ['说真的 发25的', '25.00'],
    ['要不要再给沉睡的发一轮20的？', '20.00'],
    ['那就发个45', '45.00'],
  ])('%s → %s', (text, amount) => expect(recallAmount(text)).toBe(amount));

  it.each(['召回流失90天的会员', '召回前50个', '每人3张券', '召回 3 个月没来的', 'recall members lapsed 60 days', '每人送20积分', '召回率 30%', '3 coupons each', '发3张券', '发50个', '发30天的'])('reads no face value in %s', (text) =>
    expect(recallAmount(text)).toBeUndefined(),
  );
});
