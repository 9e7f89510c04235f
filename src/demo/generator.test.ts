import { describe, expect, it } from 'vitest';
import { drawBasket } from './baskets.ts';
import { chinaDay, chinaWeekday, startOfChinaDay } from '../crm/kernel/index.ts';
import { FIXED_MEMBERS } from './fixed-members.ts';
import { generateMember, levelFor, makeContext } from './member.ts';
import { centsToDecimal } from './money.ts';
import { PHONE_RE, phoneFor } from './phones.ts';
import { Rng } from './random.ts';

const NOW = new Date('2026-11-20T16:00:00.000Z'); // 2026-11-21 00:00 China time

describe('demo generator (pure parts)', () => {
  it('formats integer cents as 2-decimal strings', () => {
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(12345)).toBe('123.45');
    expect(centsToDecimal(-120)).toBe('-1.20');
    expect(() => centsToDecimal(1.5)).toThrow(RangeError);
  });

  it('reads China-local days and weekdays', () => {
    expect(startOfChinaDay(new Date('2026-11-21T03:00:00Z')).toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(startOfChinaDay(new Date('2026-11-20T17:00:00Z')).toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(chinaWeekday(chinaDay(NOW.getTime()))).toBe(5); // 2026-11-21 is a Saturday
  });

  it('gives unique valid phones that never take a fixed member number', () => {
    const seen = new Set(FIXED_MEMBERS.map((m) => m.phone));
    const bad: string[] = [];
    for (let i = FIXED_MEMBERS.length; i < 200_000; i++) {
      const p = phoneFor(42, i);
      if (!PHONE_RE.test(p) || seen.has(p)) bad.push(p);
      seen.add(p);
    }
    expect(bad).toEqual([]);
    expect(phoneFor(1, 10)).not.toBe(phoneFor(2, 10));
  });

  it('makes baskets whose amount is exactly the sum of their lines', () => {
    const r = new Rng(3);
    for (let i = 0; i < 2000; i++) {
      const b = drawBasket(r, 5000 + (i % 50) * 1000, i % 2 === 0);
      const lines = JSON.parse(b.itemsJson) as { sku: string; name: string; price: string; qty: number }[];
      expect(lines.length).toBeGreaterThan(0);
      const sum = lines.reduce((s, l) => {
        expect(l.price).toMatch(/^\d+\.\d{2}$/);
        return s + Number(l.price.replace('.', '')) * l.qty;
      }, 0);
      expect(sum).toBe(b.amountCents);
    }
  });

  it('generates a member from (seed, index, now) alone', () => {
    const ctx = makeContext(42, NOW);
    expect(generateMember(77, ctx)).toEqual(generateMember(77, makeContext(42, NOW)));
    expect(generateMember(77, ctx)).not.toEqual(generateMember(77, makeContext(43, NOW)));
    // Fixed members ignore the seed: their documented facts hold for every seed.
    expect(generateMember(0, makeContext(1, NOW))).toEqual(generateMember(0, makeContext(999, NOW)));
  });

  it('keeps every order inside the window, ascending, and none after churn', () => {
    const ctx = makeContext(9, NOW);
    for (let i = 0; i < 3000; i++) {
      const g = generateMember(i, ctx);
      let prev = 0;
      for (const o of g.orders) {
        expect(o.paidAtMs).toBeGreaterThan(prev);
        expect(o.paidAtMs).toBeGreaterThanOrEqual(ctx.windowStartMs);
        expect(o.paidAtMs).toBeLessThan(ctx.nowMs);
        expect(o.paidAtMs).toBeGreaterThanOrEqual(g.member.registeredAtMs);
        if (g.truth.churnedAtMs !== null) expect(o.paidAtMs).toBeLessThanOrEqual(g.truth.churnedAtMs);
        prev = o.paidAtMs;
      }
      expect(g.truth.alive).toBe(g.truth.churnedAtMs === null);
      if (g.truth.persona === 'lapsed') expect(g.truth.alive).toBe(false);
      expect(g.member.level).toBe(levelFor(g.member.growthValue));
      expect(g.member.points).toBeLessThanOrEqual(g.member.growthValue);
    }
  });
});
