import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import type { StaffActor } from '../bot/types.ts';
import { createSegment } from '../crm/insights/segments/segments.ts';
import { insertSegData, SEG_NOW } from '../../test/support/segment-test-data.ts';
import type { Services } from '../services.ts';
import { processSegmentRefresh, startSegmentRefresh } from './segment-refresh.ts';

// The scheduled refresh: BullMQ's repeatable job on the real Redis runs the processor, which
// refreshes stale dynamic segments and reports (without stopping on) a broken one.
describe('segment refresh job', () => {
  let env: TestEnv;
  let services: Services;
  let hq: StaffActor;
  let segmentId: number;
  beforeAll(async () => {
    env = await createTestEnv('seg_refresh_job');
    services = { ...env.services, now: () => SEG_NOW };
    await insertSegData(services, 20, 3);
    const s = await services.db.staff.create({ data: { wecomUserId: 'hq', name: 'hq', role: 'hq_operator' } });
    hq = { kind: 'staff', staffId: s.id, wecomUserId: 'hq', name: 'hq', role: 'hq_operator', storeIds: [] };
    const access = { services, actor: hq, channel: 'console' as const, requestId: 'r1' };
    segmentId = (await createSegment(access, { name: '二级以上', tree: { version: 1, root: { field: 'level', op: 'gte', value: 2 } } })).segment.id;
  });
  afterAll(async () => env?.cleanup());

  it('skips fresh segments, refreshes stale ones and reports a broken tree without stopping', async () => {
    expect((await processSegmentRefresh(services, { exportMaxAgeMs: null })).refreshed).toEqual([]); // just created: fresh
    // A tree that no longer validates (e.g. saved before a field was removed from the whitelist).
    await services.sql.query(
      `INSERT INTO segments (name, tree, kind, visibility, created_at, updated_at) VALUES ('坏的', '{"version":1,"root":{"field":"shoe_size","op":"eq","value":42}}', 'dynamic', 'global', ?, ?)`,
      [SEG_NOW, SEG_NOW],
    );
    const s = await processSegmentRefresh(services, { staleAfterMs: 0, exportMaxAgeMs: null });
    expect(s.refreshed.map((r) => [r.segmentId, r.trigger])).toEqual([[segmentId, 'schedule']]);
    expect(s.failed).toHaveLength(1);
    expect(s.failed[0]!.error).toContain('root.field');
    await services.sql.query("DELETE FROM segments WHERE name = '坏的'");
  });

  it('runs from the BullMQ repeatable job', async () => {
    const [before] = await services.sql.query<any[]>("SELECT COUNT(*) AS n FROM segment_runs WHERE `trigger` = 'schedule'");
    const { queue, worker } = await startSegmentRefresh(services, { everyMs: 200, staleAfterMs: 0, exportMaxAgeMs: null });
    try {
      const [job, result] = (await once(worker, 'completed')) as [unknown, { refreshed: number; failed: number }];
      expect(job).toBeDefined();
      expect(result).toMatchObject({ refreshed: 1, failed: 0 });
      const [after] = await services.sql.query<any[]>("SELECT COUNT(*) AS n FROM segment_runs WHERE `trigger` = 'schedule'");
      expect(Number(after[0].n)).toBeGreaterThan(Number(before[0].n));
    } finally {
      await queue.removeJobScheduler('segment-refresh-every');
      await worker.close();
      await queue.close();
    }
  });
});
