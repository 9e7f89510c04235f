import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM_TTL_MS } from '../../src/bot/confirmation.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { createFixture, NOW } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { encryptedCallback, readPassiveReply, templateCardEventXml } from '../support/wecom-callback-builder.ts';
import { AGENT_ID, SECRET, callback, keys, post, waitFor, weComEnv } from '../support/wecom-app.ts';

/**
 * Cards through the signed callback path (docs/wecom.md, "Cards and confirmations"): a held
 * action's card goes out by message/send, a template_card_event click runs or cancels it exactly
 * once, and the card is updated with the outcome; typed 确认 keeps working and updates it too.
 */
describe('WeCom template cards for confirmations and choices', () => {
  let env: TestEnv;
  let fake: FakeQyapi;
  let rt: Runtime;
  let clock = NOW;
  let seq = 0;
  const ME = 'store_manager_01';

  const tagged = async (tag: string) =>
    Number(((await env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ?', [tag]))[0][0] as any).n);
  const passive = async (res: Response) => {
    expect(res.status).toBe(200);
    const body = await res.text();
    return body === '' ? '' : (readPassiveReply(keys, { status: 200, contentType: 'application/xml', body }).Content ?? '');
  };
  const say = async (text: string, from = ME) => passive(await post(rt, callback(text, String(800000 + ++seq), from, clock)));
  const clickRequest = (taskId: string, key: string, from = ME, responseCode = fake.cards.clickCode(taskId)) =>
    encryptedCallback(keys, templateCardEventXml({ corpId: keys.corpId, from, taskId, key, responseCode, createTime: Math.floor(clock.getTime() / 1000) + ++seq }), clock);
  const click = async (taskId: string, key: string, from = ME) => passive(await post(rt, clickRequest(taskId, key, from)));
  /** The card the bot sent `to` after `before` cards, once the outbound worker has delivered it. */
  const nextCard = (before: number, to = ME) => waitFor(() => fake.cards.sent.slice(before).find((c) => c.touser === to));
  const updateOf = (taskId: string) => waitFor(() => fake.cards.updates.find((u) => u.taskId === taskId));

  beforeAll(async () => {
    fake = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
    env = await createTestEnv('e2e_wecom_cards', { ...weComEnv(fake.url), WECOM_REPLY_BUDGET_MS: '4000' }, { now: () => clock });
    await createFixture(env.services);
    rt = createRuntime(env.services);
    rt.startWorkers();
  });
  afterAll(async () => {
    await rt?.stop();
    await env?.cleanup();
    await fake?.close();
  });

  it('sends the held action as a button_interaction card, runs it once on 确认, and shows the outcome on the card', async () => {
    const before = await tagged('流失风险');
    const cards = fake.cards.sent.length;
    const preview = await say('给流失名单打标签 流失风险');
    expect(preview).toContain('回复「确认」执行'); // the passive text still says how to type it
    const card = await nextCard(cards);
    expect(card.cardType).toBe('button_interaction');
    expect(card.taskId).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/);
    const buttons = card.card.button_list as { text: string; key: string }[];
    expect(buttons.map((b) => b.text)).toEqual([expect.stringContaining('确认'), expect.stringContaining('取消')]);
    const n = Number(/(\d+) 位会员/.exec(String(card.card.sub_title_text))?.[1]);
    expect(n).toBeGreaterThan(0);
    expect(await tagged('流失风险')).toBe(before);

    const req = clickRequest(card.taskId, 'confirm');
    const ok = await passive(await post(rt, req));
    // The list is read again when the action runs (the workers' scoring may have moved it since the preview).
    expect(ok).toMatch(/已给流失预警名单上的 \d+ 位会员打上标签「流失风险」/);
    const added = Number(/新增 (\d+) 位/.exec(ok)?.[1] ?? /(\d+) 位会员/.exec(ok)?.[1]);
    expect(added).toBeGreaterThan(0);
    expect(await tagged('流失风险')).toBe(before + added);
    const update = await updateOf(card.taskId);
    expect(update).toMatchObject({ userids: [ME], via: 'click' });
    expect(update.replaceName).toMatch(/^已确认 · 王店长 · 已给/);

    // WeCom resends the same event (it missed our answer): the recorded answer, nothing runs again.
    const replay = await passive(await post(rt, req));
    expect(replay).toBe(ok);
    // A second click (a new event): nothing new either.
    expect(await click(card.taskId, 'confirm')).toContain('已经处理过');
    expect(await click(card.taskId, 'cancel')).toContain('已经处理过');
    expect(await tagged('流失风险')).toBe(before + added);
    const [audit] = await env.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'tag.batch'");
    expect(Number(audit[0].n)).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.cards.updates.filter((u) => u.taskId === card.taskId)).toHaveLength(1);
  });

  it("ignores another user's click, then the owner's 取消 cancels: nothing runs and the card says so", async () => {
    const before = await tagged('高价值');
    const cards = fake.cards.sent.length;
    await say('流失预警的会员都打上高价值标签');
    const card = await nextCard(cards);
    expect(await click(card.taskId, 'confirm', 'hq_ops_01')).toContain('只有本人可以操作');
    expect(await tagged('高价值')).toBe(before);
    expect(await click(card.taskId, 'cancel')).toContain('已取消');
    expect((await updateOf(card.taskId)).replaceName).toBe('已取消 · 王店长');
    expect(await click(card.taskId, 'confirm')).toContain('已经处理过');
    expect(await say('确认')).toContain('没有等你确认的操作');
    expect(await tagged('高价值')).toBe(before);
  });

  it('refuses a click after the confirmation lapsed, and marks the card expired', async () => {
    const before = await tagged('新客');
    const cards = fake.cards.sent.length;
    await say('给流失名单打标签 新客');
    const card = await nextCard(cards);
    clock = new Date(NOW.getTime() + CONFIRM_TTL_MS + 1000);
    try {
      expect(await click(card.taskId, 'confirm')).toContain('已超时');
      expect((await updateOf(card.taskId)).replaceName).toBe('已过期');
      expect(await tagged('新客')).toBe(before);
    } finally {
      clock = NOW;
    }
  });

  it('keeps typed 确认 working, and updates the card with the code its send returned', async () => {
    const before = await tagged('VIP');
    const cards = fake.cards.sent.length;
    await say('tag the churn list as VIP');
    const card = await nextCard(cards);
    expect(buttonsOf(card.card)).toEqual(['确认 Confirm', '取消 Cancel']);
    const done = await say('确认');
    expect(done).toContain('位会员打上标签「VIP」');
    const added = Number(/新增 (\d+) 位/.exec(done)?.[1] ?? /(\d+) 位会员/.exec(done)?.[1]);
    expect(added).toBeGreaterThan(0);
    expect(await tagged('VIP')).toBe(before + added);
    const update = await updateOf(card.taskId);
    expect(update).toMatchObject({ via: 'send', responseCode: card.responseCode });
    expect(update.replaceName).toContain('已确认 · 王店长');
    // The card clicked afterwards: already handled, nothing runs.
    expect(await click(card.taskId, 'confirm')).toContain('已经处理过');
    expect(await tagged('VIP')).toBe(before + added);
  });

  it('sends a clarification as a card whose click answers like the option number typed', async () => {
    const cards = fake.cards.sent.length;
    const question = await say('张伟的订单和详情');
    expect(question).toContain('你是想');
    const card = await nextCard(cards);
    expect(card.cardType).toBe('button_interaction');
    const buttons = card.card.button_list as { text: string; key: string }[];
    expect(buttons.map((b) => b.key)).toEqual(['1', '2']);
    // Someone else's click on it does not answer this person's question.
    expect(await click(card.taskId, '2', 'hq_ops_01')).toContain('只有本人可以操作');
    const typed = await say('张伟的订单和详情', 'agent_01');
    expect(typed).toContain('你是想');
    const answer = await click(card.taskId, '2');
    expect(answer).not.toContain('你是想');
    expect(answer).toContain('张伟');
    expect((await updateOf(card.taskId)).replaceName).toMatch(/^已选择 · /);
    expect(await click(card.taskId, '1')).toContain('已经处理过');
  });

  it('sends a list of members sharing a name as a card; a click picks one like "第二个"', async () => {
    const cards = fake.cards.sent.length;
    expect(await say('查一下张伟')).toContain('「2」');
    const card = await nextCard(cards);
    const lines = String(card.card.sub_title_text).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    const memberNo = /M\d{8}/.exec(lines[1]!)![0];
    const picked = await click(card.taskId, '2');
    expect(picked).toContain(memberNo);
    expect((await updateOf(card.taskId)).replaceName).toContain(memberNo);
  });

  it('sends one card when WeCom delivers the same message twice', async () => {
    const cards = fake.cards.sent.length;
    const req = callback('给流失名单打标签 新客', String(800000 + ++seq), ME, clock);
    const first = await passive(await post(rt, req));
    const again = await passive(await post(rt, req));
    expect(again).toBe(first);
    await nextCard(cards);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.cards.sent.slice(cards)).toHaveLength(1);
    expect(await say('取消')).toContain('已取消');
  });

  it('refuses a card the real API would refuse (no task_id, too many buttons) with 40058', async () => {
    const token = await (async () => {
      const r = await fetch(`${fake.url}/cgi-bin/gettoken?corpid=${keys.corpId}&corpsecret=${SECRET}`);
      return ((await r.json()) as { access_token: string }).access_token;
    })();
    const send = async (card: Record<string, unknown>) =>
      (await (await fetch(`${fake.url}/cgi-bin/message/send?access_token=${token}`, { method: 'POST', body: JSON.stringify({ touser: ME, msgtype: 'template_card', agentid: Number(AGENT_ID), template_card: card }) })).json()) as { errcode: number };
    const button = (i: number) => ({ type: 0, text: `b${i}`, key: `k${i}` });
    expect((await send({ card_type: 'button_interaction', main_title: { title: 't' }, button_list: [button(1)] })).errcode).toBe(40058);
    expect((await send({ card_type: 'button_interaction', task_id: 'x-1', main_title: { title: 't' }, button_list: [1, 2, 3, 4, 5, 6, 7].map(button) })).errcode).toBe(40058);
    expect((await send({ card_type: 'button_interaction', task_id: 'x 2', main_title: { title: 't' }, button_list: [button(1)] })).errcode).toBe(40058);
    expect((await send({ card_type: 'button_interaction', task_id: 'x-3', main_title: { title: 't' }, button_list: [button(1)] })).errcode).toBe(0);
    expect((await send({ card_type: 'button_interaction', task_id: 'x-3', main_title: { title: 't' }, button_list: [button(1)] })).errcode).toBe(40058); // task_id reused
  });
});

