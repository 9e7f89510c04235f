import { describe, expect, it } from 'vitest';
import { RECALL_PEOPLE, RECALL_VERB } from './recall-words.ts';

describe('召回 as a verb or as a description of people', () => {
  it.each(['召回名单', '召回名单 本店', '该召回的都有谁', '要召回的客人有哪些', '召回名单发我', '需要挽回的客户'])('%s names people to recall (the churn list), not a recall', (text) => {
    expect(RECALL_PEOPLE.test(text)).toBe(true);
    expect(RECALL_VERB.test(text)).toBe(false);
  });

  it.each(['给要召回的客人发券', '给本店高风险流失会员发召回券', '召回会员', '召回做得怎么样了', '召回列表', '一键召回', '召回的人数', '召回对象发20元券'])('%s is about a recall itself', (text) => {
    expect(RECALL_VERB.test(text)).toBe(true);
    expect(RECALL_PEOPLE.test(text)).toBe(false);
  });
});
