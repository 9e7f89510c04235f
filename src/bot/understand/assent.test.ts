import { describe, expect, it } from 'vitest';
import { asksAboutHeld, assentOf, holdsBack } from './assent.ts';

describe('assent', () => {
  it.each([
    ['确认', 'explicit'],
    ['确认 4821', 'explicit'],
    ['确定', 'explicit'],
    ['执行吧', 'explicit'],
    ['好的，确认', 'explicit'],
    ['confirm 4821', 'explicit'],
    ['yes', 'explicit'],
    ['go ahead', 'explicit'],
    // Assent before the explicit word: the explicit word decides.
    ['yes do it', 'explicit'],
    ['yes, confirm', 'explicit'],
    ['yeah go ahead', 'explicit'],
    ['嗯 确认', 'explicit'],
    ['ok 4821', 'explicit'],
    ['嗯', 'vague'],
    ['好的', 'vague'],
    ['好', 'vague'],
    ['行', 'vague'],
    ['可以', 'vague'],
    ['ok', 'vague'],
    ['sure', 'vague'],
    ['好的！', 'vague'],
    // several vague words run together are still vague (session 18)
    ['嗯 对', 'vague'],
    ['行 就这样吧', 'vague'],
    ['ok sure', 'vague'],
    // "go" only as vague assent: right after the bot asked, never at any time (session 19)
    ['ok go', 'vague'],
    ['go', 'vague'],
    ['go home', null],
    ['对 就是她', null],
    ['行 加吧', null],
    ['确认一下他的积分', null],
    ['确定要发吗', null],
    ['不确定', null],
    ['好的谢谢你帮我查一下张伟', null],
    ['查一下 13800000001', null],
    ['確認', 'explicit'],
    ['確定 4821', 'explicit'],
    ['好的 確認', 'explicit'],
  ] as const)('%s → %s', (text, kind) => {
    expect(assentOf(text)).toBe(kind);
  });
});

describe('holding back a pending action', () => {
  it.each(['先别确认', '别执行', '先不要确认啊', '等一下', '等等', '稍等', '不是这个标签', '不对', '搞错了', "don't confirm yet", 'wait', 'hold on', 'wrong tag', '嗯嗯 我再想想', '好的 但先等等', '考虑一下', 'ok but wait', 'let me think', '嗯 等我问问店长', '好 不过明天再说', '等会儿再说', '行吧 不过下周再发', 'ok 不过先问下老板', '好 我先核对一下', '等等 我问下店长', '等我问问店长', '嗯…我再想想', 'hmm, let me check with my boss first', 'wait, I need to ask my manager', '行吧 我再想想', '标签不对', '金额错了', '人不对吧', 'the amount is wrong', 'wrong list', 'hmm, not sure about this', 'actually, hold that', 'on second thought, leave it', '我再考虑考虑吧', 'let me double check the list first', 'not yet, I need to ask my manager', 'hold off till monday', "let's do it tomorrow", 'wait, no no', '标签选错了', '等等 标签不对', '等下 标签错了', 'hmm 标签不对', '等等 金额不对', 'wait, the amount is wrong', 'hold on, not today', 'wait, maybe tomorrow', '等一下 標籤不對', '先別確認'])('%s holds back', (text) => {
    expect(holdsBack(text)).toBe(true);
  });
  it.each(['确认', '嗯', '好的', '查一下 13800000001', '不是她，是王芳', '等一下给王芳打标签', '给流失名单发召回券', '行吧', '好的 确认', '等等 给王芳打标签', 'wait, show me her orders', 'hmm ok', '标签对的', 'the tag is right', '王芳几级', 'later today show me the churn list'])('%s does not', (text) => {
    expect(holdsBack(text)).toBe(false);
  });
});

describe('session 20: "why not" agrees', () => {
  it('reads why not, alone or after a yes, as vague assent; a real negation stays none', () => {
    for (const t of ['why not', 'yeah why not', '行啊 为啥不', '何乐而不为']) expect({ t, a: assentOf(t) }).toEqual({ t, a: 'vague' });
    expect(assentOf('why not wait')).toBeNull();
  });
});

describe('session 25 (s25-harm): an explicit confirmation with a little more', () => {
  it.each(['确认下', '确认转', '确认扣', '确认打标', '确认发送', '确定 发吧', '行 確認', '对 确认', '嗯 确定', '好 就这样 确认', 'confirmed', '确认执行', 'confirm and send'])('%s is explicit', (text) => {
    expect(assentOf(text)).toBe('explicit');
  });
  it.each(['确认一下他的积分', '确认加100', '确认 不发了', '确定要发吗'])('%s is not', (text) => {
    expect(assentOf(text)).not.toBe('explicit');
  });
  it.each(['OK的', '哦哦 好', 'ok', '好'])('%s is vague assent', (text) => {
    expect(assentOf(text)).toBe('vague');
  });
  it.each(['明天再弄吧', '改天吧', '下周再发吧'])('%s puts the held action off', (text) => {
    expect(holdsBack(text)).toBe(true);
  });
  it('a time said with a request is no put-off', () => {
    expect(holdsBack('明天给王芳打标签')).toBe(false);
  });
});

describe('session 26 (s26-harm): assent with thanks; a question about the held action', () => {
  it.each([['嗯 可以 弄吧 辛苦了', 'vague'], ['行 就这样吧 谢谢', 'vague'], ['ok go ahead, thanks', 'explicit'], ['确认 麻烦了', 'explicit']])('%s is %s', (text, a) => {
    expect(assentOf(text)).toBe(a);
  });
  it.each(['好的 谢谢', '谢谢', '不用了 谢谢'])('%s confirms nothing', (text) => {
    expect(assentOf(text)).toBeNull();
  });
  it.each(['如果周末再发 会不会更多人来', '要是打了以后还能批量去掉吗', 'hold on: would this tag members of other stores too?'])('%s asks about the held action, no withdrawal', (text) => {
    expect(asksAboutHeld(text)).toBe(true);
    expect(holdsBack(text)).toBe(false);
  });
  it.each(['等等 先别发?', '等一下', '先别确认'])('%s still withdraws', (text) => {
    expect(holdsBack(text)).toBe(true);
  });
});
