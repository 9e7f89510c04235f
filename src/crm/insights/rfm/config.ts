import { z } from 'zod';

/**
 * The RFM settings (crm_settings `insights.rfm`, 004 §2.3.1: analysis window, 3–10 grades, R/F/M
 * weights; cut points optional). N grades score each of R, F and M from 1 (worst) to N (best):
 * N − 1 cut points per dimension, the data's k/N percentiles unless given. The schema is the one
 * validation of a value, for the API body and the stored setting alike.
 */
const cutPoints = z.array(z.number().finite().min(0)).max(9).describe('grades − 1 strictly ascending numbers');

export const rfmConfigSchema = z
  .strictObject({
    window: z.enum(['all', '365d']).describe("'all': lifetime orders and spend; '365d': the last 365 days (recency is always days since the last order)"),
    grades: z.number().int().min(3).max(10).describe('grades per dimension, 3–10 (1 = worst, grades = best)'),
    weights: z
      .strictObject({ r: z.number().min(0).max(100), f: z.number().min(0).max(100), m: z.number().min(0).max(100) })
      .describe('weights of R, F and M in the RFM score (their weighted mean); ≥ 0, not all 0'),
    cuts: z
      .strictObject({
        r: cutPoints.optional().describe('days since the last order; more days than a cut point is one grade lower'),
        f: cutPoints.optional().describe('orders in the window; more than a cut point is one grade higher'),
        m: cutPoints.optional().describe('spend in the window, yuan; more than a cut point is one grade higher'),
      })
      .optional()
      .describe("fixed cut points per dimension instead of the data's percentiles"),
  })
  .superRefine((c, ctx) => {
    if (c.weights.r + c.weights.f + c.weights.m <= 0) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'at least one weight must be above 0' });
    for (const k of ['r', 'f', 'm'] as const) {
      const q = c.cuts?.[k];
      if (!q) continue;
      if (q.length !== c.grades - 1) ctx.addIssue({ code: 'custom', path: ['cuts', k], message: `${c.grades} grades need ${c.grades - 1} cut points, got ${q.length}` });
      for (let i = 1; i < q.length; i++) {
        if (!(q[i]! > q[i - 1]!)) ctx.addIssue({ code: 'custom', path: ['cuts', k, i], message: 'cut points must be strictly ascending' });
      }
    }
  });
export type RfmConfig = z.infer<typeof rfmConfigSchema>;

/** What a chain that never configured RFM gets: quintiles (5 grades) of lifetime figures, equal weights. */
export const DEFAULT_RFM: RfmConfig = { window: 'all', grades: 5, weights: { r: 1, f: 1, m: 1 } };
