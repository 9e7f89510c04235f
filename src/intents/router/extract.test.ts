import { describe, expect, it } from 'vitest';
import { findAmount, findCount, findDays, findDictionaryTags, findMemberNos, findName, findPhones, findTagPhrase } from './extract.ts';
import { parseNumber, scaleDecimal } from './numbers.ts';

const nfkc = (s: string) => s.normalize('NFKC');
const values = <T>(fs: { value: T }[]) => fs.map((f) => f.value);

describe('extractors', () => {
  it('finds phones however they are typed, and not inside longer digit runs', () => {
    expect(values(findPhones('查一下 13800000001'))).toEqual(['13800000001']);
    expect(values(findPhones('138 0000 0001 和 139-1234-5678'))).toEqual(['13800000001', '13912345678']);
    expect(values(findPhones('+86 138 0000 0001'))).toEqual(['13800000001']);
    expect(values(findPhones(nfkc('查１３８０００００００１')))).toEqual(['13800000001']);
    expect(values(findPhones('订单 1380000000123'))).toEqual([]);
    expect(values(findPhones('12800000001'))).toEqual([]);
  });

  it('reads "90+ days" as days, never as an amount, and the last N times of a record as a count (session 19)', () => {
    expect(findDays('at-risk members silent 90+ days')?.value).toBe(90);
    expect(findAmount('at-risk members silent 90+ days')).toBeUndefined();
    expect(findAmount('消费500+的流失会员')?.value).toBe('500.00');
    expect(findCount('李娜最近3次沟通记录')?.value).toBe(3);
    expect(findCount('王芳近五次消费')?.value).toBe(5);
    // The last one spoken of, and a frequency, are no count.
    expect(findCount('周杰最近一次投诉是什么')).toBeUndefined();
    expect(findCount('周杰来了三次')).toBeUndefined();
  });

  it('a count pointed at by 那 / 这 is which ones, not how many (session 20)', () => {
    expect(findCount('郑浩那一单吃了什么')).toBeUndefined();
    expect(findCount('吴敏这两笔是啥')).toBeUndefined();
    expect(findCount('郑浩最近两单')?.value).toBe(2);
    expect(findCount('列5个')?.value).toBe(5);
  });

  it('finds member numbers in either case, standing alone', () => {
    expect(values(findMemberNos('查 m00000001 和 M00000002'))).toEqual(['M00000001', 'M00000002']);
    expect(values(findMemberNos('XM00000001'))).toEqual([]);
  });

  it('finds dictionary tags longest first, case-insensitive, whole ASCII words', () => {
    const dict = ['VIP', '高价值', '高价值客户'];
    expect(values(findDictionaryTags('打上高价值客户标签', dict))).toEqual(['高价值客户']);
    expect(values(findDictionaryTags('tag as vip', dict))).toEqual(['VIP']);
    expect(values(findDictionaryTags('VIPS only', dict))).toEqual([]);
  });

  it('finds an unknown tag name where staff put one', () => {
    expect(findTagPhrase('给 13800000001 打标签 土豪')?.value).toBe('土豪');
    expect(findTagPhrase('给张伟加上土豪标签')?.value).toBe('土豪');
    // A sign before the tag is its verb (session 17).
    expect(findTagPhrase('王芳 标签 +爱吃辣')?.value).toBe('爱吃辣');
    expect(findTagPhrase('13800000003 标签 -老客')?.value).toBe('老客');
    expect(findTagPhrase('去掉 的 土豪 标签')?.value).toBe('土豪');
    expect(findTagPhrase('tag 13800000001 as bigspender')?.value).toBe('bigspender');
    expect(findTagPhrase('remove tag foo from x')?.value).toBe('foo');
    // The verb before the tag is not part of it, and is consumed with it (so no name keeps it).
    expect(findTagPhrase('有VIP标签的会员有几个')?.value).toBe('VIP');
    expect(findTagPhrase('给张伟整个VIP标签')).toEqual({ value: 'VIP', span: { start: 3, end: 8 } });
    expect(findTagPhrase('带娃家庭标签的会员')?.value).toBe('带娃家庭');
    // A verb after 标签 and a pointing word before it are no part of the tag.
    expect(findTagPhrase('13800000005标签加个生日月')?.value).toBe('生日月');
    expect(findTagPhrase('全部都打上投诉过这个标签')?.value).toBe('投诉过');
    // What the speaker thinks or asks after 标签 names no tag (session 19).
    expect(findTagPhrase('先别给流失名单打标签 我再想想')).toBeUndefined();
    expect(findTagPhrase('上次给流失名单打标签是谁弄的')).toBeUndefined();
  });

  it('parses days, amounts and counts, in digits or Chinese numerals', () => {
    expect(findDays('超过120天没来')?.value).toBe(120);
    expect(findDays('最近三十天')?.value).toBe(30);
    expect(findDays('三个月没来')?.value).toBe(90);
    expect(findDays('两周')?.value).toBe(14);
    expect(findDays('over 45 days')?.value).toBe(45);
    expect(findAmount('消费满500元')?.value).toBe('500.00');
    expect(findAmount('¥1,200.5')?.value).toBe('1200.50');
    expect(findAmount('1.5k')?.value).toBe('1500.00');
    expect(findAmount('2万元')?.value).toBe('20000.00');
    expect(findAmount('五百块')?.value).toBe('500.00');
    expect(findAmount('300 yuan')?.value).toBe('300.00');
    expect(findCount('前20')?.value).toBe(20);
    expect(findCount('列前二十名')?.value).toBe(20);
    expect(findCount('top 5')?.value).toBe(5);
    expect(findCount('没有数字')).toBeUndefined();
  });

  it('reads how many to show however it is said, never a period or an amount', () => {
    const count = (t: string) => findCount(t)?.value;
    expect(count('郑凯近3笔订单')).toBe(3);
    expect(count('孙悦最近8单')).toBe(8);
    expect(count('邓超最近十单都买了啥')).toBe(10);
    expect(count('冯涛最近5条跟进记录')).toBe(5);
    expect(count('前15个流失会员')).toBe(15);
    expect(count('show me 4 orders of Song Jia')).toBe(4);
    expect(count('last 6 orders for 13900001111')).toBe(6);
    expect(count('top ten kocs')).toBe(10);
    expect(count('show 7 at-risk members')).toBe(7);
    expect(count('list 20 churned customers')).toBe(20);
    // The lead belongs to the count: no name keeps it ("郑凯近" is no name).
    expect(findCount('郑凯近3笔订单')?.span).toEqual({ start: 2, end: 5 });
    for (const t of ['最近三个月没消费的老客', '两个星期', 'inactive for 2 months', 'over 2k', '90 days inactive members', 'add 100 points']) expect(count(t)).toBeUndefined();
  });

  it('reads periods as spans of days, never a calendar month as months back', () => {
    expect(findDays('王芳上上周买了啥')?.value).toBe(14);
    expect(findDays('上上个月的订单')?.value).toBe(60);
    // A calendar month is marked as one: the router states it as a period, not days (test/intents/blind-brief.md).
    expect(findDays('上上个月的订单')?.month).toBe('month_before_last');
    expect(findDays('what did she order last month')?.month).toBe('last_month');
    expect(findDays('近一月')?.month).toBeUndefined();
    expect(findDays('近俩月 订单')?.value).toBe(60);
    expect(findDays('这半个月的消费记录')?.value).toBe(15);
    expect(findDays('上个礼拜')?.value).toBe(7);
    expect(findDays('前三个月的单')?.value).toBe(90);
    expect(findDays('近3月')?.value).toBe(90);
    expect(findDays('last 3 months')?.value).toBe(90);
    // 仨 counts, as 两 / 俩 do: never a month's name.
    expect(findDays('仨月没来的客人')?.value).toBe(90);
    // A month by name is a calendar period (the dashboard reads it), not 300 days.
    expect(findDays('10月的订单')).toBeUndefined();
    expect(findDays('三月份的')).toBeUndefined();
  });

  it('reads minimum amounts as staff type them: 满, 过万, ≥, and the lower end of a range', () => {
    expect(findAmount('消费满800的')?.value).toBe('800.00');
    expect(findAmount('累计消费过万的')?.value).toBe('10000.00');
    expect(findAmount('消费≥1000')?.value).toBe('1000.00');
    expect(findAmount('消费三百到五百的')?.value).toBe('300.00');
    expect(findAmount('500-1000元')?.value).toBe('500.00');
    expect(findAmount('1k~2k')?.value).toBe('1000.00');
    expect(findAmount('消费500+')?.value).toBe('500.00');
    expect(findAmount('消费过两千的')?.value).toBe('2000.00');
    expect(findAmount('来过两次')).toBeUndefined();
    // A coupon's threshold is not its value; counts and days are no money.
    expect(findAmount('满100减30元的券')?.value).toBe('30.00');
    expect(findAmount('前10-20名')).toBeUndefined();
    expect(findAmount('30到60天')).toBeUndefined();
  });

  it('leaves who relayed a wish out of the name', () => {
    expect(findName('经理说把陈静的新客标签去了', [])?.value).toBe('陈静');
    expect(findName('老板让给周杰加积分', [])?.value).toBe('周杰');
    // Session 19 (2): a disclaimer's 说 is not glued to the name that follows it.
    expect(findName('我没说要删周杰的老客标签啊', [])?.value).toBe('周杰');
    expect(findName('我不是说要给王芳加100积分', [])?.value).toBe('王芳');
    expect(findName('我没说过要给周杰加积分', [])?.value).toBe('周杰');
    // Session 19: the private room and a ticket's priority start with a surname's character, and are no names.
    expect(findName('王芳包间的灯坏了 报修 紧急', [])?.value).toBe('王芳');
    expect(findName('记录一下 来电咨询包间', [])).toBeUndefined();
    expect(findName('建吧 投诉 高优先', [])).toBeUndefined();
    expect(findName('包伟的订单', [])?.value).toBe('包伟');
    expect(findName('take 25 points off Peng Bo', [])?.value).toBe('Peng Bo');
    // What is asked about a member, and the verbs that ask, end a Latin name.
    expect(findName('li na points', [])?.value).toBe('li na');
    expect(findName('wang fang tickets', [])?.value).toBe('wang fang');
    expect(findName('open his tickets', [])).toBeUndefined();
    // English words that read as pinyin are no name (session 18)
    expect(findName('can you add points to members?', [])).toBeUndefined();
    expect(findName('can we open tickets here', [])).toBeUndefined();
    expect(findName('do you know if Wang Fang got her points', [])?.value).toBe('Wang Fang');
  });

  it('parses Chinese numerals and scales decimals exactly', () => {
    expect(parseNumber('一百二十')).toBe(120);
    expect(parseNumber('十五')).toBe(15);
    expect(parseNumber('两千零五')).toBe(2005);
    expect(parseNumber('三万五千')).toBe(35000);
    expect(parseNumber('abc')).toBeUndefined();
    expect(scaleDecimal('0.1', 1000)).toBe('100.00');
    expect(scaleDecimal('1.23', 1)).toBe('1.23');
  });

  it('finds a name in what is left after trigger words and fillers', () => {
    expect(findName('查一下 张伟', [{ start: 0, end: 3 }])?.value).toBe('张伟');
    expect(findName('张伟的会员档案', [{ start: 5, end: 7 }])?.value).toBe('张伟');
    expect(findName('find Zhang Wei', [{ start: 0, end: 4 }])?.value).toBe('Zhang Wei');
    expect(findName('查一下 li.na@example.com', [{ start: 0, end: 3 }])?.value).toBe('li.na@example.com');
    expect(findName('find Wang.Fang+crm@Mail.Example.CN please', [{ start: 0, end: 4 }])?.value).toBe('Wang.Fang+crm@Mail.Example.CN');
    expect(findName('查一下 12', [{ start: 0, end: 3 }])).toBeUndefined();
    // A question glued to the name, and reported speech, are not part of it.
    expect(findName('陈静几级', [])?.value).toBe('陈静');
    expect(findName('欧阳娜娜啥等级', [])?.value).toBe('欧阳娜娜');
    expect(findName('顾客说要给她建个投诉单', [])).toBeUndefined();
    expect(findName("what's 陈静's points balance", [])?.value).toBe('陈静');
    expect(findName('Zhang Wei for me', [])?.value).toBe('Zhang Wei');
    expect(findName('are our top referrers', [])).toBeUndefined();
    // The pronoun one stands for the ticket or member spoken of, never a member called One.
    expect(findName('open one: she says the bill was wrong', [])).toBeUndefined();
    expect(findName("this one's level?", [])).toBeUndefined();
    expect(findName('Wang Fang, another one for the VIP list', [])?.value).toBe('Wang Fang');
    // Tag verbs, logging words, money and place words, negations and question words are not names.
    expect(findName('给王芳打VIP标签', [{ start: 4, end: 9 }])?.value).toBe('王芳');
    expect(findName('帮我登记一下张伟到店表扬', [{ start: 2, end: 6 }])?.value).toBe('张伟');
    expect(findName("don't tag Zhang Wei as VIP", [{ start: 6, end: 9 }, { start: 23, end: 26 }])?.value).toBe('Zhang Wei');
    expect(findName('她上个月在我们这花了多少钱', [{ start: 1, end: 4 }])).toBeUndefined();
    expect(findName('那他几级', [])).toBeUndefined();
    // After a pronoun comes what happened, not a name; before it, a name still counts.
    expect(findName('帮他开个报修单,包间空调不制冷', [{ start: 3, end: 7 }])).toBeUndefined();
    expect(findName('add 100 points to her for her birthday', [{ start: 0, end: 14 }])).toBeUndefined();
    expect(findName('张伟,他上个月买了啥', [{ start: 8, end: 10 }])?.value).toBe('张伟');
    // A grammatical word glued after a two-character name is not part of it; a third name character is.
    expect(findName('周杰是几级会员', [])?.value).toBe('周杰');
    expect(findName('王芳还剩多少分', [])?.value).toBe('王芳');
    expect(findName('刘洋跟咱有过啥沟通', [])?.value).toBe('刘洋');
    expect(findName('张伟华的订单', [{ start: 4, end: 6 }])?.value).toBe('张伟华');
    // Shorthand: a slash, an arrow or a plus after the name, or a Latin word glued to it, ends it.
    expect(findName('王芳/订单', [])?.value).toBe('王芳');
    expect(findName('李娜→工单', [])?.value).toBe('李娜');
    expect(findName('周杰lv', [])?.value).toBe('周杰');
    expect(findName('陈静+VIP', [{ start: 3, end: 6 }])?.value).toBe('陈静');
    expect(findName('Zhang Wei/orders', [])?.value).toBe('Zhang Wei');
    // A household before the name is no pointer at a member ("他们家王芳", "她家陈静").
    expect(findName('他们家王芳最近三个月都点了些啥菜啊我看看', [])?.value).toBe('王芳');
    expect(findName('她家陈静订单', [])?.value).toBe('陈静');
  });

  it('takes no tag from words that only point at one or ask about it', () => {
    expect(findTagPhrase('不是这个标签')).toBeUndefined();
    expect(findTagPhrase('给她打标签了吗')).toBeUndefined();
    expect(findTagPhrase('什么标签')).toBeUndefined();
    expect(findTagPhrase('打标签 吃货')?.value).toBe('吃货');
  });
});

describe('session 22: the member named after the sentence that pointed at them', () => {
  it('reads a name alone at the end after a pronoun, never an everyday word there', () => {
    expect(findName('帮他记一下 周末要包间 刘洋', [])?.value).toBe('刘洋');
    expect(findName('她的积分扣30 陈静', [])?.value).toBe('陈静');
    expect(findName('给她记一下 高兴', [])).toBeUndefined();
    expect(findName('给他加50分 生日', [])).toBeUndefined();
  });
});
