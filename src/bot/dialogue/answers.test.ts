import { describe, expect, it } from 'vitest';
import { amountAnswer, memberAnswer, pickAnswer, pointsAnswer, reasonText } from './answers.ts';

describe('memberAnswer', () => {
  it('a name after a pointing word is still the whole reply ("就是那个刘洋")', () => {
    expect(memberAnswer('就是那个刘洋')).toEqual({ slots: { name: '刘洋' }, bare: true });
    expect(memberAnswer('这位王芳')).toEqual({ slots: { name: '王芳' }, bare: true });
    expect(memberAnswer('刘洋')).toEqual({ slots: { name: '刘洋' }, bare: true });
  });
  it('an interjection before, or 的 / 那个 after, the answer adds nothing ("哦 是13800000005", "王芳的", "M00000003那个")', () => {
    expect(memberAnswer('哦 是13800000005')).toEqual({ slots: { phone: '13800000005' }, bare: true });
    expect(memberAnswer('王芳的')).toEqual({ slots: { name: '王芳' }, bare: true });
    expect(memberAnswer('M00000003那个')).toEqual({ slots: { memberNo: 'M00000003' }, bare: true });
    expect(memberAnswer('13800000009 就是张伟华')).toEqual({ slots: { phone: '13800000009' }, bare: true });
    expect(memberAnswer('13800000009 的订单')?.bare).toBe(false);
  });
  it('a reason after the number loses the particle between them ("加300吧 生日福利")', () => {
    expect(pointsAnswer('加300吧 生日福利', '给李娜加积分')).toEqual({ slots: { delta: 300, reason: '生日福利' }, bare: true });
    expect(reasonText('吧，老顾客回馈')).toBe('老顾客回馈');
  });
  it('a request around a name is no bare answer', () => {
    expect(memberAnswer('她的工单')).toBeNull();
    expect(memberAnswer('她的')).toBeNull();
  });
});

describe('a surname with a title', () => {
  it.each([
    ['王姐', '王'],
    ['就是张哥', '张'],
    ['那个李总', '李'],
    ['陈阿姨', '陈'],
  ])('%s answers "哪位会员？" with the surname %s (a name prefix, as the router reads it in a request)', (text, name) => expect(memberAnswer(text)).toEqual({ slots: { name }, bare: true }));
  it('a plain name stays the name', () => expect(memberAnswer('王芳')).toEqual({ slots: { name: '王芳' }, bare: true }));
});

describe('in traditional characters', () => {
  it('reads a name as stored, in simplified characters', () => expect(memberAnswer('陳靜')).toEqual({ slots: { name: '陈静' }, bare: true }));
});

describe('pickAnswer', () => {
  const listed = [
    { memberNo: 'M00000001', name: '张伟', tail: '0001' },
    { memberNo: 'M00000003', name: '张伟', tail: '0003' },
  ];
  it.each([
    ['第二个', 'M00000003'],
    ['尾号0003', 'M00000003'],
    ['手机尾号0001的那位', 'M00000001'],
    ['后四位是0003', 'M00000003'],
    ['the one ending in 0003', 'M00000003'],
    ['ending 0001', 'M00000001'],
    ['M00000001', 'M00000001'],
    // Four digits alone, as the list shows them beside each member.
    ['0003那个', 'M00000003'],
    ['0001的', 'M00000001'],
    ['是0003', 'M00000003'],
    ['0003', 'M00000003'],
  ])('%s picks %s', (text, memberNo) => expect(pickAnswer(text, listed)?.slots).toEqual({ memberNo }));
  it.each(['尾号0009', 'the one ending in 12', '0003的订单呢', '0009', '00031'])('%s picks none of them', (text) => expect(pickAnswer(text, listed)).toBeNull());
  it('a tail two members share picks neither', () => expect(pickAnswer('尾号0001', [...listed, { memberNo: 'M00000009', tail: '0001' }])).toBeNull());
});

describe('pickAnswer by store', () => {
  const listed = [
    { memberNo: 'M00000001', name: '张伟', tail: '0001', store: '上海徐汇店' },
    { memberNo: 'M00000002', name: '张伟', tail: '0002', store: '上海静安店' },
    { memberNo: 'M00000003', name: '张伟', tail: '0003', store: '上海徐汇店' },
  ];
  it.each([
    ['静安那个', 'M00000002'],
    ['静安店的那位', 'M00000002'],
    ['the one at 静安', 'M00000002'],
  ])('%s picks %s', (text, memberNo) => expect(pickAnswer(text, listed)?.slots).toEqual({ memberNo }));
  it('a store two of them share picks neither, and is no name', () => expect(pickAnswer('徐汇那个', listed)).toBeNull());
  // Session 22: the list's name said again after the store adds nothing; another name is no pick by store.
  it.each([['静安店那位张伟', 'M00000002'], ['静安的那个张伟吧', 'M00000002']])('%s picks %s', (text, memberNo) => expect(pickAnswer(text, listed)?.slots).toEqual({ memberNo }));
  it('the store with a name the list is not of picks no one by store', () => expect(pickAnswer('静安那个王芳', listed)?.slots.memberNo).toBeUndefined());
  it('a store two share, named with the name, still picks neither', () => expect(pickAnswer('徐汇那个张伟', listed)).toBeNull());
  // Session 22: the list rejected, then the member meant — that member, as if said alone.
  it.each([
    ['这几个都不是 是王芳', { name: '王芳' }],
    ['都不对，13800000009', { phone: '13800000009' }],
    ["none of them, it's 李娜", { name: '李娜' }],
  ])('%s answers %o', (text, slots) => expect(pickAnswer(text, listed)?.slots).toEqual(slots));
  it('a rejection alone picks no one', () => expect(pickAnswer('都不是', listed)).toBeNull());
});

describe('amountAnswer (a recall coupon\'s value, asked)', () => {
  it('a value with or without its unit, a correction word or a measure, Chinese numerals', () => {
    for (const [said, amount] of [['20', '20.00'], ['30块', '30.00'], ['每张25元', '25.00'], ['改成40', '40.00'], ['三十块', '30.00'], ['amount 45', '45.00'], ['就30吧', '30.00'], ['15 each', '15.00'], ['12.5元', '12.50']] as const) {
      expect(amountAnswer(said), said).toEqual({ slots: { amount }, bare: true });
    }
  });
  it('默认 / default take the chain\'s default value', () => {
    for (const said of ['默认', '按默认的', '默认就行', 'default', 'the default is fine']) expect(amountAnswer(said)?.slots.amount, said).toBe('20.00');
  });
  it('a number of days, people or points, or a sentence, is no value', () => {
    for (const said of ['30天', '50个', '100分', '30天没来的', '先看看名单', '0']) expect(amountAnswer(said), said).toBeNull();
  });
});
