import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import type { StaffActor } from '../bot/types.ts';
import { enrolKoc, recordReferral } from '../crm/loyalty/koc/index.ts';
import { createFixture, NOW, type Fixture } from '../../test/support/crm/fixture.ts';
import type { Services } from '../services.ts';
import { getIntent, intents } from './catalogue.ts';
import { createRuleRouter } from './router/rules.ts';
import { heldPreview } from './types.ts';

// The service intents end to end against MariaDB: message → rule router → slots → run(), as
// the pipeline does it (minus the channel), checking scope, masking, audit rows and effects.
describe('service intents', () => {
  let env: TestEnv;
  let services: Services;
  let fx: Fixture;
  let seq = 0;
  const router = createRuleRouter(intents);
  beforeAll(async () => {
    env = await createTestEnv('service_intents');
    services = { ...env.services, now: () => NOW };
    fx = await createFixture(services);
  });
  afterAll(async () => env?.cleanup());

  async function say(actor: StaffActor, text: string, expectIntent?: string) {
    const r = await router.route(text, { audience: 'staff', actor, services });
    if (expectIntent) expect(r.intent).toBe(expectIntent);
    const intent = getIntent(r.intent)!;
    const slots = intent.slots.parse(r.slots);
    const ctx = { services, actor, channel: 'console' as const, requestId: `s-${++seq}`, lang: 'zh' as const };
    const held = intent.confirm ? await intent.confirm(ctx, slots) : null;
    const preview = held ? heldPreview(held).text : null;
    const result = preview ? { text: preview, data: undefined } : await intent.run(ctx, slots);
    return { ...result, preview, intent: r.intent, requestId: ctx.requestId, audits: () => services.db.auditLog.findMany({ where: { requestId: ctx.requestId }, orderBy: { id: 'asc' } }) };
  }

  it('interaction.log: a complaint by phone creates the interaction and a complaint ticket, audited', async () => {
    const r = await say(fx.staff.manager1, '记录 13800000001 来电投诉上菜慢', 'interaction.log');
    expect(r.text).toContain('已记录 张伟（M00000001） 的电话投诉：上菜慢');
    expect(r.text).toMatch(/已生成投诉工单 T20261121\d{6}（优先级高，处理人 王店长）/);
    const rows = await services.db.interaction.findMany({ where: { memberId: fx.memberIds.M00000001 }, include: { ticket: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'complaint', channel: 'call', content: '上菜慢', ticket: { type: 'complaint', status: 'open' } });
    expect((await r.audits()).map((a) => a.action)).toEqual(['interaction.log', 'ticket.create']);

    const praise = await say(fx.staff.agent, '记录 M00000001 微信咨询包间预订 3天后回访', 'interaction.log');
    expect(praise.text).toContain('微信咨询：包间预订');
    expect(praise.text).toContain('跟进日期 2026-11-24');
    expect(praise.text).not.toContain('工单');
  });

  it('a store manager cannot read or change another store’s member by chat, and the probe is audited', async () => {
    for (const text of ['13800000002 的工单', '13800000002 的互动记录', '13800000002 是什么等级', '记录 13800000002 来电投诉', '给 13800000002 加 10 积分 原因 测试', '给 13800000002 建工单 空调坏了', '13800000002 的详细情况']) {
      const r = await say(fx.staff.manager1, text);
      expect(r.text, text).toContain('在你可查看的门店里没有找到手机号为「13800000002」的会员');
      const audits = await r.audits();
      expect(audits, text).toHaveLength(1);
      expect(audits[0]).toMatchObject({ targetType: 'member_search', targetId: 'phone:13800000002', actorId: 'store_manager_01' });
    }
    expect(await services.db.interaction.count({ where: { memberId: fx.memberIds.M00000002 } })).toBe(0);
    expect(await services.db.ticket.count({ where: { memberId: fx.memberIds.M00000002 } })).toBe(0);
    expect(await services.db.pointsLedger.count({ where: { memberId: fx.memberIds.M00000002 } })).toBe(0);
    // The other store's manager sees them.
    expect((await say(fx.staff.manager2, '13800000002 的工单', 'member.tickets')).text).toContain('张伟（M00000002） 没有工单');
  });

  it('ticket.update runs a score and a close said in one message (打5分 可以关了): rated, then closed', async () => {
    const c = await say(fx.staff.manager1, '给 13800000004 建工单 包间灯坏了', 'ticket.create');
    const no = /T\d{14}/.exec(c.text)![0];
    await say(fx.staff.manager1, `工单 ${no} 已解决 换了灯泡`, 'ticket.update');
    expect((await say(fx.staff.manager1, `${no} 满意度 5 可以关了`, 'ticket.update')).text).toContain('★★★★★');
    expect(await services.db.ticket.findUniqueOrThrow({ where: { ticketNo: no } })).toMatchObject({ status: 'closed', satisfaction: 5 });
  });

  it('ticket.update closes an open ticket with its score in one message: resolved first, rated, then closed (session 23)', async () => {
    const c = await say(fx.staff.manager1, '给 13800000004 建工单 门口的地垫翘起来了', 'ticket.create');
    const no = /T\d{14}/.exec(c.text)![0];
    expect((await say(fx.staff.manager1, `地垫换好了 ${no} 可以关了 满意度3分`, 'ticket.update')).text).toContain('★★★☆☆');
    expect(await services.db.ticket.findUniqueOrThrow({ where: { ticketNo: no } })).toMatchObject({ status: 'closed', satisfaction: 3 });
  });

  it('ticket.create and ticket.update walk a ticket to closed by chat, and member.tickets lists it', async () => {
    const c = await say(fx.staff.manager1, '给 13800000004 建工单 包间空调坏了 紧急', 'ticket.create');
    const no = /T\d{14}/.exec(c.text)![0];
    expect(c.text).toContain(`已创建工单 ${no}：维修 · 优先级紧急 · 待处理`);
    expect(c.text).toContain('内容 包间空调坏了');
    const assigned = await say(fx.staff.manager1, `${no} 指派给 客服小刘`, 'ticket.update');
    expect(assigned.text).toContain('处理人 客服小刘');
    expect((await say(fx.staff.manager1, `${no} 指派给 不存在的人`)).text).toBe('没有找到员工「不存在的人」。');
    const resolved = await say(fx.staff.manager1, `工单 ${no} 已解决 更换压缩机`, 'ticket.update');
    expect(resolved.text).toContain('已解决');
    expect(resolved.text).toContain('更换压缩机');
    expect((await resolved.audits()).map((a) => a.detail)).toEqual([expect.objectContaining({ from: 'open', to: 'in_progress' }), expect.objectContaining({ from: 'in_progress', to: 'resolved' })]);
    expect((await say(fx.staff.manager1, `${no} 满意度 4`, 'ticket.update')).text).toContain('★★★★☆');
    expect((await say(fx.staff.manager1, `close ticket ${no}`, 'ticket.update')).text).toContain('已关闭');
    const t = await services.db.ticket.findUniqueOrThrow({ where: { ticketNo: no } });
    expect(t).toMatchObject({ status: 'closed', satisfaction: 4, resolution: '更换压缩机' });
    expect(t.firstResponseAt).not.toBeNull();
    // Closed is final.
    await expect(say(fx.staff.manager1, `把 ${no} 改为处理中`)).rejects.toMatchObject({ code: 'invalid_transition', status: 409 });
    // Another store's manager cannot touch it.
    await expect(say(fx.staff.manager2, `升级工单 ${no}`)).rejects.toMatchObject({ code: 'ticket_not_found', status: 404 });
    const list = await say(fx.staff.agent, '13800000004 的工单', 'member.tickets');
    expect(list.text).toContain(`${no} [已关闭] 维修/紧急 包间空调坏了`);
  });

  it('points.adjust: permission-checked, applied with a reason, large changes held for confirmation', async () => {
    const small = await say(fx.staff.manager1, '给 13800000005 加 100 积分 原因 消费奖励', 'points.adjust');
    expect(small.preview).toBeNull();
    expect(small.text).toBe('已给 王芳（M00000005） 加 100 积分（原因：消费奖励），当前积分 1,300。');
    expect((await small.audits()).map((a) => a.action)).toEqual(['points.adjust']);
    const held = await say(fx.staff.manager1, '给王芳加两千积分,理由:投诉补偿', 'points.adjust');
    expect(held.preview).toContain('将给 王芳（M00000005） 加 2,000 积分（原因：投诉补偿），当前积分 1,300');
    expect((await services.db.member.findUniqueOrThrow({ where: { id: fx.memberIds.M00000005 } })).points).toBe(1300);
    // After confirmation the pipeline calls run().
    const intent = getIntent('points.adjust')!;
    const done = await intent.run({ services, actor: fx.staff.manager1, channel: 'console', requestId: 'confirmed-1', lang: 'zh' }, intent.slots.parse({ name: '王芳', text: '给王芳加两千积分,理由:投诉补偿' }));
    expect(done.text).toContain('当前积分 3,300');
    await expect(say(fx.staff.manager1, '13800000005 扣 5000 积分 兑换')).resolves.toMatchObject({ preview: expect.stringContaining('扣 5,000 积分') });
    await expect(intent.run({ services, actor: fx.staff.manager1, channel: 'console', requestId: 'c2', lang: 'zh' }, intent.slots.parse({ phone: '13800000005', delta: -5000, reason: '兑换' }))).rejects.toMatchObject({ code: 'insufficient_points', status: 409 });
    await expect(say(fx.staff.agent, '给 13800000005 加 100 积分 原因 x')).rejects.toMatchObject({ code: 'permission_denied', status: 403 });
    expect((await say(fx.staff.manager1, '给 13800000005 加 100 积分')).text).toContain('请说明加 100 积分的原因');
  });

  it('member.level, koc.stats and the 360 summary (open tickets, complaints, KOC), phones masked for agents', async () => {
    const lvl = await say(fx.staff.agent, '13800000001 是什么等级', 'member.level');
    expect(lvl.text).toContain('张伟（M00000001）：L2 银卡会员');
    expect(lvl.text).toContain('下一级 L3 金卡会员');
    expect((await lvl.audits()).map((a) => a.action)).toEqual(['member.level']);

    const { referralCode } = await enrolKoc({ services, actor: fx.staff.hq, channel: 'console', requestId: 'k1' }, fx.memberIds.M00000001!, 2);
    await recordReferral({ services, actor: fx.staff.hq, channel: 'console', requestId: 'k2' }, { referralCode, referredMemberId: fx.memberIds.M00000009, orderId: 1, commission: '8.80' });
    const koc = await say(fx.staff.manager1, '13800000001 的KOC数据', 'koc.stats');
    expect(koc.text).toContain('KOC L2');
    expect(koc.text).toContain('推荐 1 人 · 核销 1 次 · 收益 ¥8.80');
    expect((await say(fx.staff.manager1, 'KOC排行 前10', 'koc.stats')).text).toContain('1. 张伟（M00000001） L2');
    expect((await say(fx.staff.manager2, 'KOC leaderboard', 'koc.stats')).text).toBe('你可查看的门店里还没有 KOC。');

    const card = await say(fx.staff.agent, '13800000001 的详细情况', 'member.summary');
    expect(card.text).toContain('手机 138****0001');
    expect(card.text).toContain('等级 L2 银卡会员');
    expect(card.text).toContain('KOC L2 · 推荐 1 人 · 核销 1 次 · 收益 ¥8.80');
    expect(card.text).toMatch(/未结工单 1 张：\n· T\d{14} 待处理 上菜慢/);
    expect(card.text).toContain('近 90 天投诉 1 次');
    expect((await card.audits()).map((a) => [a.action, a.targetId])).toEqual([['member.summary', String(fx.memberIds.M00000001)]]);

    const inter = await say(fx.staff.manager1, '张伟的投诉记录');
    expect(inter.intent).toBe('member.interactions');
    // 张伟 is three members; the manager sees two of them in S1: ask to pick.
    expect(inter.text).toContain('请用手机号或会员号指定其中一位');
    const one = await say(fx.staff.manager1, 'interactions of M00000001', 'member.interactions');
    expect(one.text).toContain('共 2 条互动');
    expect(one.text).toContain('电话投诉：上菜慢');
  });
});
