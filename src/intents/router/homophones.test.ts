import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { createHomophoneFixer, hanWords, pinyinOf } from './homophones.ts';

/**
 * IME homophone typos read by sound from the general pinyin table, over the catalogue's own
 * trigger words. The typos below were not put in any list: each is the word meant with one
 * character swapped for a same-sounding one (or a fuzzy-pinyin one: s/sh, -in/-ing …).
 */
describe('homophone fixer', () => {
  const fix = createHomophoneFixer(intents.flatMap((i) => i.rule.keywords.flat().flatMap((k) => hanWords(k))));

  it('knows readings, polyphones included', () => {
    expect(pinyinOf('积')).toEqual(['ji']);
    expect(pinyinOf('行')).toEqual(expect.arrayContaining(['xing', 'hang']));
    expect(pinyinOf('a')).toEqual([]);
  });

  it.each([
    ['流逝名单', '流失名单'],
    ['王芳的积份', '王芳的积分'],
    ['会圆13800000005的定单', '会员13800000005的订单'],
    ['给李娜打个标钱 爱吃辣', '给李娜打个标签 爱吃辣'],
    ['陈静的当案', '陈静的档案'],
    ['招回效果怎么样', '召回效果怎么样'],
    ['今天要回放谁', '今天要回访谁'],
    ['今天的代办', '今天的待办'],
    ['KOC排航', 'KOC排行'],
    ['M00000005推见了几个人', 'M00000005推荐了几个人'],
    ['哪些工单快朝时了', '哪些工单快超时了'],
    ['倒出人群宝', '导出人群包'],
    ['我投述的事处理了吗', '我投诉的事处理了吗'],
    ['转人公', '转人工'],
  ])('%s → %s', (typed, meant) => {
    expect(fix(typed)).toBe(meant);
  });

  it('leaves names, real words and numbers alone', () => {
    for (const s of ['王芳', '张伟华', '给李娜加积分', '消费1000以下的', '最近三个月', '登记一下王芳来电', '陈静最近买了啥']) expect(fix(s)).toBe(s);
  });

  it('takes only terms as vocabulary, never phrases with grammatical characters', () => {
    expect(hanWords(/给力|一下|积分|待回访/)).toEqual(['积分', '待回访']);
  });

  it('leaves a given name after a common surname as typed (陈静来电 is no 陈进来电), still fixing a typo after a rarer one', async () => {
    const { isCommonSurname } = await import('./common-surnames.ts');
    const guarded = createHomophoneFixer(intents.flatMap((i) => i.rule.keywords.flat().flatMap((k) => hanWords(k))), { keepAfter: isCommonSurname });
    expect(fix('记一下 陈静来电问包间')).toContain('陈进');
    expect(guarded('记一下 陈静来电问包间')).toContain('陈静来电');
    expect(guarded('王芳的积份')).toBe('王芳的积分');
  });

  it('leaves a real word that sounds like a vocabulary word as typed (来店 is no 来电)', async () => {
    const { REAL_WORDS } = await import('./real-words.ts');
    const words = intents.flatMap((i) => i.rule.keywords.flat().flatMap((k) => hanWords(k)));
    expect(createHomophoneFixer(words)('王芳来店说要订包间')).toBe('王芳来电说要订包间');
    expect(createHomophoneFixer(words, { real: REAL_WORDS })('王芳来店说要订包间')).toBe('王芳来店说要订包间');
    expect(createHomophoneFixer(words, { real: REAL_WORDS })('流逝名单')).toBe('流失名单');
  });
});
