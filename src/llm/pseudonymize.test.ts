import { describe, expect, it } from 'vitest';
import { Pseudonyms } from './pseudonymize.ts';

describe('pseudonyms', () => {
  it('replaces phones however typed, member numbers and known names, and restores them in strings and objects', () => {
    const p = new Pseudonyms(['张伟', '张伟华', 'x']);
    const masked = p.mask('张伟华和张伟 138 0000 0001 / +86 138-0000-0001 / １３９１２３４５６７８ m00000004 M00000004');
    expect(masked).toBe('<NAME_1>和<NAME_2> <PHONE_1> / <PHONE_1> / <PHONE_2> <MEMBER_1> <MEMBER_1>');
    expect(masked).not.toMatch(/\d{4}/);
    expect(p.unmask({ phone: '<PHONE_2>', list: ['<NAME_2>', 3], who: '<NAME_1> 和 <MEMBER_1>', other: '<NAME_9>' })).toEqual({
      phone: '13912345678',
      list: ['张伟', 3],
      who: '张伟华 和 M00000004',
      other: '<NAME_9>',
    });
  });

  it('leaves ordinary text alone (one-character "names" are ignored)', () => {
    const p = new Pseudonyms(['x', '', null]);
    expect(p.mask('流失名单 top 5, 500元')).toBe('流失名单 top 5, 500元');
  });
});
