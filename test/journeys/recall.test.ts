import { randomUUID } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import type { BotAnswer, HandleMessage } from '../../src/bot/types.ts';
import { createWeComChannel } from '../../src/channels/wecom/index.ts';
import { MP_TEMPLATES } from '../../src/crm/automation/journeys/templates.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { createRuleRouter } from '../../src/intents/router/rules.ts';
import { startJourneyControl } from '../../src/jobs/journey-control.ts';
import { startOutboundWorker } from '../../src/jobs/outbound-worker.ts';
import { createRig, insertMembers, type MemberSpec, type Rig } from './support.ts';

const START = new Date('2026-11-18T02:00:00.000Z'); // Wednesday 10:00 China time
const DAY = 86_400_000;
const N = Number(process.env.RECALL_N ?? 10_000);
const MANAGER = 'sm_recall';

// Who each member is, and therefore where the recall must reach them.
const spec = (i: number): MemberSpec & { expect: string } => {
  // Opted out of marketing: left out of the recall (docs/journeys.md, "Recall safety").
  if (i % 200 === 11) return { optOut: true, expect: 'left_out' };
  if (i % 10 === 0) return { openid: true, expect: 'miniprogram' };
  const external = i % 10 === 1 || i % 10 === 2 || i % 10 === 3;
  if (external && i % 10 !== 3) return { external, expect: 'wecom' };
  // i % 10 === 3: a WeCom id that is no longer a contact (fail_list) → falls back to SMS.
  if (i % 50 === 7) return { external, expect: 'unreachable' };
  if (i % 97 === 5) return { external, expect: 'failed' };
  return { external, expect: 'sms' };
};
const last4 = (to: string) => Number(to.slice(-4));

let rig: Rig;
let bot: HandleMessage;
const workers: { close(): Promise<void> }[] = [];
const say = async (text: string): Promise<BotAnswer> => {
  const out = await bot({ channel: 'console', messageId: randomUUID(), from: MANAGER, text, receivedAt: rig.clock.now, requestId: randomUUID() });
  if (out.kind !== 'answer') throw new Error(out.kind);
  return out.answer;
};

beforeAll(async () => {
  rig = await createRig('recall_10k', {
    start: START,
    sms: { invalid: (to) => last4(to) % 50 === 7, broken: (to) => last4(to) % 97 === 5 },
    contacts: (id) => Number(id.slice(3)) % 10 !== 3,
  });
  const { services } = rig.env;
  const specs = Array.from({ length: N }, (_, i) => spec(i));
  const ids = await insertMembers(rig.env, specs);
  const [stores] = await services.sql.query<RowDataPacket[]>('SELECT id FROM stores LIMIT 1');
  const store = stores[0]!;
  const [st] = await services.sql.query<import('mysql2').ResultSetHeader>("INSERT INTO staff (wecom_user_id, name, role) VALUES (?, '王店长', 'store_manager')", [MANAGER]);
  await services.sql.query('INSERT INTO staff_stores (staff_id, store_id) VALUES (?, ?)', [st.insertId, store.id]);
  // Two orders each, 500 and 400 days ago: every member is overdue (churn list).
  for (let i = 0; i < N; i += 2000) {
    const rows = ids.slice(i, i + 2000).flatMap((id) => [500, 400].map((d) => [`O${id}-${d}`, id, store.id, '88.00', '[]', 'wechat', new Date(START.getTime() - d * DAY)]));
    await services.sql.query('INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) VALUES ?', [rows]);
  }
  // One accepted coupon subscription for every mini-program member.
  const subs = specs.flatMap((s, i) => (s.openid ? [[`o_${i}`, ids[i], MP_TEMPLATES.coupon, 1, 'accept', 1, START]] : []));
  await services.sql.query('INSERT INTO mp_subscriptions (openid, member_id, template_id, remaining, last_status, accepted_total, updated_at) VALUES ?', [subs]);

  bot = createBot({ services, router: createRuleRouter(intents), getIntent });
  rig.startWorker(32);
  const control = startJourneyControl(services, { deps: rig.deps, schedules: false });
  control.on('failed', (job, err) => console.error('control job failed', job?.data, err));
  workers.push(startOutboundWorker(services, { wecom: createWeComChannel(services) }), control);
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await rig?.close();
});

