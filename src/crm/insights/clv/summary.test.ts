import { describe, expect, it } from 'vitest';
import { parseIsoDay } from '../../kernel/index.ts';
import { TransactionLedger } from './summary.ts';

const d = parseIsoDay;

describe('TransactionLedger.summarize', () => {
  it('counts repeat purchase days, sums same-day spend and excludes the first purchase from m_x', () => {
    const l = new TransactionLedger();
    // Rows deliberately out of order and interleaved between customers.
    l.add('a', d('2024-01-15'), 30);
    l.add('b', d('2024-01-05'), 99);
    l.add('a', d('2024-01-01'), 10);
    l.add('a', d('2024-01-15'), 20); // same day as the 30: one purchase of 50
    l.add('a', d('2024-01-01'), 5); // first day, twice: still the first purchase, excluded from m_x
    l.add('a', d('2024-01-29'), 40);
    l.add('a', d('2024-02-05'), 7); // holdout
    l.add('a', d('2024-02-05'), 8); // holdout, same day: one holdout purchase
    l.add('a', d('2024-02-20'), 1); // after the holdout end: ignored
    l.add('c', d('2024-02-02'), 5); // first purchase after the calibration end: not summarised
    const s = l.summarize({ calibrationEnd: d('2024-01-31'), holdoutEnd: d('2024-02-14') });
    expect(s.ids).toEqual(['a', 'b']);
    // a: purchase days 01-01, 01-15, 01-29 → x = 2, t_x = 28 days, T = 30 days
    expect(s.x[0]).toBe(2);
    expect(s.tx[0]).toBeCloseTo(4, 12);
    expect(s.T[0]).toBeCloseTo(30 / 7, 12);
    expect(s.monetary[0]).toBeCloseTo((50 + 40) / 2, 12);
    expect(s.holdout[0]).toBe(1);
    // b: one purchase → x = 0, t_x = 0, m_x = 0
    expect([s.x[1], s.tx[1], s.monetary[1], s.holdout[1]]).toEqual([0, 0, 0, 0]);
    expect(s.T[1]).toBeCloseTo(26 / 7, 12);
  });

  it('supports other time units and no holdout', () => {
    const l = new TransactionLedger();
    l.add('a', d('2024-01-01'), 1);
    l.add('a', d('2024-01-11'), 1);
    const s = l.summarize({ calibrationEnd: d('2024-01-31'), unitDays: 1 });
    expect([s.x[0], s.tx[0], s.T[0], s.holdout[0]]).toEqual([1, 10, 30, 0]);
  });

  it('grows past its initial capacity', () => {
    const l = new TransactionLedger();
    for (let i = 0; i < 5000; i++) l.add(`m${i % 7}`, d('2024-01-01') + (i % 30), 1);
    expect(l.size).toBe(5000);
    const s = l.summarize({ calibrationEnd: d('2024-03-01') });
    expect(s.ids.length).toBe(7);
    expect(Array.from(s.x)).toEqual([29, 29, 29, 29, 29, 29, 29]);
  });
});
