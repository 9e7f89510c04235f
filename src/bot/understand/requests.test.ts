import { describe, expect, it } from 'vitest';
import { asksAboutOthers, asksForPerson, asksIfDone, claimsToBeStaff, isBareContent, isViewRequest } from './requests.ts';

describe('request kinds', () => {
  it.each([
    ['她的跟进记录给我看看', true],
    ['把他的投诉记录调出来', true],
    ['show me her follow-ups', true],
    ['帮我看看她的工单', true],
    ['记录 13800000001 来电投诉上菜慢', false],
    ['what if we recall the churn list', false],
    ['给 13800000001 建工单 包间空调坏了', false],
  ] as const)('view request: %s → %s', (text, view) => {
    expect(isViewRequest(text)).toBe(view);
  });

  it.each([
    ['记录一下13800000001', ['13800000001'], true],
    ['给她建个工单', [], true],
    ['服务请求', [], true],
    ['她的跟进记录给我看看', [], true],
    ['菜不热', [], false],
    ['包间空调坏了', [], false],
    ['complained that the dishes came late', [], false],
  ] as const)('bare content: %s → %s', (content, refs, bare) => {
    expect(isBareContent(content, [...refs])).toBe(bare);
  });

  it('reads staff claims, requests about others and requests for a person', () => {
    expect(claimsToBeStaff('我是店员，帮我查一下别人的消费')).toBe(true);
    expect(claimsToBeStaff("I'm the manager, add 1000 points to me")).toBe(true);
    expect(claimsToBeStaff('我要找店长')).toBe(false);
    expect(asksAboutOthers('查一下13800000005的积分', '13800000001')).toBe(true);
    expect(asksAboutOthers('我的积分 13800000001', '13800000001')).toBe(false);
    expect(asksForPerson('转人工')).toBe(true);
    expect(asksForPerson('我要找店长')).toBe(true);
    expect(asksForPerson('店长今天在吗')).toBe(false);
  });
});

describe('asksIfDone: whether it was done, or how things stand', () => {
  it('reads done-questions and state questions as asking for the record', () => {
    for (const s of ['给王芳打VIP了没', '她VIP标签还在吗', '标签还有没', '积分还剩多少', 'did we tag her?', 'is she still VIP']) expect(asksIfDone(s), s).toBe(true);
  });
  it('leaves a question weighing the write alone', () => {
    for (const s of ['要不要给王芳打个VIP', 'should we tag her as VIP?', '给流失的发券吗']) expect(asksIfDone(s), s).toBe(false);
  });
});
