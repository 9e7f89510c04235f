import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { launchRecall, previewRecall, previewRecallAudience, recallAudience, type RecallAudience } from '../../src/crm/automation/index.ts';
import { churnAudienceSql, churnList, createSegment, runScoring } from '../../src/crm/insights/index.ts';
import { journeyDeps } from '../../src/jobs/journey-deps.ts';
import { parsePhrase } from '../../src/intents/parse/segment-phrase.ts';
import { useCrmTestEnv } from '../support/crm/crm-test-env.ts';

/**
 * The chat's recall preview is counted in the database (recall.ts `previewRecallAudience`) instead
 * of over the audience's ids read into Node: it must equal the id-based preview (recallAudience →
 * previewRecall) for the churn list and for a saved segment, for HQ and a store manager, with
 * members left out for each reason.
 */
describe('recall preview counted in SQL', () => {
  const t = useCrmTestEnv('recall_preview_sql');

  async function idPreview(who: 'hq' | 'manager1' | 'manager2', audience: RecallAudience) {
    const access = t.as(who);
    const memberIds = await recallAudience(access, audience);
    return { memberIds, pv: await previewRecall(access, { audience, couponAmount: 20, memberIds }) };
  }

  it('equals the preview over the ids, with running, recent and opted-out members left out', async () => {
    await runScoring(t.as('hq'));
    // The churn audience as SQL lists exactly churnList's whole list, in its order.
    for (const who of ['hq', 'manager1', 'manager2'] as const) {
      const from = (await churnAudienceSql(t.as(who)))!;
      const [rows] = await t.services.sql.query<RowDataPacket[]>(`SELECT member_id FROM (${from.sql}) a ORDER BY ord`, from.params);
      const list = await churnList(t.as(who), { all: true, limit: 100_000 });
      expect(rows.map((r) => Number(r.member_id))).toEqual(list.entries.map((e) => e.memberId));
    }
    const churn: RecallAudience = { kind: 'churn' };
    const { memberIds } = await idPreview('hq', churn);
    expect(memberIds.length).toBeGreaterThanOrEqual(4);
    // One in a running recall, one recalled and finished (within the cooldown), one opted out.
    const [running, recent, opted] = memberIds;
    const done = await launchRecall(journeyDeps(t.services), t.as('hq'), { audience: churn, couponAmount: 20, memberIds: [recent!] });
    await t.services.sql.query("UPDATE journey_enrollments SET state = 'completed' WHERE recall_id = ?", [done.recallId]);
    t.at(new Date(t.now().getTime() + 2 * 86_400_000));
    await launchRecall(journeyDeps(t.services), t.as('hq'), { audience: churn, couponAmount: 20, memberIds: [running!] });
    await t.services.sql.query('UPDATE members SET marketing_opt_out_at = ? WHERE id = ?', [t.now(), opted]);

    const segment = await createSegment(t.as('hq'), { name: '预览人群', kind: 'dynamic', visibility: 'global', tree: parsePhrase('累计消费大于100', t.now()).tree });
    const bySegment: RecallAudience = { kind: 'segment', segmentId: segment.segment.id, name: segment.segment.name };
    let checked = 0;
    for (const who of ['hq', 'manager1', 'manager2'] as const) {
      for (const audience of [churn, bySegment]) {
        const { memberIds: ids, pv } = await idPreview(who, audience);
        const counted = (await previewRecallAudience(t.as(who), audience, 20))!;
        expect(counted.audience).toBe(ids.length);
        expect({ count: counted.count, excluded: counted.excluded, cost: counted.estimatedCost }).toEqual({ count: pv.count, excluded: pv.excluded, cost: pv.estimatedCost });
        // The churn list's preview comes from the scoring run's counts, without channel counts (recall-preview-snapshot.test.ts); a segment's counts them.
        if (audience.kind === 'churn') expect(counted.channels).toBeNull();
        else expect(counted.channels).toEqual(pv.channels);
        // The churn list's sample is its first included members; a segment's ids have no order, so its sample is any five of them.
        if (audience.kind === 'churn') expect(counted.sample).toEqual(pv.sample);
        else expect(counted.sample.length).toBe(Math.min(5, pv.count));
        if (who === 'hq' && audience.kind === 'churn') {
          expect(counted.excluded).toMatchObject({ total: 3, running: 1, optedOut: 1, recent: [{ daysAgo: 2, members: 1 }] });
          checked++;
        }
      }
    }
    expect(checked).toBe(1);
    // The preview is audited: what the staff member saw (the count and the five members shown).
    const [audits] = await t.services.sql.query<RowDataPacket[]>("SELECT detail FROM audit_logs WHERE action = 'recall.preview' ORDER BY id DESC LIMIT 1");
    const detail = typeof audits[0]!.detail === 'string' ? JSON.parse(audits[0]!.detail) : audits[0]!.detail;
    expect(detail.memberIds.length).toBeGreaterThan(0);
  });
});
