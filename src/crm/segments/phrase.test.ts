import { describe, expect, it } from 'vitest';
import { describeTree, parsePhrase } from './phrase.ts';
import { parseSegmentTree, type SegmentNode } from './tree.ts';

const NOW = new Date('2026-11-21T04:00:00Z');
const root = (text: string) => {
  const r = parsePhrase(text, NOW);
  expect(r.unparsed).toEqual([]);
  // Whatever the parser builds must be a valid tree.
  return parseSegmentTree(r.tree).root;
};

describe('condition phrase parser', () => {
  const cases: [string, SegmentNode][] = [
    ['最近90天没消费 且 累计消费大于2000', { and: [{ metric: 'order_count', days: 90, op: 'eq', value: 0 }, { metric: 'spend', op: 'gt', value: '2000.00' }] }],
    ['等级>3 且 最近30天消费>500元', { and: [{ field: 'level', op: 'gt', value: 3 }, { metric: 'spend', days: 30, op: 'gt', value: '500.00' }] }],
    ['等级 > 3，近30天消费500元以上', { and: [{ field: 'level', op: 'gt', value: 3 }, { metric: 'spend', days: 30, op: 'gte', value: '500.00' }] }],
    ['最近 90 天没消费', { metric: 'order_count', days: 90, op: 'eq', value: 0 }],
    ['三个月未下单', { metric: 'order_count', days: 90, op: 'eq', value: 0 }],
    ['超过60天没来', { metric: 'order_count', days: 60, op: 'eq', value: 0 }],
    ['最近30天消费3次以上', { metric: 'order_count', days: 30, op: 'gte', value: 3 }],
    ['近两周下单≥2次', { metric: 'order_count', days: 14, op: 'gte', value: 2 }],
    ['累计消费5次以上', { metric: 'order_count', op: 'gte', value: 5 }],
    ['累计消费1.5万以上', { metric: 'spend', op: 'gte', value: '15000.00' }],
    ['总消费不超过两千元', { metric: 'spend', op: 'lte', value: '2000.00' }],
    ['最近一次消费超过60天', { metric: 'days_since_last_order', op: 'gt', value: 60 }],
    ['90天内有投诉', { metric: 'complaint_count', days: 90, op: 'gte', value: 1 }],
    ['最近三个月没有投诉', { metric: 'complaint_count', days: 90, op: 'eq', value: 0 }],
    ['3级及以上会员', { field: 'level', op: 'gte', value: 3 }],
    ['会员等级为2', { field: 'level', op: 'eq', value: 2 }],
    ['积分1000以上', { field: 'points', op: 'gte', value: 1000 }],
    ['积分小于100', { field: 'points', op: 'lt', value: 100 }],
    ['女性', { field: 'gender', op: 'eq', value: 'female' }],
    ['性别男', { field: 'gender', op: 'eq', value: 'male' }],
    ['5月生日', { field: 'birthday_month', op: 'eq', value: 5 }],
    ['生日在十二月', { field: 'birthday_month', op: 'eq', value: 12 }],
    ['本月生日', { field: 'birthday_month', op: 'eq', value: 11 }],
    ['有VIP标签', { tag: 'VIP' }],
    ['没有「流失风险」标签', { tag: '流失风险', has: false }],
    ['标签为高价值', { tag: '高价值' }],
    ['来源小程序', { field: 'source_channel', op: 'eq', value: 'miniprogram' }],
    ['企业微信注册的会员', { field: 'source_channel', op: 'eq', value: 'wecom' }],
    ['不是女性', { not: { field: 'gender', op: 'eq', value: 'female' } }],
    ['女性 或 5月生日', { or: [{ field: 'gender', op: 'eq', value: 'female' }, { field: 'birthday_month', op: 'eq', value: 5 }] }],
    ['等级≥3 且 有VIP标签 或 累计消费大于1万', { or: [{ and: [{ field: 'level', op: 'gte', value: 3 }, { tag: 'VIP' }] }, { metric: 'spend', op: 'gt', value: '10000.00' }] }],
  ];
  for (const [text, expected] of cases) it(text, () => expect(root(text)).toEqual(expected));

  it('says which part it did not understand', () => {
    expect(parsePhrase('最近90天没消费 且 喜欢喝咖啡', NOW)).toEqual({ unparsed: ['喜欢喝咖啡'] });
    expect(parsePhrase('随便来点', NOW).unparsed).toEqual(['随便来点']);
    expect(parsePhrase('', NOW).tree).toBeUndefined();
  });

  it('describes a tree in words', () => {
    expect(describeTree({ version: 1, root: root('最近90天没消费 且 累计消费大于2000') })).toBe('最近90天消费次数 = 0 且 累计消费金额 > ¥2000.00');
    expect(describeTree({ version: 1, root: root('女性 或 不是3级以上') })).toBe('性别 = 女 或 非（等级 ≥ 3）');
  });
});
