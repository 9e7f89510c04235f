import { describe, expect, it } from 'vitest';
import { assessChurn, type ChurnInput } from './assess.ts';
import { churnConfigSchema, DEFAULT_CHURN } from './config.ts';

// The churn rules under the documents' thresholds and under configured ones (pure; the numbers
// below are worked out from the formula in docs/models.md: 0.6 × P(no purchase) + 0.4 × rules).
describe('churn assessment with configurable thresholds', () => {
  const oneTimeBuyer = (daysSince: number): ChurnInput => ({
    daysSince,
    daysRegistered: 400,
    orderDays: 1,
    medianGapDays: null,
    spend90: 0,
    spendPrev90: 0,
    complaints60d: 0,
    pNoPurchase: 0.5,
    expected90: 1,
  });
  const tight = churnConfigSchema.parse({ levels: { high: 0.45, medium: 0.2 }, silenceDays: { low: 10, medium: 20, high: 40 } });

  it('45 days silent: the 30-day rule (0.4) by default, the high silence (1.0) when it is 40 days', () => {
    expect(assessChurn(oneTimeBuyer(45))).toMatchObject({ risk: 0.46, level: 'medium' }); // 0.3 + 0.4 × 0.4
    expect(assessChurn(oneTimeBuyer(45), tight)).toMatchObject({ risk: 0.7, level: 'high' }); // 0.3 + 0.4 × 1
  });

  it('below the low silence the rule grows with the days; the level cut-offs decide the level', () => {
    expect(assessChurn(oneTimeBuyer(5))).toMatchObject({ risk: 0.32, level: 'low' }); // 0.3 + 0.4 × 0.3 × 5/30
    expect(assessChurn(oneTimeBuyer(5), tight)).toMatchObject({ risk: 0.36, level: 'medium' }); // 0.3 + 0.4 × 0.3 × 5/10
    // The "silent" reasons start at the low silence.
    expect(assessChurn(oneTimeBuyer(12)).reasons.map((r) => r.code)).not.toContain('one_time');
    expect(assessChurn(oneTimeBuyer(12), tight).reasons.map((r) => r.code)).toContain('one_time');
  });

  it('a member who never ordered: 0.8 after the high silence since registration, 0.5 after the low one', () => {
    const never = { ...oneTimeBuyer(0), daysSince: null, pNoPurchase: null, expected90: null, daysRegistered: 50 };
    expect(assessChurn(never)).toMatchObject({ risk: 0.5, level: 'medium' });
    expect(assessChurn(never, tight)).toMatchObject({ risk: 0.8, level: 'high' });
    expect(assessChurn(never, DEFAULT_CHURN)).toEqual(assessChurn(never));
  });
});
