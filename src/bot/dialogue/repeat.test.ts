import { describe, expect, it } from 'vitest';
import { repeatedFor } from './repeat.ts';

describe('repeatedFor', () => {
  it('the member a repeat of the last write names', () => {
    expect(repeatedFor('也给陈静加一个')).toBe('陈静');
    expect(repeatedFor('刘洋也打一个')).toBe('刘洋');
    expect(repeatedFor('也给周杰加上')).toBe('周杰');
    expect(repeatedFor('same for 李娜')).toBe('李娜');
    expect(repeatedFor('13800000006 too')).toBe('13800000006');
    // session 24 (s24b): 同样的 leading, a verb with its measure word ending
    expect(repeatedFor('同样的给赵磊也来一份')).toBe('赵磊');
    expect(repeatedFor('同样的给吴敏')).toBe('吴敏');
    expect(repeatedFor('一样的给郑浩也记一条')).toBe('郑浩');
    expect(repeatedFor('同样的给王芳也建一个')).toBe('王芳');
  });
  it('nothing without an "again" word', () => {
    expect(repeatedFor('给陈静加一个')).toBeNull();
    expect(repeatedFor('陈静')).toBeNull();
    expect(repeatedFor('tag 李娜 VIP')).toBeNull();
    // A pronoun names no one new (the member just written to is the one in focus).
    expect(repeatedFor('her too')).toBeNull();
    expect(repeatedFor('她也一样')).toBeNull();
    expect(repeatedFor('同样的给她')).toBeNull();
    expect(repeatedFor('给王芳建一个')).toBeNull();
  });
});

describe('a difference told is no repeat (session 24)', () => {
  it('reads "…不一样" as no member, "陈静也一样" as one', () => {
    expect(repeatedFor('卡上的等级跟小程序上的不一样')).toBeNull();
    expect(repeatedFor('陈静也一样')).toBe('陈静');
  });
});
