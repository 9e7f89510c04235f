import { describe, expect, it } from 'vitest';
import { asksWhetherDone, doneQuestion } from './done-question.ts';

/** The one "did it happen" detector: the router and the bot pipeline both read it (docs/intents.md). */
describe('doneQuestion', () => {
  it('hears a question whether an action was done, in Chinese and English', () => {
    for (const t of [
      '券发出去了吗', '召回的券都发完了没', '召回停了没', '王芳的VIP标签打上了没', '陈静的工单建好了吗', '张伟那通电话记了没',
      '有没有给王芳打标签', '发没发', '给王芳打VIP了没', '给她打标签了吗 13800000005', '你给她加积分没有',
      'did the coupons go out', 'has she been tagged VIP', 'did we tag her?', 'so did we send the coupons', 'have you logged the call', 'was she tagged', 'tagged her yet?', 'sent it already?',
    ]) expect(doneQuestion(t), t).toBe('done');
  });

  it('hears "过" at a distance from its question as done', () => {
    for (const t of ['给她发过券吗', '王芳打过VIP标签没', '之前给陈静记过回访么', '扣过她积分没']) expect(doneQuestion(t), t).toBe('done');
  });

  it('hears how things stand as a state question', () => {
    for (const t of ['她VIP标签还在吗', '标签还有没', '积分还剩多少', '周杰的老客标签在不在', '召回中标签有没有了', 'is she still VIP', 'she still VIP?']) expect(doneQuestion(t), t).toBe('state');
  });

  it('does not take a polite request, a refusal, a weighing or a progress question for one', () => {
    for (const t of [
      '帮她打个VIP好吗', '给她扣50分可以吗', '帮王芳把VIP加上行吗', '给周杰打个老客 好不好', '给王芳打个VIP标签', '给流失会员发20元券', '先别发了', '算了不发了',
      '召回做得怎么样了', '要不要给王芳打个VIP', '给流失的发券吗', 'can you tag her as VIP', 'tag her as VIP', 'should we tag her as VIP?', 'have a look at her orders',
    ]) expect(asksWhetherDone(t), t).toBe(false);
  });

  it('does not take 什么 for a yes-no 么 after a tag named with 过 (session 19)', () => {
    for (const t of ['把李娜的投诉过标签去掉 会有什么影响', '投诉过标签是什么意思']) expect(asksWhetherDone(t), t).toBe(false);
  });

  it('does not read a refusal with "yet", nor a question about a supposed action, as one', () => {
    for (const t of ["don't send the recall coupons yet", "don't recall the churned members yet", '如果给李娜扣200分她还剩多少', '要是给她打了VIP 她还是老客吗', 'if we tag her, did anything change?']) expect(asksWhetherDone(t), t).toBe(false);
  });

  it('does not read 过 that is no aspect marker, nor "还在吗" to the bot', () => {
    for (const t of ['给消费超过500的发券吗', '过期的券再发一次吗', '不过先给她打个VIP吧', '还在吗', '你还在吗?', '在吗']) expect(asksWhetherDone(t), t).toBe(false);
  });

  it('does not read the 过 of a dictionary tag named as the tag (投诉过) as an aspect marker', () => {
    for (const t of ['给赵敏打个投诉过 嘛', '把投诉过标签贴给孙丽 嘛', '撕掉投诉过 嘛', '帮他标个投诉过嘛']) expect(asksWhetherDone(t), t).toBe(false);
    // Still a question when it asks: whether she complained, or whether the tag went on.
    for (const t of ['周强投诉过吗', '给她打上投诉过了吗', '投诉过标签打上了没']) expect(doneQuestion(t), t).toBe('done');
  });
});

describe('session 22: whether someone did it', () => {
  it('needs the doer as subject; without one the question asks for the record', async () => {
    const { asksWhoDid } = await import('./done-question.ts');
    expect(asksWhoDid('陈静昨天有人给她打过标签吗')).toBe(true);
    expect(asksWhoDid('has anyone logged a call for 刘洋?')).toBe(true);
    expect(asksWhoDid('did we give 刘洋 the 50 points')).toBe(false);
    expect(asksWhoDid('给陈静打过标签吗')).toBe(false);
    expect(asksWhoDid('有人说要给陈静打标签')).toBe(false);
  });
});

describe('session 24: a question about a write is about that write only when it asks who did it', () => {
  it('names the write when someone did it; without a doer, or how things stand, it asks for the record', async () => {
    const { asksAboutTheWrite } = await import('./done-question.ts');
    const tag = { name: 'tag.add', readCounterpart: 'member.summary' };
    const points = { name: 'points.adjust', readCounterpart: 'member.lookup' };
    const batch = { name: 'tag.batch', readCounterpart: 'churn.list' };
    const recall = { name: 'recall.launch', readCounterpart: 'recall.status' };
    expect(asksAboutTheWrite('给赵敏贴过家庭客吗', tag)).toBe(false);
    expect(asksAboutTheWrite('孙丽的积分扣掉了没', points)).toBe(false);
    expect(asksAboutTheWrite('did we add points to 孙丽', points)).toBe(false);
    expect(asksAboutTheWrite('流失那批人标签打上了没', batch)).toBe(false);
    expect(asksAboutTheWrite('有人给赵敏贴过家庭客吗', tag)).toBe(true);
    expect(asksAboutTheWrite('has anyone added points to 孙丽', points)).toBe(true);
    expect(asksAboutTheWrite('召回发出去了没', recall)).toBe(false);
    expect(asksAboutTheWrite('有人发过召回券吗', recall)).toBe(true);
    expect(asksAboutTheWrite('is 赵敏 still tagged VIP?', tag)).toBe(false);
    expect(asksAboutTheWrite('给赵敏贴个家庭客', tag)).toBe(false);
  });
});
