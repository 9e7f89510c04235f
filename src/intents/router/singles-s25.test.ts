import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { metricFromText } from '../parse/health-request.ts';
import { recallRecipient } from '../parse/recall-words.ts';
import { parsePoints, parseTicketUpdate } from '../parse/service-text.ts';
import { transferParties } from '../slots/transfer-parties.ts';
import { findCount, findName, findTagPhrase } from './extract.ts';
import { createRuleAnalyser } from './rules.ts';

const staff = offlineContext('staff');
// The rules' own reading (the classifier's share is measured by the eval, not here).
const rules = createRuleAnalyser(intents, EVAL_DICTIONARIES);
const ruled = async (text: string, intent: string) => {
  const a = await rules.analyse(text, staff);
  return a.slotsFor(intents.find((i) => i.name === intent)!);
};

/** Session 25 (s25-router): the router's classes, each in wordings of our own. */
describe('session 25 router classes', () => {
  it('keeps the one member a recall is asked for, where a recipient stands (the write gate declines it)', async () => {
    for (const [text, who] of [
      ['给吴敏发张召回券吧', '吴敏'],
      ['把郑浩召回一下', '郑浩'],
      ['recall 刘洋', '刘洋'],
      ['send Li Na a win-back coupon', 'Li Na'],
      ['send a recall to 王芳', '王芳'],
    ] as const) {
      expect(recallRecipient(text)).toBe(who);
    }
    expect(await ruled('给吴敏也发一张召回券', 'recall.launch')).toMatchObject({ member: '吴敏' });
  });

  it('reads no member in a recall to a list, a tier, a segment or an occasion', async () => {
    for (const text of ['把陳靜的召回中標籤去掉', '召回成效', '召回一下赵磊', '给高风险会员发召回券', '给流失名单发召回券', '给VIP发召回券', '给老客发个券', 'recall the churn list', '召回周年庆', '给人群包 沉睡VIP 发召回券', '给静安店发召回']) {
      expect(recallRecipient(text)).toBeUndefined();
    }
    expect(await ruled('给本店高风险流失会员发召回券', 'recall.launch')).not.toHaveProperty('member');
  });

  it('reads the dashboard metrics in other staff words', () => {
    expect(metricFromText('会员保留率')).toBe('retention');
    expect(metricFromText('留客率多少')).toBe('retention');
    expect(metricFromText('流失比例高不高')).toBe('churn_rate');
    expect(metricFromText('掉客率')).toBe('churn_rate');
    expect(metricFromText('回店率怎么样')).toBe('repurchase_rate');
    expect(metricFromText('人均消费')).toBe('aov');
    expect(metricFromText('笔单价')).toBe('aov');
    expect(metricFromText("how's churn looking this month")).toBe('churn_rate');
    expect(metricFromText('churn list')).toBeUndefined();
  });

  it('reads no name in a reason, an occasion or a day said beside a points write or a note', () => {
    for (const text of ['加80 首单奖励', '加200 周年庆', '记一下 送了端午礼盒', '再开个维修单 储值卡', '记一下 她订了周日晚上']) {
      expect(findName(text, [])).toBeUndefined();
    }
    expect(findName('给郑浩加100 生日奖励', [])?.value).toBe('郑浩');
    expect(findName('吴敏储值卡又刷不了', [])?.value).toBe('吴敏');
  });

  it('reads a person visited or received inside a run', () => {
    expect(findName('今天上门看望了郑浩聊了下年夜饭', [])?.value).toBe('郑浩');
    expect(findName('刚接待了赵磊 他问包间', [])?.value).toBe('赵磊');
  });

  it('reads no name in an English thing after an article ("a refund for the cake")', () => {
    expect(findName('log call: asked about a refund for the cake', [])).toBeUndefined();
    expect(findName('show me the tickets for Zhang Wei', [])?.value).toBe('Zhang Wei');
  });

  it('reads the last visit or purchase asked about as the latest one', () => {
    expect(findCount('郑浩最后一次来点了啥')?.value).toBe(1);
    expect(findCount('她最近一次消费是多少')?.value).toBe(1);
    expect(findCount('最近一次来电说了啥')).toBeUndefined();
    expect(findCount('上次来店是什么时候')).toBeUndefined();
  });

  it('reads a deduction said 扣回去 / 扣回来', () => {
    expect(parsePoints('郑浩那个积分多给了 扣回去50', []).delta).toBe(-50);
    expect(parsePoints('扣回来20分 多加了', []).delta).toBe(-20);
  });

  it('reads 搞好了 / 修复了 as a ticket resolved', () => {
    expect(parseTicketUpdate('T20261121000003 搞好了 换了新卡').status).toBe('resolved');
    expect(parseTicketUpdate('T20261121000003 已修复').status).toBe('resolved');
  });

  it('reads a transfer handed over 交接到 / 移交到', () => {
    expect(transferParties('把小刘的客户移交到王店长')).toMatchObject({ from: '小刘', to: '王店长' });
  });

  it('reads no tag in the English before "tag" ("I need to tag a customer")', () => {
    expect(findTagPhrase('I need to tag a customer')).toBeUndefined();
    expect(findTagPhrase('can you tag 周杰')).toBeUndefined();
  });
});