const buttonsOf = (card: Record<string, unknown>) => (card.button_list as { text: string }[]).map((b) => b.text);

describe('WeCom cards on the slow path (answer later than the reply budget)', () => {
  let env: TestEnv;
  let fake: FakeQyapi;
  let rt: Runtime;
  beforeAll(async () => {
    fake = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
    env = await createTestEnv('e2e_wecom_cards_push', { ...weComEnv(fake.url), WECOM_REPLY_BUDGET_MS: '0' }, { now: () => NOW });
    await createFixture(env.services);
    rt = createRuntime(env.services);
    rt.startWorkers();
  });
  afterAll(async () => {
    await rt?.stop();
    await env?.cleanup();
    await fake?.close();
  });

  it('acks empty and pushes the preview text, then its card, in one job', async () => {
    const res = await post(rt, callback('给流失名单打标签 流失风险', '870001', 'store_manager_01', NOW));
    expect(await res.text()).toBe('');
    const card = await waitFor(() => fake.cards.sent.find((c) => c.touser === 'store_manager_01'));
    const mine = fake.sent.filter((m) => m.touser === 'store_manager_01');
    expect(mine.map((m) => m.msgtype)).toEqual(['text', 'template_card']);
    expect(mine[0]!.content).toContain('回复「确认」执行');
    expect(card.cardType).toBe('button_interaction');
  });
});
