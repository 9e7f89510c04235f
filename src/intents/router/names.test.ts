import { describe, expect, it } from 'vitest';
import { findAmount, findDictionaryTags, findName } from './extract.ts';
import { hanName, latinNameLike } from './names.ts';

describe('names are leftovers that look like names', () => {
  it.each([
    ['给周杰打标签', '周杰'],
    ['打标 周杰 老客', '周杰'],
    ['check 王芳 points', '王芳'],
    ['就是那个刘洋', '刘洋'],
    ['别动王芳的积分', '王芳'],
    ['陈静之前的投诉记录调出来看看', '陈静'],
    ['张 订单', '张'],
    ['zhang wei', 'zhang wei'],
    ['Zhang Wei 的订单', 'Zhang Wei'],
  ])('%s → %s', (text, name) => {
    expect(findName(text, [])?.value).toBe(name);
  });
  it.each(['还有', '要看', '去掉', '快到时间', 'check', 'overdue 工单'])('%s is no name', (text) => {
    expect(findName(text, [])).toBeUndefined();
  });
  it('keeps a run that starts with a surname, or the name at its end', () => {
    expect(hanName('欧阳娜娜')).toBe('欧阳娜娜');
    expect(hanName('那个刘洋')).toBe('刘洋');
    expect(hanName('还有')).toBeUndefined();
    expect(latinNameLike('Tony')).toBe(true);
    expect(latinNameLike('xiaowen')).toBe(true);
    expect(latinNameLike('check')).toBe(false);
  });
});

describe('amounts and tags staff type tersely', () => {
  it('reads an amount after a comparative, not a count of days', () => {
    expect(findAmount('消费超过一千的前五个')?.value).toBe('1000.00');
    expect(findAmount('大于2000')?.value).toBe('2000.00');
    expect(findAmount('超过120天没来')).toBeUndefined();
    expect(findAmount('至少3次')).toBeUndefined();
  });
  it('reads a tag in the plural, never inside another word', () => {
    expect(findDictionaryTags('how many VIPs do we have', ['VIP']).map((f) => f.value)).toEqual(['VIP']);
    expect(findDictionaryTags('VIPS', ['VIP'])).toEqual([]);
  });
});
