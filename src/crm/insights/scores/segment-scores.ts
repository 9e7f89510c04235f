import { SCORES, type ScoreDef } from '../segments/fields.ts';
import { RFM_CELLS, VALUE_QUADRANTS } from '../rfm/rfm.ts';

/**
 * The value models' columns as segment score conditions (the segment engine's registry,
 * src/crm/segments/fields.ts SCORES): {score: 'churn_risk', op: 'gte', value: '0.7'},
 * {score: 'rfm_cell', op: 'in', value: ['at_risk', 'hibernating']}, {score: 'clv', op: 'gt', value: '1000'}.
 * Registered when this module is first imported (the intents catalogue and the admin API do).
 */
export const MODEL_SCORES: Record<string, ScoreDef> = {
  rfm_cell: { table: 'member_scores s', memberKey: 's.member_id', column: 's.rfm_cell', type: 'string', values: Object.keys(RFM_CELLS), label: 'RFM 分群' },
  value_quadrant: { table: 'member_scores s', memberKey: 's.member_id', column: 's.value_quadrant', type: 'string', values: Object.keys(VALUE_QUADRANTS), label: '价值象限' },
  rfm_r: { table: 'member_scores s', memberKey: 's.member_id', column: 's.rfm_r', type: 'int', label: 'R 分' },
  rfm_f: { table: 'member_scores s', memberKey: 's.member_id', column: 's.rfm_f', type: 'int', label: 'F 分' },
  rfm_m: { table: 'member_scores s', memberKey: 's.member_id', column: 's.rfm_m', type: 'int', label: 'M 分' },
  churn_risk: { table: 'member_scores s', memberKey: 's.member_id', column: 's.churn_risk', type: 'decimal', label: '流失风险' },
  churn_level: { table: 'member_scores s', memberKey: 's.member_id', column: 's.churn_level', type: 'string', values: ['high', 'medium', 'low'], label: '流失风险等级' },
  clv: { table: 'member_scores s', memberKey: 's.member_id', column: 's.clv', type: 'decimal', label: '客户终身价值(12个月)' },
};

export function registerModelScores(): void {
  for (const [k, v] of Object.entries(MODEL_SCORES)) SCORES[k] ??= v;
}
registerModelScores();
