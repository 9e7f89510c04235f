import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { wherePhone } from '../support/sealed-phone.ts';

/** The service intents through the real pipeline (console channel): complaint → ticket, confirmed points, 360 card. */
describe('service intents via POST /console/messages', () => {
  let env: TestEnv;
  let rt: Runtime;
  const say = async (from: string, text: string) => {
    const res = await rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text }) });
    return { status: res.status, body: (await res.json()) as { reply: string; intent: string; slots: Record<string, unknown> } };
  };
  const points = async (phone: string) => (await env.services.db.member.findUniqueOrThrow({ where: wherePhone(phone) })).points;

  beforeAll(async () => {
    env = await createTestEnv('e2e_service');
    await seedDemo(env.services.sql, { members: 100, seed: 11, now: new Date('2026-11-01T00:00:00Z') });
    rt = createRuntime(env.services);
  });
  afterAll(async () => {
    await rt?.stop();
    await env?.cleanup();
  });

  it('logs a complaint, opens its ticket, resolves it by number, and shows it on the 360 card meanwhile', async () => {
    const r = await say('store_manager_01', '记录 13800000001 来电投诉上菜慢');
    expect(r.body.intent).toBe('interaction.log');
    expect(r.body.reply).toContain('电话投诉：上菜慢');
    const no = /T\d{14}/.exec(r.body.reply)?.[0];
    expect(no).toBeDefined();
    const card = await say('store_manager_01', '13800000001 的详细情况');
    expect(card.body.intent).toBe('member.summary');
    expect(card.body.reply).toContain(`${no} 待处理 上菜慢`);
    const done = await say('store_manager_01', `${no} 已解决 已致歉并赠券`);
    expect(done.body.intent).toBe('ticket.update');
    expect(done.body.reply).toContain('已解决');
    expect(await env.services.db.ticket.findUniqueOrThrow({ where: { ticketNo: no! } })).toMatchObject({ status: 'resolved', resolution: '已致歉并赠券' });
  });

  it('holds a large points change until the same person confirms it, then applies it once', async () => {
    const before = await points('13800000001');
    const ledger = () => env.services.db.pointsLedger.count({ where: { member: wherePhone('13800000001') } });
    const entriesBefore = await ledger(); // the demo data's opening balance entry
    const held = await say('store_manager_01', '给 13800000001 加 2000 积分 原因 投诉补偿');
    expect(held.body.intent).toBe('points.adjust');
    expect(held.body.reply).toContain('加 2,000 积分（原因：投诉补偿）');
    expect(await points('13800000001')).toBe(before);
    const code = /编号 (\d{4})/.exec(held.body.reply)?.[1];
    expect(code).toBeDefined();
    const ok = await say('store_manager_01', `确认 ${code}`);
    expect(ok.body.reply).toContain(`当前积分 ${(before + 2000).toLocaleString('en-US')}`);
    expect(await points('13800000001')).toBe(before + 2000);
    await say('store_manager_01', `确认 ${code}`); // a second confirmation applies nothing
    expect(await points('13800000001')).toBe(before + 2000);
    // A small change applies at once; an agent may not adjust points at all.
    expect((await say('store_manager_01', '给 13800000001 加 10 积分 原因 消费奖励')).body.reply).toContain(`当前积分 ${(before + 2010).toLocaleString('en-US')}`);
    const denied = await say('agent_01', '给 13800000001 加 10 积分 原因 消费奖励');
    expect(denied.body.reply).not.toContain('当前积分');
    expect(await points('13800000001')).toBe(before + 2010);
    expect(await ledger()).toBe(entriesBefore + 2);
  });
});
