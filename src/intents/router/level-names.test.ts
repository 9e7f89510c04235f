import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { offlineContext } from '../classifier/tuning.ts';
import { EVAL_DICTIONARIES, EVAL_LEVELS } from '../eval/evaluate.ts';
import { slotsAs } from './rules.ts';
import { findLevelName, levelAliases, toLevelEntries } from './level-names.ts';

const query = intents.find((i) => i.name === 'members.query')!;
const staff = offlineContext('staff');

describe('membership levels by name', () => {
  it('knows a level by its table name, its card name, and the card form of a bare name — never the bare word alone', () => {
    expect(levelAliases('金卡会员')).toEqual(['金卡会员', '金卡']);
    expect(levelAliases('钻石会员')).toEqual(['钻石会员', '钻石卡']);
    expect(levelAliases('普通会员')).toEqual(['普通会员', '普通卡']);
    expect(findLevelName('钻石 几个', EVAL_LEVELS)).toBeUndefined();
    expect(findLevelName('铂金会员有谁', EVAL_LEVELS)?.value).toBe(4);
    // Renamed by HQ: the table's names, not a list in the code.
    expect(findLevelName('黑卡 几个', toLevelEntries([{ level: 5, name: '黑卡会员' }]))?.value).toBe(5);
  });

  it('fills members.query\'s level from a level name when no number names one', async () => {
    for (const [text, level] of [
      ['金卡 多少人', 3],
      ['银卡几个', 2],
      ['钻石卡 几个', 5],
      ['静安 金卡会员 名单', 3],
      ['L4 几个', 4],
    ] as const) expect((await slotsAs(query, text, staff, EVAL_DICTIONARIES)).level, text).toBe(level);
    expect((await slotsAs(query, 'vip 几个', staff, EVAL_DICTIONARIES)).level).toBeUndefined();
  });
});