describe('recall of 10,000 churned members from one sentence', () => {
  it('previews, waits for confirmation, delivers to every member once and reports back', { timeout: 600_000 }, async () => {
    const preview = await say('给本店高风险流失会员发20元召回券');
    expect(preview.intent).toBe('recall.launch');
    const all = Array.from({ length: N }, (_, i) => spec(i).expect);
    const leftOut = all.filter((x) => x === 'left_out').length;
    const expected = all.filter((x) => x !== 'left_out');
    const M = expected.length; // the members the recall includes
    const count = (e: string) => expected.filter((x) => x === e).length;
    expect(preview.text).toContain(`将向流失预警名单上的 ${M} 位会员发送 20 元回归券`);
    expect(preview.text).toContain(`预计成本 ${(M * 20).toFixed(2)} 元`);
    // The preview's channel is the first one on file (it cannot know about fail_list or bad numbers in advance).
    expect(preview.text).toContain(`小程序 ${count('miniprogram')}`);
    expect(preview.text).toContain(`已排除 ${leftOut} 位：${leftOut} 位已退订`);
    expect(preview.text).toContain('回复「确认」执行');
    const [before] = await rig.env.services.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM journey_enrollments');
    expect(Number(before[0]!.n)).toBe(0); // held until confirmed

    const t0 = Date.now();
    const ok = await say('确认');
    expect(ok.intent).toBe('action.confirm');
    expect(ok.text).toContain(`召回已启动`);
    // A recall launched by a manager of one store belongs to that store (docs/api.md, store scope).
    const owner = (await rig.env.services.sql.query<RowDataPacket[]>('SELECT j.store_id, ss.store_id AS manager_store FROM recalls r JOIN journeys j ON j.id = r.journey_id JOIN staff_stores ss ON ss.staff_id = r.staff_id'))[0];
    expect(owner).toHaveLength(1);
    expect(owner[0]!.store_id).toBe(owner[0]!.manager_store);
    await rig.drain(500_000);
    // Let the 1-minute progress checks run until the summary is out.
    for (let i = 0; i < 10; i++) {
      const r = (await rig.env.services.sql.query<RowDataPacket[]>('SELECT summary_sent_at FROM recalls'))[0][0];
      if (r!.summary_sent_at) break;
      await rig.advance(60_000);
      await new Promise((res) => setTimeout(res, 200));
    }
    const elapsed = (Date.now() - t0) / 1000;

    const { services } = rig.env;
    const [log] = await services.sql.query<RowDataPacket[]>(
      "SELECT e.member_id, x.result, x.channel FROM journey_enrollments e JOIN journey_step_executions x ON x.enrollment_id = e.id AND x.step_id = 'message' ORDER BY e.member_id",
    );
    expect(log).toHaveLength(M); // every member accounted for
    const got = log.map((r) => (r.result === 'sent' ? r.channel : r.result));
    expect(got).toEqual(expected);

    // The fake providers received exactly one message per member reached through them.
    const mp = rig.weixin.sent.filter((s) => s.api === 'subscribe');
    expect(mp).toHaveLength(count('miniprogram'));
    expect(new Set(mp.map((s) => s.touser)).size).toBe(count('miniprogram'));
    expect(rig.wecom.external).toHaveLength(count('wecom'));
    expect(new Set(rig.wecom.external.map((s) => s.externalUserId)).size).toBe(count('wecom'));
    expect(rig.sms.delivered).toHaveLength(count('sms'));
    expect(new Set(rig.sms.delivered.map((s) => s.to)).size).toBe(count('sms'));
    const coupons = (await services.sql.query<RowDataPacket[]>("SELECT COUNT(*) AS n, COUNT(DISTINCT member_id) AS m FROM member_coupons WHERE source = 'recall' AND amount = 20.00"))[0][0];
    expect([Number(coupons!.n), Number(coupons!.m)]).toEqual([M, M]);

    // The staff member got the launch notice and the summary in WeCom. Reports are jobs: wait for
    // them (up to 60 s on a loaded machine) instead of a fixed pause.
    const arrived = async (pred: () => boolean) => {
      for (const until = Date.now() + 60_000; !pred() && Date.now() < until; ) await new Promise((res) => setTimeout(res, 200));
    };
    await arrived(() => rig.wecom.sent.some((m) => m.touser === MANAGER && m.content.includes('召回完成')));
    const mine = rig.wecom.sent.filter((m) => m.touser === MANAGER).map((m) => m.content);
    expect(mine[0]).toContain('召回已启动');
    const summary = mine.find((m) => m.includes('召回完成'))!;
    expect(summary).toContain(`已发送 ${count('miniprogram') + count('wecom') + count('sms')}`);
    expect(summary).toContain(`失败 ${count('failed')}`);
    expect(summary).toContain(`无法触达 ${count('unreachable')}`);
    console.log(`recall 10k: delivered in ${elapsed.toFixed(1)} s (${(N / elapsed).toFixed(0)} members/s); ${summary}`);

    // Day 3: 150 recalled members come back; attribution after 7 and 30 days.
    const back = log.slice(0, 150).map((r) => r.member_id);
    await services.sql.query('INSERT INTO orders (order_no, member_id, store_id, amount, items, payment_method, paid_at) SELECT CONCAT(\'R\', id), id, home_store_id, 100.00, \'[]\', \'wechat\', ? FROM members WHERE id IN (?)', [
      new Date(START.getTime() + 3 * DAY),
      back,
    ]);
    await rig.advance(7 * DAY);
    await arrived(() => rig.wecom.sent.some((m) => m.touser === MANAGER && m.content.includes('召回 7 天回流')));
    const d7 = rig.wecom.sent.find((m) => m.touser === MANAGER && m.content.includes('召回 7 天回流'));
    expect(d7?.content).toContain(`${M} 位中 150 位已再次消费（${((150 / M) * 100).toFixed(1)}%），带来营收 15000.00 元`);
    await rig.advance(23 * DAY);
    await arrived(() => rig.wecom.sent.some((m) => m.touser === MANAGER && m.content.includes('召回 30 天回流')));
    expect(rig.wecom.sent.some((m) => m.touser === MANAGER && m.content.includes('召回 30 天回流'))).toBe(true);
    const att = (await services.sql.query<RowDataPacket[]>('SELECT attribution FROM recalls'))[0][0];
    const a = typeof att!.attribution === 'string' ? JSON.parse(att!.attribution) : att!.attribution;
    expect(a.d7).toMatchObject({ converted: 150, revenue: '15000.00' });
    const conv = (await services.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM journey_enrollments WHERE converted_at IS NOT NULL'))[0][0];
    expect(Number(conv!.n)).toBe(150);
  });
});
