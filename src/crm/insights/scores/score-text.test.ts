import { describe, expect, it } from 'vitest';
import { assessChurn } from '../churn/assess.ts';
import { centsText, fixed, fixedUnits, stringFieldsJson, utcText } from './score-text.ts';

// The scoring pass's own formatting must write exactly what toFixed and JSON.stringify wrote
// (member_scores holds the same text as before the change: session 15).
describe('score text', () => {
  // A fixed pseudo-random sequence: the same values every run.
  let seed = 17;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

  it('fixed(x, 2 | 4) equals toFixed for probabilities, expectations, CLVs, ties and their neighbours, negatives and huge values', () => {
    const values: number[] = [0, -0, 1, -1, 0.5, 1e-7, -1e-7, -0.00001, 0.00005, 0.00015, 0.00025, 1.005, 2.675, 1.45, 8.345, 1234.5678, 99_999.99995, 1e9, 1e15, 1e20, 1e21, -1e21, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, 0.1 + 0.2];
    for (let k = 0; k < 200_000; k++) values.push(rand(), rand() * 20, rand() * 5000 - 100, Math.round(rand() * 1e6) / 1e4 + 0.00005, Math.round(rand() * 1e6) / 1e2 + 0.005, Math.round(rand() * 1e4) / 1e4);
    // Ties of the product and the doubles next to them.
    for (let k = 0; k < 20_000; k++) {
      const t = (Math.floor(rand() * 1e7) + 0.5) / 1e4;
      values.push(t, t * (1 + 2 ** -52), t * (1 - 2 ** -52), -t);
    }
    const wrong = values.flatMap((v) => ([2, 4] as const).filter((p) => fixed(v, p) !== v.toFixed(p)).map((p) => `${v} @${p}: ${fixed(v, p)} ≠ ${v.toFixed(p)}`));
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(fixedUnits(0.98765, 4)).toBe(Math.round(Number((0.98765).toFixed(4)) * 10_000));
    expect(fixedUnits(NaN, 4)).toBeNull();
  });

  it('centsText equals (cents / 100).toFixed(2) for integer cents', () => {
    const cents = [0, -0, 1, 5, 10, 99, 100, 101, -1, -5, -100, -12_345, 123_456_789, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER, 1.5, NaN];
    for (let k = 0; k < 100_000; k++) cents.push(Math.round(rand() * 1e9) - 1e8);
    const wrong = cents.filter((c) => centsText(c) !== (c / 100).toFixed(2));
    expect(wrong).toEqual([]);
  });

  it('stringFieldsJson equals JSON.stringify for the churn reasons and for strings JSON escapes', () => {
    const lists = [
      [],
      assessChurn({ daysSince: 120, daysRegistered: 400, orderDays: 3, medianGapDays: 30, spend90: 10, spendPrev90: 500, complaints60d: 2, pNoPurchase: 0.91, expected90: 0.123 }).reasons,
      assessChurn({ daysSince: 45, daysRegistered: 400, orderDays: 1, medianGapDays: null, spend90: 0, spendPrev90: 0, complaints60d: 0, pNoPurchase: 0.5, expected90: 0.5 }).reasons,
      assessChurn({ daysSince: null, daysRegistered: 3, orderDays: 0, medianGapDays: null, spend90: 0, spendPrev90: 0, complaints60d: 0, pNoPurchase: null, expected90: null }).reasons,
      [{ code: 'x"y', text: 'tab\there\nnew \\ back "quoted" \u0001 中文 😀 \ud800 lone' }, { a: '', b: '¥100，下降 80%' }],
    ];
    expect(lists[1]!.length).toBeGreaterThan(2);
    for (const l of lists) expect(stringFieldsJson(l as unknown as Record<string, string>[])).toBe(JSON.stringify(l));
  });

  it('utcText equals toISOString’s date and time, from year 1 to 9999, at day, year and leap-day edges', () => {
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
    const at = [0, -1, 1, 86_399_999, 86_400_000, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 2, 1), Date.UTC(1900, 1, 28, 12), Date.UTC(2026, 10, 21, 16), -62_135_596_800_000, -62_135_596_800_001, 253_402_300_799_999, 253_402_300_800_000, Date.UTC(99, 0, 1) - Date.UTC(99, 0, 1) + -59_011_459_200_000];
    for (let k = 0; k < 200_000; k++) at.push(Math.floor(rand() * 2 ** 41) - 2 ** 40, Math.floor(rand() * 4e12), Math.floor(rand() * 1e9) * 86_400_000 / 1e4);
    const wrong = at.filter((ms) => utcText(ms) !== iso(ms));
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
