import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/pipeline.ts';
import type { BotAnswer, HandleMessage } from '../../src/bot/types.ts';
import { getIntent, intents } from '../../src/intents/catalogue.ts';
import { createRouter } from '../../src/intents/router/index.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { createEvalWorld } from '../support/crm/eval-world.ts';
import { NOW } from '../support/crm/fixture.ts';
import { resetConversations } from '../../src/intents/eval/world-state.ts';
import { answerOf } from '../support/bot-turn.ts';

/**
 * Multi-turn rules of round 8 (docs/intents.md, Conversation), end to end on the evaluation world
 * with the shipped router: a refusal of the bot's question read as 取消, a held action changed in
 * place, a correction of a store, members refining their own answers, a segment's count right
 * after creating it, a write going on with the member just handled, the last answer's member by
 * number, a question about a write's state answered and reported as the read with its slots.
 */
describe('conversation rules (round 8)', () => {
  let env: TestEnv;
  let bot: HandleMessage;
  const say = (from: string, text: string): Promise<BotAnswer> => answerOf(bot, from, text, NOW);
  const pointsOf = async (memberNo: string) => Number(((await env.services.sql.query<any[]>('SELECT points FROM members WHERE member_no = ?', [memberNo]))[0] as any[])[0].points);

  beforeAll(async () => {
    env = await createTestEnv('bot_turns_r8', {}, { now: () => NOW });
    await createEvalWorld(env.services);
    bot = createBot({ services: env.services, router: createRouter(intents), getIntent });
  }, 120_000);
  beforeEach(async () => resetConversations(env.services));
  afterAll(async () => env?.cleanup());

  it('"算了不扣了" refuses the open question even when read as 取消: nothing written', async () => {
    const before = await pointsOf('M00000006');
    expect(await say('store_manager_01', '给13800000006扣100分')).toMatchObject({ intent: 'points.adjust', outcome: 'asked' });
    expect(await say('store_manager_01', '算了不扣了')).toMatchObject({ intent: 'points.adjust', outcome: 'declined' });
    expect(await pointsOf('M00000006')).toBe(before);
  });

  it('a held recall changed in place is previewed again, and only 确认 runs it', async () => {
    expect(await say('store_manager_01', '给流失会员发个20元券')).toMatchObject({ intent: 'recall.launch', outcome: 'held', slots: { amount: '20.00' } });
    expect(await say('store_manager_01', '换成50块的')).toMatchObject({ intent: 'recall.launch', outcome: 'held', slots: { amount: '50.00' } });
    expect(await say('store_manager_01', '改成30的')).toMatchObject({ intent: 'recall.launch', outcome: 'held', slots: { amount: '30.00' } });
    expect(await say('store_manager_01', '取消')).toMatchObject({ intent: 'action.cancel', outcome: 'declined' });
  });

  it('"不对 是徐汇" corrects the last answer\'s store', async () => {
    expect(await say('hq_ops_01', '静安店上周客单价')).toMatchObject({ intent: 'insights.health', slots: { store: '上海静安店' } });
    expect(await say('hq_ops_01', '不对 是徐汇')).toMatchObject({ intent: 'insights.health', slots: { metric: 'aov', period: 'last_week', store: '上海徐汇店' } });
  });

  it('"不是，我是说王芳" asks the last question about the member meant', async () => {
    await say('store_manager_01', '查一下李娜的订单');
    expect(await say('store_manager_01', '不是，我是说王芳')).toMatchObject({ intent: 'member.orders', slots: { name: '王芳' } });
  });

  it('a member narrows their own last answer', async () => {
    expect(await say('member:13800000005', '我最近买过啥')).toMatchObject({ intent: 'my.orders' });
    expect(await say('member:13800000005', '只看近一个月的')).toMatchObject({ intent: 'my.orders', slots: { days: 30 } });
  });

  it('"有多少人" and "导出来" right after creating a segment are about that segment', async () => {
    expect(await say('marketer_01', '建个人群包 家庭客人群：有家庭客标签')).toMatchObject({ intent: 'segment.create', outcome: 'done' });
    const count = await say('marketer_01', '有多少人');
    expect(count).toMatchObject({ intent: 'segment.count' });
    expect(count.text).toContain('家庭客人群');
    expect(await say('marketer_01', '导出来')).toMatchObject({ intent: 'segment.export', outcome: 'held' });
    expect(await say('marketer_01', '好')).toMatchObject({ intent: 'action.confirm', outcome: 'done' });
  });

  it('the last answer names its member by number: a refinement reports M…, "工单呢" after today\'s work', async () => {
    await say('store_manager_01', '陈静 订单');
    // 上个月 is the orders' calendar month, not a number of days (session 21: the blind brief's convention, as the router states it).
    const month = await say('store_manager_01', '只要上个月的');
    expect(month).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000007', period: 'last_month' } });
    expect(month.slots?.days).toBeUndefined();
    await say('store_manager_01', '今天要回访谁');
    expect(await say('store_manager_01', '工单呢')).toMatchObject({ intent: 'work.today', slots: { kind: 'tickets' } });
  });

  it('"再加个VIP" goes on with the member just tagged', async () => {
    expect(await say('store_manager_01', '给周杰打个商务宴请')).toMatchObject({ intent: 'tag.add', outcome: 'done' });
    expect(await say('store_manager_01', '再加个VIP')).toMatchObject({ intent: 'tag.add', outcome: 'done', slots: { memberNo: 'M00000012', tag: 'VIP' } });
  });

  it('"她VIP标签还在吗" is answered and reported as her profile, with the profile\'s slots, writing nothing', async () => {
    await say('store_manager_01', '13800000005');
    const a = await say('store_manager_01', '她VIP标签还在吗');
    expect(a).toMatchObject({ intent: 'member.summary', slots: { memberNo: 'M00000005' } });
    expect(a.slots).not.toHaveProperty('tag');
    expect(a.outcome).not.toBe('done');
  });
});
