import { describe, expect, it } from 'vitest';
import { findAmount, findDictionaryTags, findName } from './extract.ts';
import { cutName, hanName, latinNameLike } from './names.ts';

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

describe('a name glued to the words after it', () => {
  it.each([
    ['孙悦记一下 到店咨询储值卡', '孙悦'],
    ['潘玲离店时说菜太咸 记一下', '潘玲'],
    ['郑凯这个月买了什么', '郑凯'],
    ['给何欢退回40分', '何欢'],
    ['扣郑凯80积分', '郑凯'],
    ['宋佳多加的70分', '宋佳'],
    ['陈静离升级还差多少', '陈静'],
    ['帮刘洋挂个投诉过的标签', '刘洋'],
    ['帮周雨桐标一下', '周雨桐'],
    ['王芳刚到店夸服务好', '王芳'],
    ['孙佳怡是几级会员', '孙佳怡'],
    ['周杰嘅资料全部', '周杰'],
    ['欧阳娜娜记一下', '欧阳娜娜'],
  ])('%s → %s', (text, name) => {
    expect(findName(text, [])?.value).toBe(name);
  });
  it.each(['还有记录', '这个月的订单', '上周来过几次', '最近10单', 'top 10 kocs'])('%s has no name in it', (text) => {
    expect(findName(text, [])).toBeUndefined();
  });
  it('cuts at a verb, particle, time word or count after a surname and one or two characters; a whole name stays whole', () => {
    expect(cutName('王芳记一下')).toBe('王芳');
    expect(cutName('张伟华记一下')).toBe('张伟华');
    expect(cutName('罗敏三个月')).toBe('罗敏');
    expect(cutName('唐宁上周')).toBe('唐宁');
    // Characters that often end a given name are cut only inside a word: 李小花, 王小明, 志刚 stay.
    expect(cutName('李小花')).toBe('李小花');
    expect(cutName('王小明')).toBe('王小明');
    expect(cutName('李志刚')).toBe('李志刚');
    expect(cutName('李小花花了多少')).toBe('李小花');
    // Not a surname first: nothing to cut.
    expect(cutName('还有记录')).toBe('还有记录');
  });
});

describe('amounts and tags staff type tersely', () => {
  it('reads an amount after a comparative, not a count of days', () => {
    expect(findAmount('消费超过一千的前五个')?.value).toBe('1000.00');
    expect(findAmount('大于2000')?.value).toBe('2000.00');
    expect(findAmount('超过120天没来')).toBeUndefined();
    expect(findAmount('至少3次')).toBeUndefined();
    // A decimal or a thousands comma after the comparative is read as written, not as a numeral.
    expect(findAmount('消费超过2.5万的')?.value).toBe('25000.00');
    expect(findAmount('消费超过1,000的')?.value).toBe('1000.00');
    expect(findAmount('高于1.2千')?.value).toBe('1200.00');
  });
  it('reads a tag in the plural, never inside another word', () => {
    expect(findDictionaryTags('how many VIPs do we have', ['VIP']).map((f) => f.value)).toEqual(['VIP']);
    expect(findDictionaryTags('VIPS', ['VIP'])).toEqual([]);
  });
});
