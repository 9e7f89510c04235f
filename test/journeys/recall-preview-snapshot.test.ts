import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { launchRecall, previewRecall, previewRecallAudience, recallAudience, type RecallAudience } from '../../src/crm/automation/index.ts';
import { updateMemberProfile } from '../../src/crm/customers/index.ts';
import { runScoring } from '../../src/crm/insights/index.ts';
import { journeyDeps } from '../../src/jobs/journey-deps.ts';
import { useCrmTestEnv } from '../support/crm/crm-test-env.ts';

/**
 * The churn list's recall preview reads the scoring run's per-store counts (insights
 * churnAudienceCount) and counts only the members left out or gone since the run: its figures
 * must equal the preview over the list's ids read now (recallAudience → previewRecall), for HQ
 * and both store managers, after members were deleted, moved to another store, opted out and
 * recalled since the run — and the launch must enrol exactly the count the preview showed.
 */
describe('recall preview from the scoring run’s counts', () => {
  const t = useCrmTestEnv('recall_preview_snapshot');
  const churn: RecallAudience = { kind: 'churn' };

  async function idPreview(who: 'hq' | 'manager1' | 'manager2') {
    const memberIds = await recallAudience(t.as(who), churn);
    return { memberIds, pv: await previewRecall(t.as(who), { audience: churn, couponAmount: 20, memberIds }) };
  }

  async function expectEqual(who: 'hq' | 'manager1' | 'manager2') {
    const { memberIds, pv } = await idPreview(who);
    const counted = (await previewRecallAudience(t.as(who), churn, 20))!;
    // From the run's counts: as of its time, no channel counts.
    expect(counted.asOf).toBeInstanceOf(Date);
    expect(counted.channels).toBeNull();
    expect(counted.audience).toBe(memberIds.length);
    expect({ count: counted.count, excluded: counted.excluded, cost: counted.estimatedCost, sample: counted.sample }).toEqual({ count: pv.count, excluded: pv.excluded, cost: pv.estimatedCost, sample: pv.sample });
    return counted;
  }

  it('equals the preview over the ids after deletions, moves, opt-outs and recalls since the run; the launch enrols its count', async () => {
    await runScoring(t.as('hq'));
    for (const who of ['hq', 'manager1', 'manager2'] as const) await expectEqual(who);

    const { S1: s1, S2: s2 } = t.fx.stores;
    const inStore = async (store: number) => {
      const [rows] = await t.services.sql.query<RowDataPacket[]>('SELECT id FROM members WHERE home_store_id = ?', [store]);
      const ids = new Set(rows.map((r) => Number(r.id)));
      return (await recallAudience(t.as('hq'), churn)).filter((id) => ids.has(id));
    };
    const one = await inStore(s1);
    const two = await inStore(s2);
    expect(one.length).toBeGreaterThanOrEqual(4);
    expect(two.length).toBeGreaterThanOrEqual(1);
    const [running, recent, opted, moved] = one;
    const deleted = two[0]!;
    // Since the run: one recalled and finished (within the cooldown), one in a running recall,
    // one opted out, one deleted, one moved from store 1 to store 2 (through the one writer of home stores).
    const done = await launchRecall(journeyDeps(t.services), t.as('hq'), { audience: churn, couponAmount: 20, memberIds: [recent!] });
    await t.services.sql.query("UPDATE journey_enrollments SET state = 'completed' WHERE recall_id = ?", [done.recallId]);
    t.at(new Date(t.now().getTime() + 2 * 86_400_000));
    await launchRecall(journeyDeps(t.services), t.as('hq'), { audience: churn, couponAmount: 20, memberIds: [running!] });
    await t.services.sql.query('UPDATE members SET marketing_opt_out_at = ? WHERE id = ?', [t.now(), opted]);
    await t.services.sql.query("UPDATE members SET status = 'deleted' WHERE id = ?", [deleted]);
    await updateMemberProfile(t.as('hq'), moved!, { homeStoreId: s2 });

    const hq = await expectEqual('hq');
    expect(hq.excluded).toMatchObject({ total: 3, running: 1, optedOut: 1, recent: [{ daysAgo: 2, members: 1 }] });
    await expectEqual('manager2');
    const m1 = await expectEqual('manager1');
    // The moved member is no longer store 1's; still in the run's counts of store 1, left out of its list.
    expect((await recallAudience(t.as('manager1'), churn)).includes(moved!)).toBe(false);

    // The launch (a full pass under the recall lock) enrols exactly the members the preview counted.
    const launched = await launchRecall(journeyDeps(t.services), t.as('manager1'), { audience: churn, couponAmount: 20, memberIds: await recallAudience(t.as('manager1'), churn) });
    expect(launched.enrolled).toBe(m1.count);
    expect(launched.excluded).toEqual(m1.excluded);
  });
});
