import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import type { Channel, StaffActor } from '../../kernel/index.ts';
import { isAppError } from '../../kernel/errors.ts';
import type { StaffRole } from '../../../generated/prisma/enums.ts';
import { processSegmentRefresh } from '../../../jobs/segment-refresh.ts';
import type { Services } from '../../../services.ts';
import type { StaffAccess } from '../../kernel/access.ts';
import { exportRoutes } from '../../../api/segment-export-route.ts';
import { createApiToken } from '../../../api/tokens.ts';
import { exportSegment } from './export.ts';
import { previewTree } from './preview.ts';
import { createSegment, findSegmentInText, getSegment, refreshNow, segmentHistory, segmentRuns, snapshotSegment, updateSegment, visibleMemberCount } from './segments.ts';
import { insertSegData, SEG_NOW, type RowMember, type SegData } from '../../../../test/support/segment-test-data.ts';

// Saved segments end to end on the real database: membership vs. an independent JS
// expectation, dynamic diffs, static snapshots, visibility, preview masking, exports.
const DAY = 86_400_000;

describe('segments', () => {
  let env: TestEnv;
  let services: Services;
  let d: SegData;
  let clock = SEG_NOW.getTime();
  let seq = 0;
  let dir: string;
  const staff: Record<string, StaffActor> = {};
  const access = (actor: StaffActor, channel: Channel = 'console'): StaffAccess => ({ services, actor, channel, requestId: `seg-${++seq}` });

  beforeAll(async () => {
    env = await createTestEnv('segments');
    services = { ...env.services, now: () => new Date(clock) };
    d = await insertSegData(services, 60, 11);
    const mk = async (key: string, role: StaffRole, storeIds: number[]) => {
      const s = await services.db.staff.create({ data: { wecomUserId: key, name: key, role, stores: { create: storeIds.map((storeId) => ({ storeId })) } } });
      staff[key] = { kind: 'staff', staffId: s.id, wecomUserId: key, name: key, role, storeIds };
    };
    await mk('hq', 'hq_operator', []);
    await mk('mkt', 'marketer', []);
    await mk('mgr1', 'store_manager', [d.stores.S1]);
    await mk('mgr2', 'store_manager', [d.stores.S2]);
    await mk('agent1', 'agent', [d.stores.S1]);
    dir = await mkdtemp(join(tmpdir(), 'seg-export-'));
  });
  afterAll(async () => {
    await env?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const live = (m: RowMember, stores: number[] | null = null) => m.status !== 'deleted' && (stores === null || (m.homeStoreId !== null && stores.includes(m.homeStoreId)));
  const membersOf = async (segmentId: number) => {
    const [rows] = await services.sql.query<any[]>('SELECT member_id, added_at FROM segment_members WHERE segment_id = ? ORDER BY member_id', [segmentId]);
    return rows.map((r) => ({ id: Number(r.member_id), addedAt: new Date(r.added_at) }));
  };
  const levelTree = (min: number) => ({ version: 1, root: { field: 'level', op: 'gte', value: min } });

  it('creates a dynamic segment with version 1, its first run and the members an independent filter expects', async () => {
    const { segment, run } = await createSegment(access(staff.hq!), { name: '高等级', tree: levelTree(4), visibility: 'global' });
    const exp = d.members.filter((m) => live(m) && m.level >= 4).map((m) => m.id);
    expect((await membersOf(segment.id)).map((r) => r.id)).toEqual(exp);
    expect(run).toMatchObject({ trigger: 'create', count: exp.length, joined: exp.length, left: 0, joinedIds: exp, leftIds: [] });
    expect(segment).toMatchObject({ version: 1, kind: 'dynamic', storeId: null, lastCount: exp.length });
    expect(await segmentHistory(access(staff.hq!), segment.id)).toHaveLength(1);
    const [auditRows] = await services.sql.query<any[]>("SELECT * FROM audit_logs WHERE action = 'segment.create' AND target_id = ?", [String(segment.id)]);
    expect(auditRows).toHaveLength(1);
  });

  it('refreshes with the membership diff: who joined, who left; stayers keep their added_at', async () => {
    const seg = (await findSegmentInText(access(staff.hq!), '人群包 高等级 有多少人'))!;
    const before = await membersOf(seg.id);
    const alive = d.members.filter((m) => live(m));
    const leaver = alive.find((m) => m.level >= 4)!;
    const joiner = alive.find((m) => m.level < 4)!;
    await services.sql.query('UPDATE members SET level = 1 WHERE id = ?', [leaver.id]);
    await services.sql.query('UPDATE members SET level = 5 WHERE id = ?', [joiner.id]);
    clock += 3600_000;
    const run = await refreshNow(access(staff.hq!), seg.id);
    expect(run).toMatchObject({ trigger: 'manual', joined: 1, left: 1, joinedIds: [joiner.id], leftIds: [leaver.id], count: before.length });
    const after = await membersOf(seg.id);
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id).filter((id) => id !== leaver.id).concat(joiner.id).sort((a, b) => a - b));
    const stayer = before.find((r) => r.id !== leaver.id)!;
    expect(after.find((r) => r.id === stayer.id)!.addedAt).toEqual(stayer.addedAt);
    expect(after.find((r) => r.id === joiner.id)!.addedAt).toEqual(new Date(clock));
    const runs = await segmentRuns(access(staff.hq!), seg.id);
    expect(runs.map((r) => [r.trigger, r.joined, r.left])).toEqual([['manual', 1, 1], ['create', before.length, 0]]);
    // Restore for later tests.
    await services.sql.query('UPDATE members SET level = ? WHERE id = ?', [leaver.level, leaver.id]);
    await services.sql.query('UPDATE members SET level = ? WHERE id = ?', [joiner.level, joiner.id]);
  });

  it('behaviour windows move with the clock: a member leaves "ordered in the last 30 days" as time passes', async () => {
    const tree = { version: 1, root: { metric: 'order_count', days: 30, op: 'gte', value: 1 } };
    const { segment, run } = await createSegment(access(staff.hq!), { name: '近30天消费', tree });
    const inWindow = (now: number) => d.members.filter((m) => live(m) && d.orders.some((o) => o.memberId === m.id && o.paidAt.getTime() <= now && o.paidAt.getTime() > now - 30 * DAY)).map((m) => m.id);
    expect(run.joinedIds).toEqual(inWindow(clock));
    clock += 10 * DAY;
    const later = await refreshNow(access(staff.hq!), segment.id);
    const exp = inWindow(clock);
    expect((await membersOf(segment.id)).map((r) => r.id)).toEqual(exp);
    expect(later.left).toBe(run.joinedIds.filter((id) => !exp.includes(id)).length);
    expect(later.joined).toBe(exp.filter((id) => !run.joinedIds.includes(id)).length);
    expect(later.left + later.joined).toBeGreaterThan(0);
  });

  it('keeps every change in segment_versions and re-evaluates a changed tree', async () => {
    const a = access(staff.hq!);
    const seg = (await findSegmentInText(a, '高等级'))!;
    const { segment, run } = await updateSegment(a, seg.id, { tree: levelTree(5), description: '五级' });
    expect(segment.version).toBe(2);
    expect(run!.count).toBe(d.members.filter((m) => live(m) && m.level >= 5).length);
    const hist = await segmentHistory(a, seg.id);
    expect(hist.map((h) => [h.version, (h.tree as any).root.value])).toEqual([[1, 4], [2, 5]]);
    await updateSegment(a, seg.id, { visibility: 'team' });
    expect((await getSegment(a, seg.id)).version).toBe(3);
  });

  it('freezes a static snapshot: data and time change, the list does not', async () => {
    const a = access(staff.hq!);
    const src = (await findSegmentInText(a, '高等级'))!;
    const { segment: snap, run } = await snapshotSegment(a, src.id, '五级快照');
    const frozen = await membersOf(snap.id);
    expect(snap.kind).toBe('static');
    expect(run.trigger).toBe('create');
    expect(frozen.map((r) => r.id)).toEqual((await membersOf(src.id)).map((r) => r.id));
    expect(frozen.every((r) => r.addedAt.getTime() === clock)).toBe(true);
    const changed = d.members.find((m) => live(m) && m.level < 5)!;
    await services.sql.query('UPDATE members SET level = 5 WHERE id = ?', [changed.id]);
    clock += DAY;
    await expect(refreshNow(a, snap.id)).rejects.toMatchObject({ code: 'segment_static' });
    await expect(updateSegment(a, snap.id, { tree: levelTree(1) })).rejects.toMatchObject({ code: 'segment_static' });
    // The scheduled job refreshes the stale dynamic ones only.
    const summary = await processSegmentRefresh(services, { staleAfterMs: 0, exportDir: dir });
    expect(summary.failed).toEqual([]);
    expect(summary.refreshed.map((r) => r.segmentId).sort()).toEqual([src.id, (await findSegmentInText(a, '近30天消费'))!.id].sort());
    expect(summary.refreshed.find((r) => r.segmentId === src.id)).toMatchObject({ trigger: 'schedule', joinedIds: [changed.id] });
    expect((await membersOf(snap.id)).map((r) => r.id)).toEqual(frozen.map((r) => r.id));
    await services.sql.query('UPDATE members SET level = ? WHERE id = ?', [changed.level, changed.id]);
  });

  it('scopes store managers: their segments cover their store; private segments are invisible to others', async () => {
    const { segment, run } = await createSegment(access(staff.mgr1!), { name: '一店全部', tree: levelTree(1) });
    expect(segment.storeId).toBe(d.stores.S1);
    expect(run.count).toBe(d.members.filter((m) => live(m, [d.stores.S1])).length);
    await expect(getSegment(access(staff.mgr2!), segment.id)).rejects.toMatchObject({ status: 404 });
    await expect(getSegment(access(staff.agent1!), segment.id)).rejects.toMatchObject({ status: 404 });
    await updateSegment(access(staff.mgr1!), segment.id, { visibility: 'team' });
    expect((await getSegment(access(staff.agent1!), segment.id)).id).toBe(segment.id); // same store
    await expect(getSegment(access(staff.mgr2!), segment.id)).rejects.toMatchObject({ status: 404 });
    // A global HQ segment read by a store manager counts only their members.
    const all = (await findSegmentInText(access(staff.hq!), '近30天消费'))!;
    await updateSegment(access(staff.hq!), all.id, { visibility: 'global' });
    const mine = await visibleMemberCount(access(staff.mgr2!), await getSegment(access(staff.mgr2!), all.id));
    const [rows] = await services.sql.query<any[]>('SELECT member_id FROM segment_members WHERE segment_id = ?', [all.id]);
    const ids = new Set(rows.map((r) => Number(r.member_id)));
    expect(mine).toBe(d.members.filter((m) => ids.has(m.id) && live(m, [d.stores.S2])).length);
    await expect(createSegment(access(staff.agent1!), { name: 'x', tree: levelTree(1) })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(createSegment(access(staff.mgr1!), { name: '一店全部', tree: levelTree(2) })).rejects.toMatchObject({ status: 409 });
    await expect(createSegment(access(staff.mgr1!), { name: '坏树', tree: { version: 1, root: { and: [{ tag: 'VIP' }, { field: 'level', op: 'gt' }] } } })).rejects.toMatchObject({ status: 400, details: { path: 'root.and[1].value' } });
  });

  it('previews count, share, 20 samples (masked by permission) and audits it', async () => {
    const tree = levelTree(2);
    const exp = d.members.filter((m) => live(m) && m.level >= 2);
    const p = await previewTree(access(staff.mkt!), tree);
    expect(p.count).toBe(exp.length);
    expect(p.total).toBe(d.members.filter((m) => live(m)).length);
    expect(p.share).toBeCloseTo(exp.length / p.total, 10);
    expect(p.sample.map((s) => s.memberId)).toEqual(exp.map((m) => m.id).slice(0, 20));
    expect(p.sample.every((s) => /^\d{3}\*{4}\d{4}$/.test(s.phone))).toBe(true);
    expect(p.churnRisk).toEqual({ unknown: exp.length }); // nobody is scored in this data
    const m = await previewTree(access(staff.mgr1!), tree);
    expect(m.count).toBe(exp.filter((x) => live(x, [d.stores.S1])).length);
    expect(m.sample[0]!.phone).toBe(d.members.find((x) => x.id === m.sample[0]!.memberId)!.phone);
    const [rows] = await services.sql.query<any[]>("SELECT actor_id, detail FROM audit_logs WHERE action = 'segment.preview' ORDER BY id");
    expect(rows.map((r) => r.actor_id)).toEqual(['mkt', 'mgr1']);
  });

  describe('export', () => {
    const parseCsv = (text: string) =>
      text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n')
        .map((l) => l.split(','));

    it('streams CSV with masked phones for a marketer, full for HQ, chosen fields, and an audit row', async () => {
      const a = access(staff.hq!);
      const seg = (await findSegmentInText(a, '近30天消费'))!;
      const [rows] = await services.sql.query<any[]>('SELECT member_id FROM segment_members WHERE segment_id = ? ORDER BY member_id', [seg.id]);
      const ids = rows.map((r) => Number(r.member_id));
      expect(ids.length).toBeGreaterThan(3);

      const full = await exportSegment(a, seg.id, { dir, fields: ['level', 'home_store', 'registered_at'] });
      const lines = parseCsv(await readFile(full.file, 'utf8'));
      expect(lines[0]).toEqual(['会员ID', '会员号', '姓名', '手机', '等级', '所属门店', '注册时间']);
      expect(lines.slice(1).map((l) => Number(l[0]))).toEqual(ids);
      const byId = new Map(d.members.map((m) => [m.id, m]));
      for (const l of lines.slice(1)) {
        const m = byId.get(Number(l[0]))!;
        expect(l[3]).toBe(m.phone);
        expect(l[1]).toBe(m.memberNo);
        expect(l[6]).toBe(m.registeredAt.toISOString().slice(0, 19).replace('T', ' '));
      }
      expect(full).toMatchObject({ rows: ids.length, phoneMasked: false, format: 'csv' });
      expect(full.file.startsWith(dir)).toBe(true);
      expect(full.file).toMatch(/[0-9a-f]{32}\.csv$/);

      const masked = await exportSegment(access(staff.mkt!), seg.id, { dir });
      const ml = parseCsv(await readFile(masked.file, 'utf8'));
      expect(ml.slice(1).map((l) => l[3])).toEqual(ids.map((id) => byId.get(id)!.phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2')));
      expect(masked.phoneMasked).toBe(true);

      const [auditRows] = await services.sql.query<any[]>("SELECT actor_id, target_id, detail FROM audit_logs WHERE action = 'segment.export' ORDER BY id");
      expect(auditRows.map((r) => [r.actor_id, r.target_id])).toEqual([['hq', String(seg.id)], ['mkt', String(seg.id)]]);
      const detail = typeof auditRows[1].detail === 'string' ? JSON.parse(auditRows[1].detail) : auditRows[1].detail;
      expect(detail).toMatchObject({ format: 'csv', rows: ids.length, phoneMasked: true });
    });

    it("limits a store manager's export to their store and refuses roles without segment.export", async () => {
      const seg = (await findSegmentInText(access(staff.mgr2!), '近30天消费'))!;
      const r = await exportSegment(access(staff.mgr2!), seg.id, { dir });
      const lines = parseCsv(await readFile(r.file, 'utf8')).slice(1);
      const [rows] = await services.sql.query<any[]>('SELECT member_id FROM segment_members WHERE segment_id = ?', [seg.id]);
      const ids = new Set(rows.map((x) => Number(x.member_id)));
      expect(lines.map((l) => Number(l[0]))).toEqual(d.members.filter((m) => ids.has(m.id) && live(m, [d.stores.S2])).map((m) => m.id));
      await expect(exportSegment(access(staff.agent1!), seg.id, { dir })).rejects.toSatisfy((e: unknown) => isAppError(e) && e.code === 'permission_denied');
    });

    it('writes Excel through the streaming writer, neutralising formula-like cells', async () => {
      await services.sql.query("UPDATE members SET name = '=HYPERLINK(\"x\")' WHERE id = ?", [d.members[0]!.id]);
      const { segment } = await createSegment(access(staff.hq!), { name: '含公式名', tree: { version: 1, root: { field: 'member_no', op: 'in', value: [d.members[0]!.memberNo, d.members[1]!.memberNo] } } });
      const r = await exportSegment(access(staff.hq!), segment.id, { dir, format: 'xlsx', fields: ['gender'] });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(r.file);
      const ws = wb.getWorksheet('members')!;
      const values = ws.getSheetValues().slice(1).map((row) => (row as unknown[]).slice(1));
      const live2 = [d.members[0]!, d.members[1]!].filter((m) => live(m));
      expect(values[0]).toEqual(['会员ID', '会员号', '姓名', '手机', '性别']);
      expect(values.slice(1).map((v) => v[0])).toEqual(live2.map((m) => m.id));
      if (live(d.members[0]!)) expect(values[1]![2]).toBe('\'=HYPERLINK("x")');
      expect(r.rows).toBe(live2.length);
    });

    it('serves the file at /exports/:token until the link expires, then 410', async () => {
      const seg = (await findSegmentInText(access(staff.hq!), '近30天消费'))!;
      const app = exportRoutes(services);
      // A marketer's export (masked phones: no second approver); the link opens only for them (issue 14).
      const r = await exportSegment(access(staff.mkt!), seg.id, { dir, ttlSeconds: 1, baseUrl: 'https://crm.example.com/' });
      expect(r.url).toBe(`https://crm.example.com/exports/${r.token}`);
      const asker = { authorization: `Bearer ${(await createApiToken(services, { staff: staff.mkt!.wecomUserId, name: 'segments-test' })).token}` };
      expect((await app.request(`/exports/${r.token}`)).status).toBe(401);
      const ok = await app.request(`/exports/${r.token}`, { headers: asker });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toContain('text/csv');
      expect(ok.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('近30天消费')}`);
      expect(Buffer.from(await ok.arrayBuffer()).equals(await readFile(r.file))).toBe(true);
      expect((await app.request('/exports/not-a-token')).status).toBe(404);
      expect((await app.request(`/exports/${'A'.repeat(32)}`, { headers: asker })).status).toBe(410);
      await new Promise((res) => setTimeout(res, 1300));
      const gone = await app.request(`/exports/${r.token}`, { headers: asker });
      expect(gone.status).toBe(410);
      expect(((await gone.json()) as any).error.code).toBe('export_expired');
    });
  });
});
