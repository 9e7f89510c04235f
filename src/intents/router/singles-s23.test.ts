import { describe, expect, it } from 'vitest';
import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { recallAmount } from '../parse/recall-amount.ts';
import { parseTicketUpdate } from '../parse/service-text.ts';
import { transferParties } from '../slots/transfer-parties.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';
import { findName, findTagPhrase } from './extract.ts';
import { createHomophoneFixer, createPinyinReader } from './homophones.ts';
import { asksForStaffWork } from './member-readings.ts';
import { createRuleAnalyser } from './rules.ts';

const router = createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: fixedReading({}), combination: DEFAULT_COMBINATION });
const staff = offlineContext('staff');
// The rules' own reading (the classifier's share is measured by the eval, not here).
const rules = createRuleAnalyser(intents, EVAL_DICTIONARIES);
const ruled = async (text: string) => {
  const a = await rules.analyse(text, staff);
  const top = intents.find((i) => i.name === a.hits[0]?.intent);
  return { intent: top?.name, slots: top ? await a.slotsFor(top) : {} };
};

describe('session 23 singles (s23a)', () => {
  it('reads a message typed all in pinyin by its words of the vocabulary, and nothing else', () => {
    const read = createPinyinReader(['客单价', '流失名单', '流失', '积分', '多少', '工单', '一下']);
    expect(read('kedanjia zuotian')).toBe('客单价 zuotian');
    expect(read('ke dan jia shi duoshao')).toBe('客单价 shi 多少');
    expect(read('zhou jie gongdan')).toBe('zhou jie 工单');
    expect(read('liushi mingdan la yi xia')).toBe('流失名单 la 一下');
    // A name in pinyin stays as typed; so does any message with an English word in it.
    expect(read('li na jifen')).toBe('li na 积分');
    expect(read('check jifen for li na')).toBe('check jifen for li na');
    expect(read('can you help')).toBe('can you help');
  });

  it('routes staff typing in pinyin', async () => {
    expect((await router.route('liushi mingdan gei wo kan kan', staff)).intent).toBe('churn.list');
    expect(await ruled('kou 30 jifen 13800000007 tuicai')).toMatchObject({ intent: 'points.adjust', slots: { phone: '13800000007', delta: -30 } });
    expect((await router.route('zuotian kedanjia', staff)).slots).toMatchObject({ metric: 'aov' });
  });

  it('never reads a function character by its rare second reading as a typo', () => {
    const fix = createHomophoneFixer(['成绩', '积分']);
    expect(fix('改成给她加20')).toBe('改成给她加20');
    expect(fix('积份')).toBe('积分');
  });

  it('ends a name before the member\'s card told after it', () => {
    expect(findName('王芳储值卡扫不了 建个单', [])?.value).toBe('王芳');
    expect(findName('刘洋会员卡又刷不出来', [])?.value).toBe('刘洋');
    expect(findName('赵磊卡里余额不对', [])?.value).toBe('赵磊');
  });

  it('reads a recall coupon\'s value said alone at the end, never a rank or threshold there', () => {
    expect(recallAmount('流失客户发个召回券 30')).toBe('30.00');
    expect(recallAmount('send lapsed members a coupon, 15')).toBe('15.00');
    expect(recallAmount('召回券发给流失会员 前 30')).toBeUndefined();
    expect(recallAmount('recall coupon for the top 10')).toBeUndefined();
  });

  it('reads whose customers they are when someone leaves, with no hand-over word', () => {
    expect(transferParties('老陈如果离职了 他的客户咋办')).toEqual({ from: '老陈' });
    expect(transferParties('李经理下月调走 她手上的客户怎么弄')).toEqual({ from: '李经理' });
    expect(transferParties('孙悦的客户有多少')).toEqual({});
  });

  it('reads 关 before the ticket or at a clause end as closing, and 没关 as none', () => {
    expect(parseTicketUpdate('现在能关T20261121000003吗').status).toBe('closed');
    expect(parseTicketUpdate('T20261121000003 先别关 等客户回话').status).toBe('closed');
    expect(parseTicketUpdate('T20261121000003 还没关').status).toBeUndefined();
    expect(parseTicketUpdate('T20261121000003 的相关情况').status).toBeUndefined();
  });

  it('reads "this matter" after 标签 as no tag', () => {
    expect(findTagPhrase('给老客打标签这件事 回头再说')).toBeUndefined();
    expect(findTagPhrase('批量打标签那事儿先放放')).toBeUndefined();
  });

  it('reads points given or taken, asked about with no figure, as the points write', async () => {
    expect((await ruled('给刘洋扣过分吗')).intent).toBe('points.adjust');
    expect((await ruled('赵磊那边补了分没有')).intent).toBe('points.adjust');
  });

  it('reads a member asking whether a recall coupon will come as no staff work', () => {
    expect(asksForStaffWork('会不会给我发召回券啊')).toBe(false);
    expect(asksForStaffWork('你们是否给老会员发召回券')).toBe(false);
    expect(asksForStaffWork('帮我发个召回券')).toBe(true);
  });
});
