import { describe, expect, it } from 'vitest';
import { ordinalChoice } from './ordinal.ts';

describe('ordinalChoice', () => {
  it('reads a number, a Chinese ordinal or an English one as the 0-based option', () => {
    const cases: [string, number][] = [['1', 0], ['2.', 1], ['２', 1], ['第二个', 1], ['第3个', 2], ['选2', 1], ['二', 1], ['就第一个吧', 0], ['the second', 1], ['second one', 1], ['option 3', 2], ['#1', 0], ['2nd', 1], ['最后一个', 2], ['the last one', 2], ['第二个就行', 1], ['那就选2', 1], ['嗯 第一个', 0], ['第三位那个', 2], ['ok the first one', 0], ['the first one?', 0], ['第二个？', 1], ['第二個', 1], ['最後一個', 2]];
    for (const [text, i] of cases) expect(ordinalChoice(text, 3), text).toBe(i);
  });

  it('is no choice out of range or inside a longer message', () => {
    for (const text of ['4', '0', '第五个', '13800000003', '2个月', '查一下第二个会员的订单', 'second thoughts', '', '那就这样', '好的']) expect(ordinalChoice(text, 3), text).toBeNull();
  });
});
