import { describe, expect, it } from 'vitest';
import { daysBetween, formatDate } from './china-calendar.ts';
import { maskPhone, phoneFor } from './mask.ts';
import { normalizeMemberNo, normalizePhone } from '../customers/identifiers.ts';
import { formatYuan } from './money.ts';
import { similarTags } from '../engagement/tags/similar.ts';

describe('formatYuan', () => {
  it.each([
    ['1234.5', '¥1,234.50'],
    ['1234.50', '¥1,234.50'],
    ['0.3', '¥0.30'],
    ['0', '¥0.00'],
    ['1234567.89', '¥1,234,567.89'],
    ['999.995', '¥1,000.00'],
    ['-12.5', '-¥12.50'],
    ['100', '¥100.00'],
  ])('%s → %s', (input, out) => expect(formatYuan(input)).toBe(out));

  it('accepts a Decimal-like value and null', () => {
    expect(formatYuan({ toFixed: () => '12.00' })).toBe('¥12.00');
    expect(formatYuan(null)).toBe('¥0.00');
  });

  it('rejects what is not a decimal', () => expect(() => formatYuan('12,5')).toThrow(TypeError));
});

describe('phones and member numbers', () => {
  it.each([
    ['13800000001', '13800000001'],
    ['138 0000 0001', '13800000001'],
    ['138-0000-0001', '13800000001'],
    ['+86 138 0000 0001', '13800000001'],
    ['+8613800000001', '13800000001'],
    ['008613800000001', '13800000001'],
    ['１３８０００００００１', '13800000001'],
    ['12800000001', null],
    ['1380000000', null],
  ])('normalizePhone(%s) = %s', (input, out) => expect(normalizePhone(input)).toBe(out));

  it('normalizes member numbers case-insensitively, full width too', () => {
    expect(normalizeMemberNo('m00000001')).toBe('M00000001');
    expect(normalizeMemberNo('Ｍ００００００１２')).toBe('M00000012');
    expect(normalizeMemberNo('M0001')).toBeNull();
  });

  it('masks for roles without member.phone.view, not for store managers, and a member sees their own', () => {
    expect(maskPhone('13800000001')).toBe('138****0001');
    const base = { kind: 'staff' as const, staffId: 1, wecomUserId: 'x', name: 'x', storeIds: [] };
    expect(phoneFor({ ...base, role: 'marketer' }, '13800000001')).toBe('138****0001');
    expect(phoneFor({ ...base, role: 'agent' }, '13800000001')).toBe('138****0001');
    expect(phoneFor({ ...base, role: 'store_manager' }, '13800000001')).toBe('13800000001');
    const member = { kind: 'member' as const, memberId: 1, name: 'm', phone: '13800000001', homeStoreId: null };
    expect(phoneFor(member, '13800000001')).toBe('13800000001');
    expect(phoneFor(member, '13800000002')).toBe('138****0002');
  });
});

describe('dates', () => {
  it('shows Beijing dates and counts whole days like TIMESTAMPDIFF', () => {
    expect(formatDate(new Date('2026-11-20T17:00:00Z'))).toBe('2026-11-21');
    expect(daysBetween(new Date('2026-11-01T05:00:00Z'), new Date('2026-11-21T04:59:59Z'))).toBe(19);
  });
});

describe('similarTags', () => {
  it('suggests containing and character-sharing tags first', () => {
    expect(similarTags('高价值用户', ['VIP', '高价值', '新客', '流失风险'])).toEqual(['高价值']);
    expect(similarTags('vip会员', ['VIP', '高价值'])).toEqual(['VIP']);
    expect(similarTags('土豪', ['VIP', '高价值'])).toEqual([]);
  });
});
