import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { loadScores } from './load-scores.ts';
import { PHONE_COLUMNS, sealedPhoneValues } from '../../../../test/support/sealed-phone.ts';

// Scores go through LOAD DATA LOCAL as TSV: text with tabs, newlines, backslashes and quotes,
// NULLs and datetimes must come back exactly; new rows are inserted, existing ones updated,
// deleted members' scores removed.
describe('loadScores', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('load_scores');
    const at = new Date('2026-01-01T00:00:00Z');
    await env.services.sql.query(
      `INSERT INTO members (id, member_no, name, ${PHONE_COLUMNS}, registered_at, source_channel, status) VALUES (1, 'M1', 'a', ?, ?, ?, ?, 'store', 'active'), (2, 'M2', 'b', ?, ?, ?, ?, 'store', 'active'), (3, 'M3', 'c', ?, ?, ?, ?, 'store', 'deleted')`,
      [...sealedPhoneValues('13900000001'), at, ...sealedPhoneValues('13900000002'), at, ...sealedPhoneValues('13900000003'), at],
    );
  });
  afterAll(async () => env?.cleanup());

  it('round-trips every field and applies inserts, updates and deletions', async () => {
    const scoredAt = new Date('2026-11-21T16:00:00.123Z');
    const odd = JSON.stringify([{ code: 'silent', text: 'tab\there\nnew line \\ back "quoted" 中文' }]);
    // The churn list's snapshot columns: rank, home store, last order, past spend (null for a non-candidate).
    const row = (id: number, reasons: string, clv: string | null) => [id, 3, 4, 5, 4, 'loyal', 'high_value', '0.4898', 'medium', reasons, null, '1.2000', clv, scoredAt, clv ? id : null, clv ? 2 : null, clv ? '2026-10-01 08:30:00.250' : null, '99.50'];
    await loadScores(env.services.sql, [[row(1, '[]', '10.00'), row(3, '[]', null)]]);
    await loadScores(env.services.sql, [[row(1, odd, null)], [row(2, '[]', '734.45')]]);
    const [rows] = await env.services.sql.query<any[]>('SELECT member_id, churn_reasons, p_alive, expected_purchases_90d, clv, scored_at, churn_rank, churn_store, last_order_at, total_spend FROM member_scores ORDER BY member_id');
    expect(rows.map((r) => ({ ...r, scored_at: new Date(r.scored_at).toISOString(), last_order_at: r.last_order_at && new Date(r.last_order_at).toISOString() }))).toEqual([
      { member_id: 1, churn_reasons: JSON.parse(odd), p_alive: null, expected_purchases_90d: '1.2000', clv: null, scored_at: scoredAt.toISOString(), churn_rank: null, churn_store: null, last_order_at: null, total_spend: '99.50' },
      { member_id: 2, churn_reasons: [], p_alive: null, expected_purchases_90d: '1.2000', clv: '734.45', scored_at: scoredAt.toISOString(), churn_rank: 2, churn_store: 2, last_order_at: '2026-10-01T08:30:00.250Z', total_spend: '99.50' },
    ]);
  });
});
