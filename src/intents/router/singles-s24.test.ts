import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { parsePhrase } from '../parse/segment-phrase.ts';
import { splitRequest } from '../segment-create.ts';
import { transferParties } from '../slots/transfer-parties.ts';
import { findCount, findDictionaryTags, findName } from './extract.ts';
import { createRuleAnalyser } from './rules.ts';
import { createTypoFixer } from './typos.ts';

const fixTypos = createTypoFixer([]);

const staff = offlineContext('staff');
// The rules' own reading (the classifier's share is measured by the eval, not here).
const rules = createRuleAnalyser(intents, EVAL_DICTIONARIES);
const ruled = async (text: string, intent: string) => {
  const a = await rules.analyse(text, staff);
  return a.slotsFor(intents.find((i) => i.name === intent)!);
};

describe('session 24 singles (s24a)', () => {
  it('reads a ticket\'s priority given as 高 / 低 alone in a terse line, never inside a word', async () => {
    expect(await ruled('13800000006 报修 包间灯坏了 低', 'ticket.create')).toMatchObject({ priority: 'low' });
    expect(await ruled('M00000005 投诉 上菜慢 高', 'ticket.create')).toMatchObject({ priority: 'high' });
    expect(await ruled('13800000006 投诉 菜太低档', 'ticket.create')).not.toHaveProperty('priority');
  });

  it('fixes 级 typed as 及 after a level\'s digit', () => {
    expect(fixTypos('4及会员有几个')).toContain('4级会员');
    expect(fixTypos('以及会员')).toBe('以及会员');
  });

  it('reads "最近那一单" as the latest one, but 那一单 alone as a pointer', () => {
    expect(findCount('王芳最近那一单点了什么')?.value).toBe(1);
    expect(findCount('最后那笔多少钱')?.value).toBe(1);
    expect(findCount('那一单 点了啥')).toBeUndefined();
  });

  it('reads a liking in plain words as the dictionary\'s 爱… tag', () => {
    expect(findDictionaryTags('喜欢吃辣的会员有几个', ['爱吃辣', 'VIP']).map((f) => f.value)).toEqual(['爱吃辣']);
    expect(findDictionaryTags('喜欢吃甜的', ['爱吃辣'])).toEqual([]);
  });

  it('finds the member after 给/把 deep in a run, only before a write', () => {
    expect(findName('之前是不是给陈静打过', [])?.value).toBe('陈静');
    expect(findName('报表我晚点看你先给王芳加', [])?.value).toBe('王芳');
  });

  it('splits a segment said conditions first and named last', () => {
    expect(splitRequest('把有家庭客标签的人存成一个人群包 叫亲子家庭')).toEqual({ name: '亲子家庭', conditions: '有家庭客标签' });
    expect(splitRequest('想存一组人:最近60天没来 名字叫两月沉睡')).toEqual({ name: '两月沉睡', conditions: '最近60天没来' });
    expect(splitRequest('创建人群包 高价值沉睡会员:最近90天没消费')).toEqual({ name: '高价值沉睡会员', conditions: '最近90天没消费' });
  });

  it('reads a leaver said with when (月底走) and a refused hand-over\'s party without the refusal', () => {
    expect(transferParties('小李年底走 她手上的客户交给王店长')).toEqual({ from: '小李', to: '王店长' });
    expect(transferParties('先不用转小刘的客户了')).toEqual({ from: '小刘' });
    expect(transferParties('别转客服小刘的企微客户')).toEqual({ from: '客服小刘' });
  });

  it('reads "标签 X" opening a segment condition as that tag', () => {
    expect(parsePhrase('标签 老客', new Date()).tree?.root).toEqual({ tag: '老客' });
    expect(parsePhrase('有VIP标签 积分1000以上', new Date()).unparsed).toEqual([]);
  });
});
