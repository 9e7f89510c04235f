import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/crm/fixture.ts';
import { createApiTestEnv, type ApiTestEnv } from './support.ts';

/**
 * /api/crm/segments on the real database: static and
 * dynamic lists, preview without a write, paged members in the caller's scope, visibility on
 * every read and write, revisions, delete, export with the second approver, bad trees.
 */
describe('admin API: segments', () => {
  let t: ApiTestEnv;
  let dir: string;
  const ANY_ORDER = { version: 1, root: { metric: 'order_count', op: 'gte', value: 1 } };
  /** Members with at least one order: every live fixture member but M00000009 (none) and M00000011 (deleted). */
  let buyers: number[];
  let s2Members: Set<number>;
  const q = async (sql: string, params: unknown[] = []) => (await t.env.services.sql.query<any[]>(sql, params))[0];
  const memberIdsOf = async (segmentId: number) => (await q('SELECT member_id FROM segment_members WHERE segment_id = ? ORDER BY member_id', [segmentId])).map((r: any) => Number(r.member_id));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'api-seg-export-'));
    t = await createApiTestEnv('api_segments', { EXPORT_APPROVAL_ROWS: '5', EXPORT_DIR: dir }, { now: () => NOW });
    buyers = (await q("SELECT DISTINCT m.id FROM members m JOIN orders o ON o.member_id = m.id WHERE m.status <> 'deleted' ORDER BY m.id")).map((r: any) => Number(r.id));
    s2Members = new Set((await q('SELECT id FROM members WHERE home_store_id = ?', [t.fx.stores.S2])).map((r: any) => Number(r.id)));
  });
  afterAll(async () => {
    await t?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates static and dynamic segments: a static list stays frozen, a dynamic one follows the data on run', async () => {
    const dyn = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '有消费', tree: ANY_ORDER, visibility: 'global' });
    expect(dyn.status).toBe(201);
    expect(dyn.body).toMatchObject({ name: '有消费', kind: 'dynamic', visibility: 'global', version: 1, lastCount: buyers.length, run: { count: buyers.length, joined: buyers.length, left: 0, trigger: 'create' } });
    // "静态" in the phrase asks for a static list; so does kind.
    const byPhrase = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '有消费快照', phrase: '静态 累计消费1次以上' });
    expect(byPhrase.status).toBe(201);
    expect(byPhrase.body.kind).toBe('static');
    const stat = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '有消费静态', tree: ANY_ORDER, kind: 'static' });
    expect(stat.body).toMatchObject({ kind: 'static', lastCount: buyers.length });
    expect(await memberIdsOf(stat.body.id)).toEqual(buyers);

    // A first order for the member without one.
    const newcomer = t.fx.memberIds.M00000009!;
    const order = await t.call(t.tokens.hq, 'POST', '/api/crm/orders', { orderNo: 'SEG-1', memberId: newcomer, storeCode: 'S1', amount: '20.00', paidAt: new Date(NOW.getTime() - 3600_000).toISOString(), paymentMethod: 'wechat', items: [{ name: '茶', qty: 1, price: '20.00' }] });
    expect(order.status).toBe(201);

    const run = await t.call(t.tokens.hq, 'POST', `/api/crm/segments/${dyn.body.id}/run`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ count: buyers.length + 1, joined: 1, left: 0, trigger: 'manual' });
    expect(await memberIdsOf(dyn.body.id)).toContain(newcomer);
    // The static list is frozen: no run, no change.
    const frozen = await t.call(t.tokens.hq, 'POST', `/api/crm/segments/${stat.body.id}/run`);
    expect(frozen.status).toBe(400);
    expect(frozen.body.error.code).toBe('segment_static');
    expect(await memberIdsOf(stat.body.id)).toEqual(buyers);
    expect((await t.call(t.tokens.hq, 'GET', `/api/crm/segments/${stat.body.id}`)).body).toMatchObject({ kind: 'static', lastCount: buyers.length, visibleMembers: buyers.length });
    const history = await t.call(t.tokens.hq, 'GET', `/api/crm/segments/${dyn.body.id}/history`);
    expect(history.body.runs.map((r: any) => r.trigger)).toEqual(['manual', 'create']);
    expect((await t.auditRows('request_id = ?', [run.requestId]))[0]).toMatchObject({ action: 'segment.refresh', target_id: String(dyn.body.id) });
  });

  it('previews a tree or a phrase (count, share, churn mix, samples) and saves nothing', async () => {
    const tables = ['segments', 'segment_versions', 'segment_runs', 'segment_members'];
    const counts = async () => Promise.all(tables.map(async (n) => Number((await q(`SELECT COUNT(*) AS n FROM ${n}`))[0].n)));
    const before = await counts();
    const r = await t.call(t.tokens.manager1, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root: { tag: 'VIP' } } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ count: 1, sample: [{ memberNo: 'M00000001', phone: '13800000001' }] });
    expect(r.body.total).toBe(Number((await q("SELECT COUNT(*) AS n FROM members WHERE status <> 'deleted' AND home_store_id = ?", [t.fx.stores.S1]))[0].n));
    expect(r.body.share).toBeCloseTo(1 / r.body.total);
    expect(r.body.churnRisk).toEqual({ unknown: 1 });
    // The phrase the chat takes, score conditions included (no scores yet: nobody).
    const phrase = await t.call(t.tokens.marketer, 'POST', '/api/crm/segments/preview', { phrase: '流失风险高 或 RFM冠军' });
    expect(phrase.status).toBe(200);
    expect(phrase.body.count).toBe(0);
    const masked = await t.call(t.tokens.marketer, 'POST', '/api/crm/segments/preview', { phrase: '有VIP标签' });
    expect(masked.body.sample[0].phone).toBe('138****0001');
    expect(await counts()).toEqual(before);
  });

  it('pages a segment’s customers in id order, only the caller’s stores’ members', async () => {
    const seg = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '分页', tree: ANY_ORDER, visibility: 'global' });
    const all = await memberIdsOf(seg.body.id);
    const seen: number[] = [];
    for (let page = 1; page <= 4; page++) {
      const r = await t.call(t.tokens.hq, 'GET', `/api/crm/segments/${seg.body.id}/customers?page=${page}&pageSize=3`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ page, pageSize: 3, total: all.length });
      seen.push(...r.body.items.map((i: any) => i.memberId));
    }
    expect(seen).toEqual(all);
    const mine = await t.call(t.tokens.manager1, 'GET', `/api/crm/segments/${seg.body.id}/customers?pageSize=100`);
    const ids = mine.body.items.map((i: any) => i.memberId);
    expect(ids).toEqual(all.filter((id) => !s2Members.has(id)));
    expect(mine.body.total).toBe(ids.length);
    expect((await t.call(t.tokens.manager2, 'GET', `/api/crm/segments/${seg.body.id}`)).body.visibleMembers).toBe(all.filter((id) => s2Members.has(id)).length);
    expect((await t.call(t.tokens.hq, 'GET', `/api/crm/segments/${seg.body.id}/customers?pageSize=101`)).status).toBe(400);
    expect((await t.auditRows('request_id = ?', [mine.requestId]))[0]).toMatchObject({ action: 'segment.members', actor_id: t.fx.staff.manager1.wecomUserId });
  });

  it('enforces visibility on every read and write: private, team (HQ and the segment’s store), global', async () => {
    const priv = await t.call(t.tokens.marketer, 'POST', '/api/crm/segments', { name: '私有', tree: ANY_ORDER });
    expect(priv.body.visibility).toBe('private');
    for (const token of [t.tokens.manager1, t.tokens.hq, t.tokens.agent]) {
      for (const [method, path, body] of [
        ['GET', '', undefined],
        ['GET', '/customers', undefined],
        ['GET', '/history', undefined],
        ['PATCH', '', { name: '偷改' }],
        ['POST', '/run', undefined],
        ['DELETE', '', undefined],
      ] as const) {
        const r = await t.call(token, method, `/api/crm/segments/${priv.body.id}${path}`, body);
        if (token === t.tokens.agent && method !== 'GET') expect(r.status).toBe(403); // no segment.write
        else expect({ method, path, status: r.status, code: r.body.error?.code }).toEqual({ method, path, status: 404, code: 'segment_not_found' });
      }
      expect((await t.call(token, 'GET', '/api/crm/segments?pageSize=100')).body.items.map((s: any) => s.id)).not.toContain(priv.body.id);
    }
    expect((await t.call(t.tokens.marketer, 'GET', `/api/crm/segments/${priv.body.id}`)).status).toBe(200);

    // Team, built by the S1 manager: HQ roles and S1 staff see it; the S2 manager does not.
    const team = await t.call(t.tokens.manager1, 'POST', '/api/crm/segments', { name: '一店团队', tree: ANY_ORDER, visibility: 'team' });
    expect(team.body).toMatchObject({ storeId: t.fx.stores.S1, visibility: 'team' });
    for (const token of [t.tokens.agent, t.tokens.hq, t.tokens.marketer]) expect((await t.call(token, 'GET', `/api/crm/segments/${team.body.id}`)).status).toBe(200);
    expect((await t.call(t.tokens.manager2, 'GET', `/api/crm/segments/${team.body.id}`)).status).toBe(404);
    // Its list holds S1 members only (the segment's store), whoever reads it.
    expect((await memberIdsOf(team.body.id)).some((id) => s2Members.has(id))).toBe(false);

    // Global: everyone with segment.read sees it, each only their stores' members; only owner/HQ change it.
    const glob = await t.call(t.tokens.marketer, 'POST', '/api/crm/segments', { name: '全局', tree: ANY_ORDER, visibility: 'global' });
    const m2 = await t.call(t.tokens.manager2, 'GET', `/api/crm/segments/${glob.body.id}/customers?pageSize=100`);
    expect(m2.status).toBe(200);
    expect(m2.body.items.length).toBeGreaterThan(0);
    expect(m2.body.items.every((i: any) => s2Members.has(i.memberId))).toBe(true);
    const steal = await t.call(t.tokens.manager2, 'PATCH', `/api/crm/segments/${glob.body.id}`, { visibility: 'private' });
    expect(steal.status).toBe(403);
    expect(steal.body.error.code).toBe('segment_not_owner');
    expect((await t.call(t.tokens.manager2, 'DELETE', `/api/crm/segments/${glob.body.id}`)).status).toBe(403);
    // A store role cannot pin a segment to another store.
    expect((await t.call(t.tokens.manager1, 'POST', '/api/crm/segments', { name: '越权', tree: ANY_ORDER, storeId: t.fx.stores.S2 })).status).toBe(403);
  });

  it('PATCH renames and changes conditions as new revisions; a static list’s conditions cannot change', async () => {
    const seg = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '会员VIP', phrase: '有VIP标签' });
    expect(seg.body.lastCount).toBe(1);
    const renamed = await t.call(t.tokens.hq, 'PATCH', `/api/crm/segments/${seg.body.id}`, { name: '会员消费过' , tree: ANY_ORDER, description: '有订单的会员' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '会员消费过', version: 2, description: '有订单的会员', run: { trigger: 'update' } });
    expect(renamed.body.run.count).toBeGreaterThan(1);
    const history = await t.call(t.tokens.hq, 'GET', `/api/crm/segments/${seg.body.id}/history`);
    expect(history.body.versions.map((v: any) => [v.version, v.name])).toEqual([
      [1, '会员VIP'],
      [2, '会员消费过'],
    ]);
    expect(history.body.versions[1].tree).toEqual(ANY_ORDER);
    expect((await t.auditRows('request_id = ?', [renamed.requestId]))[0]).toMatchObject({ action: 'segment.update' });
    // Renaming onto another segment's name is a conflict, not a 500.
    const taken = await t.call(t.tokens.hq, 'PATCH', `/api/crm/segments/${seg.body.id}`, { name: '有消费' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('segment_exists');
    expect((await t.call(t.tokens.hq, 'PATCH', `/api/crm/segments/${seg.body.id}`, {})).status).toBe(422);

    const stat = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '冻结', tree: ANY_ORDER, kind: 'static' });
    const changed = await t.call(t.tokens.hq, 'PATCH', `/api/crm/segments/${stat.body.id}`, { phrase: '女性' });
    expect(changed.status).toBe(400);
    expect(changed.body.error.code).toBe('segment_static');
    expect((await t.call(t.tokens.hq, 'PATCH', `/api/crm/segments/${stat.body.id}`, { name: '冻结名单' })).body).toMatchObject({ name: '冻结名单', version: 2, run: null });
  });

  it('DELETE removes the segment and its list; a segment that triggers a journey is kept (409)', async () => {
    const seg = await t.call(t.tokens.marketer, 'POST', '/api/crm/segments', { name: '待删除', tree: ANY_ORDER });
    const del = await t.call(t.tokens.marketer, 'DELETE', `/api/crm/segments/${seg.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ id: seg.body.id, name: '待删除', deleted: true });
    expect(await memberIdsOf(seg.body.id)).toEqual([]);
    expect((await t.call(t.tokens.marketer, 'GET', `/api/crm/segments/${seg.body.id}`)).status).toBe(404);
    expect((await t.auditRows('request_id = ?', [del.requestId]))[0]).toMatchObject({ action: 'segment.delete', target_id: String(seg.body.id) });

    const used = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '旅程受众', tree: ANY_ORDER });
    const journey = await t.call(t.tokens.hq, 'POST', '/api/crm/journeys', { name: '离开人群包', definition: { trigger: { type: 'segment_left', segmentId: used.body.id }, steps: [{ id: 'done', type: 'exit' }] } });
    expect(journey.status).toBe(201);
    const refused = await t.call(t.tokens.hq, 'DELETE', `/api/crm/segments/${used.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('segment_in_use');
    expect((await memberIdsOf(used.body.id)).length).toBe(used.body.lastCount);
  });

  it('exports through the second-approver rules: above EXPORT_APPROVAL_ROWS or with full phones it waits for another approver', async () => {
    const small = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '导出小', phrase: '有VIP标签' });
    const ready = await t.call(t.tokens.hq, 'POST', `/api/crm/segments/${small.body.id}/export`, { fields: ['level'] });
    expect(ready.status).toBe(201);
    expect(ready.body).toMatchObject({ status: 'ready', rows: 1, phoneMasked: true, approvalId: null, reasons: [] });
    const file = await t.call(t.tokens.hq, 'GET', ready.body.download);
    expect(file.status).toBe(200);
    expect(file.body).toContain('138****0001');
    // The link is the asker's only.
    expect((await t.call(t.tokens.marketer, 'GET', ready.body.download)).status).toBe(404);

    const big = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '导出大', tree: ANY_ORDER });
    expect(big.body.lastCount).toBeGreaterThan(5);
    const pending = await t.call(t.tokens.hq, 'POST', `/api/crm/segments/${big.body.id}/export`, { format: 'csv' });
    expect(pending.status).toBe(201);
    expect(pending.body).toMatchObject({ status: 'pending', rows: big.body.lastCount, reasons: ['rows'] });
    const blocked = await t.call(t.tokens.hq, 'GET', pending.body.download);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('export_pending_approval');
    expect((await t.call(t.tokens.hq, 'POST', `/api/crm/exports/${pending.body.approvalId}/approve`)).body.error.code).toBe('export_self_approval');
    const listed = await t.call(t.tokens.marketer, 'GET', '/api/crm/exports');
    expect(listed.body.items.map((a: any) => a.id)).toContain(pending.body.approvalId);
    expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/exports/${pending.body.approvalId}/approve`)).body.status).toBe('approved');
    const approved = await t.call(t.tokens.hq, 'GET', pending.body.download);
    expect(approved.status).toBe(200);
    expect(String(approved.body).trim().split('\r\n')).toHaveLength(big.body.lastCount + 1);

    // Full phones: only with member.phone.view, and always a second approver.
    const full = await t.call(t.tokens.hq, 'POST', `/api/crm/segments/${small.body.id}/export`, { unmaskPhone: true });
    expect(full.body).toMatchObject({ status: 'pending', phoneMasked: false, reasons: ['full_phone'] });
    const noView = await t.call(t.tokens.marketer, 'POST', `/api/crm/segments/${small.body.id}/export`, { unmaskPhone: true });
    expect(noView.status).toBe(404); // hq's private segment: not visible to the marketer at all
    const glob = await t.call(t.tokens.marketer, 'POST', '/api/crm/segments', { name: '导出全局', phrase: '有VIP标签', visibility: 'global' });
    expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/segments/${glob.body.id}/export`, { unmaskPhone: true })).status).toBe(403);
    expect((await t.call(t.tokens.agent, 'POST', `/api/crm/segments/${glob.body.id}/export`, {})).status).toBe(403);
  });

  it('answers a bad tree or phrase with 422 naming the bad node, and writes nothing', async () => {
    const before = Number((await q('SELECT COUNT(*) AS n FROM segments'))[0].n);
    const badOp = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '坏树', tree: { version: 1, root: { and: [{ tag: 'VIP' }, { field: 'level', op: 'contains', value: 3 }] } } });
    expect(badOp.status).toBe(422);
    expect(badOp.body.error).toMatchObject({ code: 'validation_failed', requestId: badOp.requestId });
    expect(badOp.body.error.issues[0].path).toEqual(['tree', 'root', 'and', 1, 'op']);
    const badScore = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root: { not: { score: 'nope', op: 'eq', value: 1 } } } });
    expect(badScore.status).toBe(422);
    expect(badScore.body.error.issues[0].path).toEqual(['tree', 'root', 'not', 'score']);
    const badValue = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { tree: { version: 1, root: { or: [{ metric: 'spend', days: 30, op: 'gt', value: 'lots' }] } } });
    expect(badValue.body.error.issues[0].path).toEqual(['tree', 'root', 'or', 0, 'value']);
    const version = await t.call(t.tokens.hq, 'POST', '/api/crm/segments/preview', { tree: { version: 2, root: { tag: 'VIP' } } });
    expect(version.status).toBe(422);
    expect(version.body.error.issues[0].path).toEqual(['tree', 'version']);
    const phrase = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '坏短语', phrase: '最近90天没消费 且 喜欢喝咖啡' });
    expect(phrase.status).toBe(422);
    expect(phrase.body.error.issues[0]).toMatchObject({ path: ['phrase'] });
    expect(phrase.body.error.message).toContain('喜欢喝咖啡');
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '两个', phrase: '女性', tree: ANY_ORDER })).status).toBe(422);
    expect((await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '没有条件' })).status).toBe(422);
    const seg = await t.call(t.tokens.hq, 'POST', '/api/crm/segments', { name: '好树', tree: ANY_ORDER });
    const patch = await t.call(t.tokens.hq, 'PATCH', `/api/crm/segments/${seg.body.id}`, { tree: { version: 1, root: { and: [] } } });
    expect(patch.status).toBe(422);
    expect(patch.body.error.issues[0].path[0]).toBe('tree');
    expect(Number((await q('SELECT COUNT(*) AS n FROM segments'))[0].n)).toBe(before + 1);
    expect((await t.call(t.tokens.hq, 'GET', `/api/crm/segments/${seg.body.id}/history`)).body.versions).toHaveLength(1);
  });
});
