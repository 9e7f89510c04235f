import { describe, expect, it } from 'vitest';
import { memberAndRest } from './member-and-rest.ts';

describe('memberAndRest', () => {
  it.each([
    ['王芳 VIP', { name: '王芳' }, 'VIP'],
    ['王芳，老客', { name: '王芳' }, '老客'],
    ['13800000006 加100 生日', { phone: '13800000006' }, '加100 生日'],
    ['M00000007 老客', { memberNo: 'M00000007' }, '老客'],
    ['周杰 扣30 兑换饮品', { name: '周杰' }, '扣30 兑换饮品'],
    ['13800000003这个 新客首单奖励', { phone: '13800000003' }, '新客首单奖励'],
  ])('%s: the member, then the rest of the request', (text, slots, rest) => expect(memberAndRest(text)).toEqual({ member: { slots, bare: true }, rest }));
  it.each(['王芳', '13800000005', '她的订单', '给王芳打VIP'])('%s: no member followed by more', (text) => expect(memberAndRest(text)).toBeNull());
});
