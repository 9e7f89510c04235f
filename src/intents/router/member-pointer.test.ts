import { describe, expect, it } from 'vitest';
import { isMemberPointer, pointsAtFocus, pointsAtMember } from './member-pointer.ts';

describe('pointsAtMember', () => {
  it.each(['给她打个VIP', '他最近的订单呢', 'ta的积分', '这位的工单', '该会员几级', '这个客户的跟进记录', 'and her orders?', 'did he come back', 'tag him', 'this customer please', '她在静安店的订单', '給她加積分'])(
    'points: %s',
    (text) => expect(pointsAtMember(text)).toBe(true),
  );
  it.each(['静安店呢', '给王芳打个VIP', '流失名单', 'what about 上海静安店', 'the metadata', 'these stats', 'then show the list', 'what about last month'])('names or points at no member: %s', (text) =>
    expect(pointsAtMember(text)).toBe(false),
  );
});

describe('isMemberPointer', () => {
  it.each(['她', '他们', 'her', 'Them', 'they', 'ta', '这位', 'this customer'])('only a pointer: %s', (words) => expect(isMemberPointer(words)).toBe(true));
  it.each(['陈静', '她的工单', 'her orders', '13800000006', 'theme', 'Zhang Wei'])('names someone or says more: %s', (words) => expect(isMemberPointer(words)).toBe(false));
});

describe('pointsAtFocus', () => {
  it.each(['就她', '她', '他吧', '刚才那位', '刚才那个客户', 'her', 'the same one'])('%s gives the member in focus', (text) => expect(pointsAtFocus(text)).toBe(true));
  it.each(['她的订单', '王芳', '那个', '她们的积分'])('%s does not', (text) => expect(pointsAtFocus(text)).toBe(false));
});
