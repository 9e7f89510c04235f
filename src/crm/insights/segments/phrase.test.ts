import { describe, expect, it } from 'vitest';
import { describeTree, parsePhrase, phraseKind } from '../../../intents/parse/segment-phrase.ts';
import { parseSegmentTree, type SegmentNode } from './tree.ts';

const NOW = new Date('2026-11-21T04:00:00Z');
const root = (text: string) => {
  const r = parsePhrase(text, NOW);
  expect(r.unparsed).toEqual([]);
  // Whatever the parser builds must be a valid tree.
  return parseSegmentTree(r.tree).root;
};

describe('birthday months follow the China calendar', () => {
  it('本月生日 at 02:00 on 1 December in China (still 30 November in UTC) means December', () => {
    const at = new Date('2026-11-30T18:00:00Z');
    expect(parseSegmentTree(parsePhrase('本月生日', at).tree).root).toEqual({ field: 'birthday_month', op: 'eq', value: 12 });
    expect(parseSegmentTree(parsePhrase('下月生日', at).tree).root).toEqual({ field: 'birthday_month', op: 'eq', value: 1 });
  });
});

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
    ['最近30天有消费', { metric: 'order_count', days: 30, op: 'gte', value: 1 }],
    ['最近60天消费次数大于2', { metric: 'order_count', days: 60, op: 'gt', value: 2 }],
    ['近三个月消费过', { metric: 'order_count', days: 90, op: 'gte', value: 1 }],
    ['60天内有下单', { metric: 'order_count', days: 60, op: 'gte', value: 1 }],
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
    ['参加过 2026中秋品鉴会 活动', { activity: '2026中秋品鉴会' }],
    ['最近90天参加过活动 2026中秋品鉴会', { activity: '2026中秋品鉴会', days: 90 }],
    ['近三个月参与过新品试吃会', { activity: '新品试吃会', days: 90 }],
    ['没参加过「春茶 与 点心节」活动 且 等级>3', { and: [{ activity: '春茶 与 点心节', joined: false }, { field: 'level', op: 'gt', value: 3 }] }],
    ['女性 和 参加过中秋品鉴会活动', { and: [{ field: 'gender', op: 'eq', value: 'female' }, { activity: '中秋品鉴会' }] }],
    ['最近30天注册的会员', { field: 'registered_at', op: 'gte', value: '-30d' }],
    ['30天内新注册', { field: 'registered_at', op: 'gte', value: '-30d' }],
    ['近一个月入会 且 没有VIP标签', { and: [{ field: 'registered_at', op: 'gte', value: '-30d' }, { tag: 'VIP', has: false }] }],
    ['注册超过一年', { field: 'registered_at', op: 'lt', value: '-365d' }],
    ['注册不到90天', { field: 'registered_at', op: 'gt', value: '-90d' }],
    ['入会满3个月', { field: 'registered_at', op: 'lte', value: '-90d' }],
    ['注册时间一年以上', { field: 'registered_at', op: 'lt', value: '-365d' }],
    ['浏览过 D-001 至少 3 次 最近30天', { event: 'product_viewed', ref: 'D-001', min: 3, days: 30 }],
    ['最近30天浏览过水煮鱼3次以上', { event: 'product_viewed', ref: '水煮鱼', min: 3, days: 30 }],
    ['浏览过 水煮鱼 至少 3 次 最近 30 天 且 没有VIP标签', { and: [{ event: 'product_viewed', ref: '水煮鱼', min: 3, days: 30 }, { tag: 'VIP', has: false }] }],
    ['浏览过D-001超过2次', { event: 'product_viewed', ref: 'D-001', min: 3 }],
    ['浏览过商品 D-001', { event: 'product_viewed', ref: 'D-001' }],
    ['最近30天报名过活动', { event: 'activity_registered', days: 30 }],
    ['报名过活动 最近30天', { event: 'activity_registered', days: 30 }],
    ['报名过A-7活动 且 等级>3', { and: [{ event: 'activity_registered', ref: 'A-7' }, { field: 'level', op: 'gt', value: 3 }] }],
    ['没签到过活动「A-7」', { not: { event: 'activity_checked_in', ref: 'A-7' } }],
    ['提交过问卷 F-1', { event: 'form_submitted', ref: 'F-1' }],
    ['加入过社群 或 女性', { or: [{ event: 'group_joined' }, { field: 'gender', op: 'eq', value: 'female' }] }],
    ['最近7天核销过优惠券', { event: 'coupon_redeemed', days: 7 }],
    ['等级≥3 且 有VIP标签 或 累计消费大于1万', { or: [{ and: [{ field: 'level', op: 'gte', value: 3 }, { tag: 'VIP' }] }, { metric: 'spend', op: 'gt', value: '10000.00' }] }],
  ];
  for (const [text, expected] of cases) it(text, () => expect(root(text)).toEqual(expected));

  it('says which part it did not understand', () => {
    expect(parsePhrase('最近90天没消费 且 喜欢喝咖啡', NOW)).toEqual({ unparsed: ['喜欢喝咖啡'] });
    expect(parsePhrase('随便来点', NOW).unparsed).toEqual(['随便来点']);
    expect(parsePhrase('', NOW).tree).toBeUndefined();
    // An activity clause is lifted out before splitting; the part around it is still reported as typed.
    expect(parsePhrase('参加过 中秋品鉴会 活动 且 喜欢喝咖啡', NOW)).toEqual({ unparsed: ['喜欢喝咖啡'] });
    expect(parsePhrase('注册一年', NOW).unparsed).toEqual(['注册一年']);
  });

  it('reads a clause naming a tag of the dictionary alone as that tag, and nothing else', () => {
    const tags = ['家庭客', '爱吃辣', '老客'];
    const tree = (text: string) => parseSegmentTree(parsePhrase(text, NOW, { tags }).tree).root;
    expect(tree('家庭客 且 最近30天消费过')).toMatchObject({ and: [{ tag: '家庭客' }, {}] });
    expect(tree('爱吃辣的 或 不是老客')).toEqual({ or: [{ tag: '爱吃辣' }, { tag: '老客', has: false }] });
    // Without the dictionary, or for a word not in it, the clause is still not understood.
    expect(parsePhrase('家庭客', NOW).unparsed).toEqual(['家庭客']);
    expect(parsePhrase('喜欢喝咖啡', NOW, { tags }).unparsed).toEqual(['喜欢喝咖啡']);
  });

  it('reads two dictionary tags joined by 的 as both, and a tag or a level said in English (session 26)', () => {
    const tags = ['家庭客', '爱吃辣', '老客', 'VIP'];
    const tree = (text: string) => parseSegmentTree(parsePhrase(text, NOW, { tags }).tree).root;
    expect(tree('爱吃辣的老客')).toEqual({ and: [{ tag: '爱吃辣' }, { tag: '老客' }] });
    expect(tree('VIP的家庭客 且 等级>=2')).toMatchObject({ and: [{ and: [{ tag: 'VIP' }, { tag: '家庭客' }] }, { field: 'level', op: 'gte', value: 2 }] });
    expect(tree('tag 爱吃辣 and level >= 3')).toEqual({ and: [{ tag: '爱吃辣' }, { field: 'level', op: 'gte', value: 3 }] });
    expect(tree('tagged VIP')).toEqual({ tag: 'VIP' });
    expect(tree('level 4+')).toEqual({ field: 'level', op: 'gte', value: 4 });
    // A word beside 的 that is no tag keeps the clause not understood; so does a negated pair.
    expect(parsePhrase('爱吃辣的朋友', NOW, { tags }).unparsed).toEqual(['爱吃辣的朋友']);
    expect(parsePhrase('不是爱吃辣的老客', NOW, { tags }).unparsed).toEqual(['不是爱吃辣的老客']);
  });

  it('describes a tree in words', () => {
    expect(describeTree({ version: 1, root: root('最近90天没消费 且 累计消费大于2000') })).toBe('最近90天消费次数 = 0 且 累计消费金额 > ¥2000.00');
    expect(describeTree({ version: 1, root: root('女性 或 不是3级以上') })).toBe('性别 = 女 或 非（等级 ≥ 3）');
    expect(describeTree({ version: 1, root: root('最近90天参加过活动 中秋品鉴会 且 最近30天注册的') })).toBe('最近90天参加过「中秋品鉴会」活动 且 注册时间 ≥ 30天前');
    expect(describeTree({ version: 1, root: root('没参加过中秋品鉴会活动') })).toBe('没参加过「中秋品鉴会」活动');
    expect(describeTree({ version: 1, root: root('浏览过 D-001 至少 3 次 最近30天') })).toBe('最近30天浏览过商品「D-001」 至少3次');
    expect(describeTree({ version: 1, root: root('最近30天报名过活动') })).toBe('最近30天报名过活动');
  });

  it('reads score conditions: churn level and RFM cells (the word RFM required, so 新客 stays a tag name)', () => {
    expect(root('流失风险高')).toEqual({ score: 'churn_level', op: 'eq', value: 'high' });
    expect(root('高流失风险的会员 且 累计消费大于2000')).toEqual({ and: [{ score: 'churn_level', op: 'eq', value: 'high' }, { metric: 'spend', op: 'gt', value: '2000.00' }] });
    expect(root('流失风险为中 或 RFM 冠军会员')).toEqual({ or: [{ score: 'churn_level', op: 'eq', value: 'medium' }, { score: 'rfm_cell', op: 'eq', value: 'champions' }] });
    expect(root('RFM冠军')).toEqual({ score: 'rfm_cell', op: 'eq', value: 'champions' });
    expect(root('rfm分群为沉睡会员')).toEqual({ score: 'rfm_cell', op: 'eq', value: 'hibernating' });
    expect(root('有流失风险标签')).toEqual({ tag: '流失风险' });
    expect(parsePhrase('新客', NOW).unparsed).toEqual(['新客']);
    expect(parsePhrase('RFM 大客户', NOW).tree).toBeUndefined();
    expect(describeTree({ version: 1, root: root('RFM冠军 且 流失风险低') })).toBe('RFM 分群 = 冠军会员 且 流失风险等级 = 低');
  });

  it('hears 静态 / 动态 as how to keep the list, not as a condition', () => {
    expect(parsePhrase('静态 最近90天没消费', NOW)).toEqual({ tree: { version: 1, root: { metric: 'order_count', days: 90, op: 'eq', value: 0 } }, unparsed: [], kind: 'static' });
    expect(parsePhrase('最近90天没消费，存为静态名单', NOW).kind).toBe('static');
    expect(parsePhrase('动态 女性', NOW).kind).toBe('dynamic');
    expect('kind' in parsePhrase('女性', NOW)).toBe(false);
    expect(phraseKind('创建静态人群包 沉睡：最近90天没消费')).toBe('static');
    expect(phraseKind('创建人群包 沉睡：最近90天没消费')).toBeUndefined();
  });
});
