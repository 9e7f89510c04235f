import { describe, expect, it } from 'vitest';
import { memberAndRest, pointsAtFocus } from './member-and-rest.ts';

describe('memberAndRest', () => {
  it.each([
    ['王芳 VIP', { name: '王芳' }, 'VIP'],
    ['王芳，老客', { name: '王芳' }, '老客'],
    ['13800000006 加100 生日', { phone: '13800000006' }, '加100 生日'],
    ['M00000007 老客', { memberNo: 'M00000007' }, '老客'],
    ['周杰 扣30 兑换饮品', { name: '周杰' }, '扣30 兑换饮品'],
  ])('%s: the member, then the rest of the request', (text, slots, rest) => expect(memberAndRest(text)).toEqual({ member: { slots, bare: true }, rest }));
  it.each(['王芳', '13800000005', '她的订单', '给王芳打VIP'])('%s: no member followed by more', (text) => expect(memberAndRest(text)).toBeNull());
});

describe('pointsAtFocus', () => {
  it.each(['就她', '她', '他吧', '刚才那位', '刚才那个客户', 'her', 'the same one'])('%s gives the member in focus', (text) => expect(pointsAtFocus(text)).toBe(true));
  it.each(['她的订单', '王芳', '那个', '她们的积分'])('%s does not', (text) => expect(pointsAtFocus(text)).toBe(false));
});
