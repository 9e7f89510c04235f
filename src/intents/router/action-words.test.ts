import { describe, expect, it } from 'vitest';
import { hasActionWord, namesNothingToActOn } from './action-words.ts';

describe('action words', () => {
  it('reads a kind of contact followed by 记录 as the name of the records, not a note to write', () => {
    for (const t of ['王芳 来电记录', '陈静沟通记录呢', '13800000006 跟进记录']) expect(hasActionWord('interaction.log', t)).toBe(false);
    for (const t of ['记录 王芳 来电 问停车', '王芳来电 记录一下', '王芳来电问停车']) expect(hasActionWord('interaction.log', t)).toBe(true);
  });
});

describe('namesNothingToActOn', () => {
  it('is true of a write verb with only its instrument, an amount, softeners or pointers', () => {
    for (const t of ['推送代金券', '群发一下吧', '导出来', '帮我打个标签', '扣点分', '发50块的券', '给他们发吧', 'blast out the coupons', 'export this now', 'tag them'])
      expect({ t, bare: namesNothingToActOn(t) }).toEqual({ t, bare: true });
  });

  it('is false when an audience, list, segment, member, tag or identifier is named', () => {
    for (const t of ['一键召回', '给沉睡客推代金券', '全部都发券', '导出周末亲子客', '给李娜扣点分', '打个家庭客标签', '13800000009 加分', 'send the churned guests coupons', 'export segment weekend'])
      expect({ t, bare: namesNothingToActOn(t) }).toEqual({ t, bare: false });
  });

  it('is false for an empty message', () => {
    expect(namesNothingToActOn(' 。')).toBe(false);
  });
});

describe('session 23: a refused verb names its write', () => {
  it('counts a verb under "not" only when asked for a refusal', () => {
    expect(hasActionWord('interaction.log', "please do not log anything about 周杰")).toBe(false);
    expect(hasActionWord('interaction.log', "please do not log anything about 周杰", { refused: true })).toBe(true);
  });
});
