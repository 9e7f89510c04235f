import { describe, expect, it } from 'vitest';
import { findName } from './extract.ts';
import { introducedName } from './introduced-name.ts';
import { cutName } from './names.ts';

/** Names inside a run and names glued to the word after them (session 17). */
describe('introduced names', () => {
  it.each([
    ['我们跟李娜聊过什么', '李娜'],
    ['上次和王芳沟通了什么', '王芳'],
    ['有个客人叫陈静来问', '陈静'],
    ['有位会员名叫张伟华', '张伟华'],
  ])('%s → %s', (run, name) => expect(introducedName(run)).toBe(name));

  it.each(['跟进记录', '和平时一样', '叫什么来着', '王芳跟李娜'])('introduces no one in %s', (run) => expect(introducedName(run)).toBeUndefined());

  it('reads the name in a whole message', () => {
    expect(findName('我们之前跟周杰聊过啥', [])?.value).toBe('周杰');
    expect(findName('有个客人叫李娜 查下她的订单', [])?.value).toBe('李娜');
  });

  it.each([
    ['李娜微信投诉', '李娜'],
    ['张伟华名下', '张伟华'],
    ['陈静全景', '陈静'],
    ['吴敏外卖少送了', '吴敏'],
    ['王磊好吗', '王磊'],
    ['王芳你帮我查下', '王芳'],
  ])('cuts %s at the word after the name', (run, name) => expect(cutName(run)).toBe(name));
});
