import { z } from 'zod';

/**
 * The churn thresholds (crm_settings `insights.churn`, 001 §5.2 流失预警规则: high risk after 90
 * days without an order, medium after 60, low after 30) and the risk cut-offs of the three levels.
 * Read by the scoring run (assess.ts) and the churn list; the schema is the one validation of a
 * value, for the API body and the stored setting alike.
 */
export const churnConfigSchema = z
  .strictObject({
    levels: z
      .strictObject({
        high: z.number().gt(0).max(1).describe('risk from which a member is high risk'),
        medium: z.number().gt(0).max(1).describe('risk from which a member is medium risk (below: low)'),
      })
      .describe('churn risk (0–1) cut-offs of the levels; 0 < medium < high ≤ 1'),
    silenceDays: z
      .strictObject({
        low: z.number().int().min(1).max(3650).describe('days without an order from which silence counts (001 §5.2 低风险: 30)'),
        medium: z.number().int().min(1).max(3650).describe('medium-risk silence (中风险: 60)'),
        high: z.number().int().min(1).max(3650).describe('high-risk silence (高风险: 90); also the rule list’s default floor'),
      })
      .describe('days since the last order (or, without one, since registration); low < medium < high'),
  })
  .superRefine((c, ctx) => {
    if (!(c.levels.medium < c.levels.high)) ctx.addIssue({ code: 'custom', path: ['levels', 'medium'], message: 'must be below levels.high' });
    if (!(c.silenceDays.low < c.silenceDays.medium)) ctx.addIssue({ code: 'custom', path: ['silenceDays', 'low'], message: 'must be below silenceDays.medium' });
    if (!(c.silenceDays.medium < c.silenceDays.high)) ctx.addIssue({ code: 'custom', path: ['silenceDays', 'medium'], message: 'must be below silenceDays.high' });
  });
export type ChurnConfig = z.infer<typeof churnConfigSchema>;

/** What a chain that never configured churn gets: the documents' 30/60/90 days and risk 0.4 / 0.7. */
export const DEFAULT_CHURN: ChurnConfig = { levels: { high: 0.7, medium: 0.4 }, silenceDays: { low: 30, medium: 60, high: 90 } };
