import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { EVAL_DICTIONARIES, EVAL_LEVELS } from '../eval/evaluate.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { findLevelByName, levelAliases, toLevelEntries } from './level-names.ts';
import { createRuleRouter } from './rules.ts';

/** A level named by the chain's configured name (membership_levels), session 17. */
describe('level names', () => {
  it('reads the configured names, their cores with 卡/会员, and English words for a metal or stone', () => {
    expect(levelAliases('金卡会员')).toEqual(expect.arrayContaining(['金卡会员', '金卡', 'gold']));
    expect(levelAliases('钻石会员')).toEqual(expect.arrayContaining(['钻石', '钻石卡', '钻石会员', 'diamond']));
    // 金 alone is a surname, 普通 alone a plain word: neither is a level by itself.
    expect(levelAliases('金卡会员')).not.toContain('金');
    expect(levelAliases('普通会员')).not.toContain('普通');
  });

  it.each([
    ['金卡会员有哪些', 3],
    ['钻石卡会员都是谁', 5],
    ['how many platinum members', 4],
    ['the silver tier', 2],
  ])('%s → level %i', (text, level) => expect(findLevelByName(text, EVAL_LEVELS)?.value).toBe(level));

  it.each(['金先生的订单', 'gold coin', '铂金首饰', '普通的单子'])('names no level in %s', (text) => expect(findLevelByName(text, EVAL_LEVELS)).toBeUndefined());

  it('reads another chain its own names, not this one', () => {
    const chain = toLevelEntries([{ level: 1, name: '白银卡' }, { level: 2, name: '黑金卡' }]);
    expect(findLevelByName('黑金卡的会员有几个', chain)?.value).toBe(2);
    expect(findLevelByName('金卡会员', chain)).toBeUndefined();
  });

  it('fills members.query level from a name, beside a store and a mode', async () => {
    const router = createRuleRouter(intents, EVAL_DICTIONARIES);
    const r = await router.route('静安店的金卡会员有哪些', offlineContext('staff'));
    expect(r.slots).toMatchObject({ level: 3, store: '上海静安店', mode: 'list' });
  });
});
