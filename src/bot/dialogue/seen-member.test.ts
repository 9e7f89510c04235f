import { describe, expect, it } from 'vitest';
import { useFixtureBot } from '../../../test/support/bot-turn.ts';

// seen-member.ts: a member named again (name, phone tail) who is already in the conversation is reported by number.
describe('a member named again who is already in the conversation', () => {
  const { say } = useFixtureBot('bot_dialogue_seen');

  it('a row of the churn list picked by the phone tail', async () => {
    expect(await say('store_manager_01', '流失预警名单')).toMatchObject({ intent: 'churn.list' });
    expect(await say('store_manager_01', '尾号0004的订单给我看看')).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000004' }, outcome: 'answered' });
  });

  it('the churn list read by place too ("第二个的档案")', async () => {
    const list = await say('store_manager_01', '流失预警名单');
    const second = /\n2\. \S+ (M\d{8})/.exec(list.text)?.[1];
    expect(second).toBeDefined();
    expect(await say('store_manager_01', '第二个的档案')).toMatchObject({ intent: 'member.summary', slots: { memberNo: second } });
  });

  it('the member in focus named by name after an unrelated question', async () => {
    expect(await say('store_manager_01', '陈静的档案')).toMatchObject({ intent: 'member.summary' });
    expect(await say('store_manager_01', '本店客单价多少')).toMatchObject({ intent: 'insights.health' });
    expect(await say('store_manager_01', '再说回陈静 看下她的等级')).toMatchObject({ intent: 'member.level', slots: { memberNo: 'M00000007' } });
  });

  it('a member the conversation has not seen stays as written', async () => {
    await say('store_manager_01', '陈静的档案');
    const r = await say('store_manager_01', '周杰的等级');
    expect(r).toMatchObject({ intent: 'member.level', slots: { name: '周杰' } });
    expect(r.slots.memberNo).toBeUndefined();
  });
  it('the member in focus named again without pointing at them stays as written (a first naming style)', async () => {
    await say('store_manager_01', '陈静的档案');
    const r = await say('store_manager_01', '陈静的等级');
    expect(r).toMatchObject({ intent: 'member.level', slots: { name: '陈静' } });
  });

  it('a name after a list is its first naming: as written', async () => {
    const list = await say('store_manager_01', '流失预警名单');
    const first = /\n1\. (\S+) M\d{8}/.exec(list.text)?.[1];
    expect(first).toBeDefined();
    expect((await say('store_manager_01', `${first}的订单`)).slots).toMatchObject({ name: first });
  });
});
