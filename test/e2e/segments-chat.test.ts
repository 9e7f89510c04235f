import { unlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { exportRoutes } from '../../src/api/segment-export-route.ts';
import { exportLinkKey, type ExportLink } from '../../src/crm/insights/segments/export.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { processSegmentCount, processSegmentRefresh } from '../../src/jobs/segment-refresh.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { openPhone } from '../support/sealed-phone.ts';

// Segment chat flows end to end: console HTTP → pipeline → rule router → segment intents →
// MariaDB, with the expected member set computed here in JS from the seeded rows.
const NOW = new Date('2026-11-01T00:00:00Z');
const DAY = 86_400_000;

describe('segments over chat (POST /console/messages)', () => {
  let env: TestEnv;
  let rt: Runtime;
  const files: string[] = [];
  const say = async (from: string, text: string) => {
    const res = await rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) });
    expect(res.status).toBe(200);
    return (await res.json()) as { reply: string; intent: string; slots: Record<string, unknown>; confidence: number };
  };
  /** Members (all stores) with no order in the 90 days before NOW and more than ¥2000 spent up to NOW, computed in JS. */
  let expected: { id: number; phone: string }[];

  beforeAll(async () => {
    env = await createTestEnv('e2e_segments', {}, { now: () => NOW });
    await seedDemo(env.services.sql, { members: 200, seed: 7, now: NOW });
    rt = createRuntime(env.services);
    // The lead mounts this in src/http/app.ts; mounted here so the link can be followed.
    rt.app.route('/', exportRoutes(env.services));
    const [members] = await env.services.sql.query<any[]>("SELECT id, phone_enc FROM members WHERE status <> 'deleted' ORDER BY id");
    const [orders] = await env.services.sql.query<any[]>('SELECT member_id, amount, paid_at FROM orders');
    const stats = new Map<number, { cents: number; recent: boolean }>();
    for (const o of orders) {
      const paid = new Date(o.paid_at).getTime();
      if (paid > NOW.getTime()) continue;
      const s = stats.get(Number(o.member_id)) ?? { cents: 0, recent: false };
      s.cents += Math.round(Number(o.amount) * 100);
      if (paid > NOW.getTime() - 90 * DAY) s.recent = true;
      stats.set(Number(o.member_id), s);
    }
    expected = members.filter((m) => {
      const s = stats.get(Number(m.id));
      return s !== undefined && !s.recent && s.cents > 200000;
    }).map((m) => ({ id: Number(m.id), phone: openPhone(String(m.phone_enc)) }));
  });
  afterAll(async () => {
    for (const f of files) await unlink(f).catch(() => {});
    await rt?.stop();
    await env?.cleanup();
  });

  it('creates a segment from a chat phrase at once; a job counts it exactly once and tells who asked; the next question shows the count', async () => {
    expect(expected.length).toBeGreaterThan(0);
    const r = await say('marketer_01', '创建人群包 高价值沉睡会员：最近90天没消费 且 累计消费大于2000');
    expect(r.intent).toBe('segment.create');
    expect(r.confidence).toBeGreaterThanOrEqual(0.5);
    expect(r.reply).toContain('已创建人群包「高价值沉睡会员」');
    expect(r.reply).toContain('条件：最近90天消费次数 = 0 且 累计消费金额 > ¥2000.00');
    expect(r.reply).toContain('人数正在后台统计');
    const [[seg]] = await env.services.sql.query<any[]>("SELECT id, last_run_at FROM segments WHERE name = '高价值沉睡会员'");
    expect(seg.last_run_at).toBeNull();
    // Asked before the job ran: still counting, and the turn counts nothing itself.
    const early = await say('marketer_01', '人群包 高价值沉睡会员 有多少人');
    expect(early.intent).toBe('segment.count');
    expect(early.reply).toContain('还在后台统计中');
    const runs = async () => (await env.services.sql.query<any[]>('SELECT `trigger`, count FROM segment_runs WHERE segment_id = ?', [seg.id]))[0];
    expect(await runs()).toEqual([]);
    // The job (as queued by the turn, then run twice — a retry — beside the scheduled sweep): one run, one notice.
    const job = { kind: 'segment-count' as const, segmentId: Number(seg.id), notify: { channel: 'wecom' as const, to: 'marketer_01', lang: 'zh' as const } };
    const [a, b] = await Promise.all([processSegmentCount(env.services, job), processSegmentRefresh(env.services, { exportMaxAgeMs: null })]);
    expect(a.count).toBe(expected.length);
    expect(b.failed).toEqual([]);
    const again = await processSegmentCount(env.services, job);
    expect(again).toEqual({ count: expected.length, counted: false });
    expect((await runs()).map((x: any) => [x.trigger, Number(x.count)])).toEqual([['create', expected.length]]);
    const [rows] = await env.services.sql.query<any[]>('SELECT member_id FROM segment_members WHERE segment_id = ? ORDER BY member_id', [seg.id]);
    expect(rows.map((x) => Number(x.member_id))).toEqual(expected.map((e) => e.id));
    const [notices] = await env.services.sql.query<any[]>("SELECT data FROM outbound_jobs WHERE name = 'segment-counted' AND job_id = ?", [`segment-counted-${seg.id}`]);
    expect(notices).toHaveLength(1);
    expect(JSON.parse(String(notices[0].data))).toMatchObject({ channel: 'wecom', to: 'marketer_01' });
    expect(JSON.parse(String(notices[0].data)).text).toContain(`人群包「高价值沉睡会员」统计完成：${expected.length} 人`);
  });

  it('keeps a segment asked for as static static (静态人群包)', async () => {
    const r = await say('marketer_01', '创建静态人群包 沉睡名单快照：最近90天没消费');
    expect(r.intent).toBe('segment.create');
    const [rows] = await env.services.sql.query<any[]>("SELECT kind FROM segments WHERE name = '沉睡名单快照'");
    expect(rows.map((x) => x.kind)).toEqual(['static']);
  });

  it('says which part of the conditions it did not understand, and saves nothing', async () => {
    const r = await say('marketer_01', '创建人群包 咖啡爱好者：最近90天没消费 且 喜欢喝咖啡');
    expect(r.intent).toBe('segment.create');
    expect(r.reply).toContain('没看懂：「喜欢喝咖啡」');
    const [rows] = await env.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM segments WHERE name = '咖啡爱好者'");
    expect(Number(rows[0].n)).toBe(0);
    const dup = await say('marketer_01', '创建人群包 高价值沉睡会员：等级>3');
    expect(dup.reply).toContain('已经有名为「高价值沉睡会员」的人群包');
  });

  it('counts a segment (its last run while unchanged, re-evaluated when asked); private segments stay private', async () => {
    const r = await say('marketer_01', '人群包 高价值沉睡会员 有多少人');
    expect(r.intent).toBe('segment.count');
    expect(r.reply).toContain(`人群包「高价值沉睡会员」现有 ${expected.length} 人`);
    expect(r.reply).toContain('截至'); // as of its last run, at creation
    const fresh = await say('marketer_01', '重新计算人群包 高价值沉睡会员 有多少人');
    expect(fresh.reply).toContain(`现有 ${expected.length} 人`);
    expect(fresh.reply).toContain('新增 0 人，移出 0 人');
    const other = await say('store_manager_01', '人群包 高价值沉睡会员 有多少人');
    expect(other.intent).toBe('segment.count');
    expect(other.reply).not.toContain(`现有`);
    const missing = await say('marketer_01', '人群包 不存在的包 有多少人');
    expect(missing.reply).toContain('没有找到这个人群包');
    expect(missing.reply).toContain('「高价值沉睡会员」');
  });

  it('exports after confirmation: preview, 确认, then a link that serves the masked CSV and an audit row', async () => {
    const runs = async () => Number((await env.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM segment_runs r JOIN segments s ON s.id = r.segment_id WHERE s.name = '高价值沉睡会员'"))[0][0].n);
    const runsBefore = await runs();
    const held = await say('marketer_01', '导出人群包 高价值沉睡会员');
    expect(held.intent).toBe('segment.export');
    // The preview counts the segment's current run (its conditions unchanged, the run fresh) — equal to the JS computation — and says as of when, without re-evaluating it.
    expect(held.reply).toContain(`将导出人群包「高价值沉睡会员」的 ${expected.length} 位会员（截至 `);
    expect(await runs()).toBe(runsBefore);
    expect(held.reply).toContain('脱敏手机号');
    expect(held.reply).toContain('确认');
    const [before] = await env.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'segment.export'");
    expect(Number(before[0].n)).toBe(0); // nothing exported before confirmation

    const done = await say('marketer_01', '确认');
    expect(done.reply).toContain(`已导出 ${expected.length} 位会员`);
    const token = /\/exports\/([A-Za-z0-9_-]{32})/.exec(done.reply)?.[1];
    expect(token).toBeDefined();
    const link = JSON.parse((await env.services.redis.get(exportLinkKey(env.services, token!)))!) as ExportLink;
    files.push(link.file);
    const ttl = await env.services.redis.ttl(exportLinkKey(env.services, token!));
    expect(ttl).toBeGreaterThan(25 * 60);
    expect(ttl).toBeLessThanOrEqual(30 * 60);

    // The link is bound to the person who asked: no sign-in 401, another person 404.
    expect((await rt.app.request(`/exports/${token}`)).status).toBe(401);
    const signIn = async (from: string) => {
      const r = await rt.app.request('/auth/dev', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from }) });
      return { cookie: /crm_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0] };
    };
    expect((await rt.app.request(`/exports/${token}`, { headers: await signIn('hq_ops_01') })).status).toBe(404);
    const asker = await signIn('marketer_01');
    const res = await rt.app.request(`/exports/${token}`, { headers: asker });
    expect(res.status).toBe(200);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('会员ID,会员号,姓名,手机,等级,积分,所属门店,注册时间');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(expected.map((e) => e.id));
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(expected.map((e) => `${e.phone.slice(0, 3)}****${e.phone.slice(-4)}`));

    const [audit] = await env.services.sql.query<any[]>("SELECT actor_id, channel FROM audit_logs WHERE action = 'segment.export'");
    expect(audit).toEqual([{ actor_id: 'marketer_01', channel: 'console' }]);

    // Link expiry: once the key is gone, the link answers 410.
    await env.services.redis.del(exportLinkKey(env.services, token!));
    expect((await rt.app.request(`/exports/${token}`, { headers: asker })).status).toBe(410);
  });

  it('re-evaluates a segment before its export preview once its conditions changed since its last run', async () => {
    const runs = async () => Number((await env.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM segment_runs r JOIN segments s ON s.id = r.segment_id WHERE s.name = '高价值沉睡会员'"))[0][0].n);
    const before = await runs();
    // Changed after its last run (as an edit of its conditions would leave it).
    await env.services.sql.query("UPDATE segments SET updated_at = ? WHERE name = '高价值沉睡会员'", [new Date(NOW.getTime() + 1000)]);
    const held = await say('marketer_01', '导出人群包 高价值沉睡会员');
    expect(held.reply).toContain(`的 ${expected.length} 位会员`);
    expect(await runs()).toBe(before + 1);
    // Its run is now current: the next preview reads it.
    await say('marketer_01', '取消');
    await env.services.sql.query("UPDATE segments SET updated_at = ? WHERE name = '高价值沉睡会员'", [NOW]);
    await say('marketer_01', '导出人群包 高价值沉睡会员');
    expect(await runs()).toBe(before + 1);
    await say('marketer_01', '取消');
  });

  it('refuses an export to a role without segment.export', async () => {
    const r = await say('agent_01', '导出人群包 高价值沉睡会员');
    expect(r.intent).toBe('segment.export');
    expect(r.reply).toMatch(/权限/);
  });
});
