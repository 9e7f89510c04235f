import { describe, expect, it } from 'vitest';
import { fixedReading } from '../../../test/support/fixed-classifier.ts';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { hasActionWord } from './action-words.ts';
import { createCombinedRouter, DEFAULT_COMBINATION } from './combined.ts';
import { findCount, findName, findTagPhrase } from './extract.ts';
import { withoutLeadWord } from './names.ts';
import { createTypoFixer } from './typos.ts';

const router = createCombinedRouter(intents, { ...EVAL_DICTIONARIES, classifier: fixedReading({}), combination: DEFAULT_COMBINATION });
const staff = offlineContext('staff');

describe('a refusal or deferral is never a name or a tag', () => {
  it('keeps the member after 先不给 / 暂时别把 / 回头再给', () => {
    expect(findName('先不给吴倩挂VIP', [])?.value).toBe('吴倩');
    expect(findName('暂时别把郑凯的老客撕了', [])?.value).toBe('郑凯');
    expect(findName('回头再给孙丽加积分', [])?.value).toBe('孙丽');
  });
  it('reads no tag out of "don\'t" or a held-back verb', () => {
    expect(findTagPhrase("don't tag 郑凯 yet")).toBeUndefined();
    expect(findTagPhrase('标签先别打')).toBeUndefined();
    expect(findTagPhrase('标签 暂时不要加')).toBeUndefined();
    // A real tag still reads.
    expect(findTagPhrase('给郑凯打个素食者标签')?.value).toBe('素食者');
  });
});

describe('names and the function words around them', () => {
  it('drops a clause-opening word that starts with a surname character', () => {
    expect(withoutLeadWord('万一赵敏又来')).toBe('赵敏又来');
    expect(withoutLeadWord('单奖励孙丽')).toBe('奖励孙丽');
    // A name that is the whole run stays.
    expect(withoutLeadWord('万一')).toBe('万一');
    expect(withoutLeadWord('单雪梅')).toBe('单雪梅');
  });
  it('cuts 再 / 又 / 也 / 还 off the name', () => {
    expect(findName('万一赵敏又来闹', [])?.value).toBe('赵敏');
    expect(findName('要是孙丽再来', [])?.value).toBe('孙丽');
  });
  it('reads 家 glued between a name and a figure of points as 加', () => {
    const fix = createTypoFixer([]);
    expect(fix('郑凯家200积分')).toBe('郑凯加200积分');
    expect(fix('吴倩家五十分')).toBe('吴倩加五十分');
    // A household, a branch or minutes stay.
    expect(fix('她家3分店')).toBe('她家3分店');
    expect(fix('郑凯家里人')).toBe('郑凯家里人');
  });
});

describe('a count needs a list', () => {
  it('reads no count out of "N个" of a dish or a thing', () => {
    expect(findCount('漏上了两个汤')).toBeUndefined();
    expect(findCount('多算了一个饮料')).toBeUndefined();
  });
  it('still reads a count of members, records or with a lead', () => {
    expect(findCount('拉8个老会员')?.value).toBe(8);
    expect(findCount('列前6个')?.value).toBe(6);
    expect(findCount('要12个')?.value).toBe(12);
  });
});

describe('write words', () => {
  it('撕 takes a tag off', async () => {
    expect(hasActionWord('tag.remove', '郑凯的素食者撕掉')).toBe(true);
    const r = await router.route('把吴倩身上的老客撕掉', staff);
    expect([r.intent, r.slots.tag, r.slots.name]).toEqual(['tag.remove', '老客', '吴倩']);
  });
  it('清掉 / 清空 the points is a points write, only when ordered', async () => {
    expect(hasActionWord('points.adjust', '郑凯积分清空')).toBe(true);
    expect((await router.route('把郑凯的积分全清空', staff)).intent).toBe('points.adjust');
    expect((await router.route('郑凯的积分清空了吗', staff)).intent).not.toBe('points.adjust');
  });
});
