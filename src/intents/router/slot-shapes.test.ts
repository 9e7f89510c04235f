import { describe, expect, it } from 'vitest';
import { calendarPeriodFromText, dateRangeFromText, monthOfRequest, namedPeriodFromText } from '../parse/health-request.ts';
import { parseInteraction } from '../parse/service-text.ts';
import { transferParties } from '../slots/transfer-parties.ts';
import { intents } from '../catalogue.ts';
import { EVAL_DICTIONARIES, EVAL_STORES, EVAL_TAGS } from '../eval/evaluate.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { withoutTrailingThanks } from './combined.ts';
import { findAmount, findDays, findDictionaryTags, findName, findPhoneTails, findTagPhrase } from './extract.ts';
import { parseNumber } from './numbers.ts';
import { createRuleRouter } from './rules.ts';
import { findStore } from './stores.ts';

const NOV = new Date('2026-11-21T04:00:00.000Z'); // Saturday, China time
const router = createRuleRouter(intents, EVAL_DICTIONARIES);
const slotsOf = async (text: string) => {
  const { text: _t, ...slots } = (await router.route(text, offlineContext('staff'))).slots as Record<string, unknown>;
  return slots;
};

/** Slot shapes staff type that the earlier rounds lacked (session 16, issue 11). */
describe('slot shapes', () => {
  it('reads the last four digits of a phone as the phone the customers module searches by', async () => {
    expect(findPhoneTails('尾号8866的会员').map((f) => f.value)).toEqual(['尾号8866']);
    expect(findPhoneTails('手机后四位7712 / *3390 / ending in 5521').map((f) => f.value)).toEqual(['尾号7712', '尾号3390', '尾号5521']);
    expect(findPhoneTails('满2000送100 / 13800000001')).toEqual([]);
    expect(await slotsOf('手机尾号0423最近的订单')).toMatchObject({ phone: '尾号0423' });
  });

  it('reads a surname and a title as the surname (a name prefix)', () => {
    for (const [text, name] of [['王姐最近买了啥', '王'], ['李总的档案', '李'], ['张老师是几级会员', '张'], ['欧阳经理的订单', '欧阳']] as const) {
      expect(findName(text, [])?.value).toBe(name);
    }
    expect(findName('王芳的订单', [])?.value).toBe('王芳');
  });

  it('cuts a name glued to a verb and Latin words, and to 上回 / 建的 / 不是', () => {
    expect(findName('陈静打过VIP标签了吗', [])?.value).toBe('陈静');
    expect(findName('刘洋上回来店里点的什么菜', [])?.value).toBe('刘洋');
    expect(findName('给李娜建的单处理完没', [])?.value).toBe('李娜');
  });

  it('reads tags through spaces, emoji, hashtags and quotes', () => {
    expect(findDictionaryTags('龚磊加个标签 商务 宴请', EVAL_TAGS).map((f) => f.value)).toEqual(['商务宴请']);
    expect(findTagPhrase('VIP👑标签的会员')?.value).toBe('VIP');
    expect(findTagPhrase('tag Wei Dong as "家庭客"')?.value).toBe('家庭客');
    expect(findName('给顾晨打个#', [])?.value).toBe('顾晨');
  });

  it('reads amounts said the way they are spoken', () => {
    expect(parseNumber('两千五')).toBe(2500);
    expect(parseNumber('三百五')).toBe(350);
    expect(parseNumber('一万二')).toBe(12000);
    expect(parseNumber('一百零五')).toBe(105);
    expect(parseNumber('二十五')).toBe(25);
    expect(findAmount('给流失会员发个两百的券')?.value).toBe('200.00');
    expect(findAmount('召回券 面额25')?.value).toBe('25.00');
    expect(findAmount('发券 发3张')).toBeUndefined();
  });

  it('reads spelled-out English periods, and keeps "twenty" from being thanks', () => {
    expect(findDays('over the past two weeks')?.value).toBe(14);
    expect(findDays('last three months')?.value).toBe(90);
    expect(withoutTrailingThanks('churn list top twenty')).toBe('churn list top twenty');
    expect(withoutTrailingThanks('churn list top 5 ty')).toBe('churn list top 5');
  });

  it('names a store by its code, or by its city when the city has one store', () => {
    expect(findStore('SH-JA 本月流失率', EVAL_STORES)?.value).toBe('上海静安店');
    expect(findStore('杭州那家店有多少会员', EVAL_STORES)?.value).toBe('杭州西湖店');
    expect(findStore('上海店流失名单', EVAL_STORES)).toBeUndefined();
  });

  it("reads a dashboard's month, the period asked beside its baseline, quarters and dotted ranges", () => {
    expect(monthOfRequest('churn rate for september')).toBe(9);
    expect(monthOfRequest('去年10月流失率')).toBeUndefined();
    expect(monthOfRequest('11月3号到10号的新增会员')).toBeUndefined();
    expect(namedPeriodFromText('这个季度客单价比上季度是涨了还是跌了')).toBe('this_quarter');
    expect(namedPeriodFromText('上个月的客单价跟去年比怎么样')).toBe('last_month');
    expect(namedPeriodFromText('上上周流失率')).toBeUndefined();
    expect(calendarPeriodFromText('上上周流失率', NOV)?.period).toEqual({ unit: 'week', offset: -2 });
    expect(calendarPeriodFromText('Q3复购率', NOV)?.period).toEqual({ unit: 'quarter', offset: -1 });
    expect(calendarPeriodFromText('一季度的客单价', NOV)?.period).toEqual({ unit: 'quarter', offset: -3 });
    expect(dateRangeFromText('复购率 11.3-11.10', NOV)).toEqual({ from: '2026-11-03', to: '2026-11-10' });
  });

  it('keeps a planned follow-up day out of the channel, and reads English visits and bookings', () => {
    expect(parseInteraction('M00000001 微信咨询生日宴 周五回访', ['M00000001']).stated).toMatchObject({ channel: 'wechat', type: 'consultation' });
    expect(parseInteraction('M00000001 微信咨询生日宴 周五回访', ['M00000001']).content).toContain('周五回访');
    expect(parseInteraction('log: 王芳 came in and praised the waiter', ['王芳']).stated).toMatchObject({ channel: 'store', type: 'praise' });
    expect(parseInteraction('13800000003 called to book a table for 8', ['13800000003']).stated).toMatchObject({ channel: 'call', type: 'consultation' });
  });

  it('reads a transfer written with an arrow', () => {
    expect(transferParties('客户交接 张强→李娜')).toEqual({ from: '张强', to: '李娜' });
    expect(transferParties('转移客户：周俊 -> 黄丽')).toEqual({ from: '周俊', to: '黄丽' });
  });
});
