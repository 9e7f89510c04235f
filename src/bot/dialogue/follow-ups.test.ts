import { describe, expect, it } from 'vitest';
import { useFixtureBot } from '../../../test/support/bot-turn.ts';

// Session 20's classes of follow-up, each in sentences of our own, one conversation a test (fixture world).
describe('follow-ups (session 20)', () => {
  const { say } = useFixtureBot('bot_dialogue_follow_ups');

  describe('全 before the verb after a list is everyone listed', () => {
    it('a batch tag of the churn list, held for 确认', async () => {
      expect(await say('marketer_01', '流失名单')).toMatchObject({ intent: 'churn.list' });
      expect(await say('marketer_01', '全贴上新客标签')).toMatchObject({ intent: 'tag.batch', slots: { list: 'churn' }, outcome: 'held' });
    });
  });

  describe('a write pointed at "him" after a write the sender may not make', () => {
    it('takes the member that write named', async () => {
      expect(await say('agent_01', '给陈静扣30分')).toMatchObject({ intent: 'points.adjust', outcome: 'declined' });
      expect(await say('agent_01', '那帮我记一下她来电说菜太咸')).toMatchObject({ intent: 'interaction.log', slots: { memberNo: 'M00000007' }, outcome: 'done' });
    });

    it('not when nothing before named a member', async () => {
      expect(await say('agent_01', '那帮我记一下她来电说菜太咸')).toMatchObject({ outcome: 'asked' });
    });
  });

  describe('a write of the same family right after one about the member in focus', () => {
    it('goes on with that member (a tag taken back)', async () => {
      expect(await say('store_manager_01', '给李娜打个标签 新客')).toMatchObject({ intent: 'tag.add', outcome: 'done' });
      expect(await say('store_manager_01', '再给她加个VIP')).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000004' }, outcome: 'done' });
      expect(await say('store_manager_01', 'VIP那个撤掉吧 加错了')).toMatchObject({ intent: 'tag.remove', slots: { memberNo: 'M00000004', tag: 'VIP' }, outcome: 'done' });
    });

    it('not a write of another family (which member is still asked)', async () => {
      await say('store_manager_01', '给李娜打个标签 新客');
      await say('store_manager_01', '再给她加个VIP');
      expect(await say('store_manager_01', '扣50分 原因 测试')).toMatchObject({ outcome: 'asked' });
    });
  });

  describe('figures alone after an answer narrow it, whatever write the router read', () => {
    it('a period after a member’s orders', async () => {
      expect(await say('store_manager_01', '李娜买过啥')).toMatchObject({ intent: 'member.orders' });
      expect(await say('store_manager_01', '60天内的')).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000004', days: 60 } });
    });

    it('就看… narrows the day’s work', async () => {
      expect(await say('store_manager_01', '今天要干啥')).toMatchObject({ intent: 'work.today' });
      expect(await say('store_manager_01', '就看回访')).toMatchObject({ intent: 'work.today', slots: { kind: 'followups' } });
    });
  });

  describe('a bare score after a ticket update that asked for it', () => {
    it('is that ticket’s satisfaction', async () => {
      expect(await say('agent_01', 'T20261121000001 满意度')).toMatchObject({ intent: 'ticket.update' });
      expect(await say('agent_01', '5星')).toMatchObject({ intent: 'ticket.update', slots: { ticketNo: 'T20261121000001', satisfaction: 5 } });
    });

    // Session 22 (ticket-follow-up.ts): 关 is a surname — "关单" alone is the ticket's close, never a member named 关单.
    it('"关单" right after an update closes that ticket', async () => {
      expect(await say('agent_01', 'T20261121000001 满意度')).toMatchObject({ intent: 'ticket.update' });
      expect(await say('agent_01', '那就关单吧')).toMatchObject({ intent: 'ticket.update', slots: { ticketNo: 'T20261121000001', status: 'closed' } });
    });
  });

  describe('a pick by the store and a trait together', () => {
    it('the store narrows the list, the tag picks the one', async () => {
      expect(await say('store_manager_01', '张伟最近的订单')).toMatchObject({ outcome: 'asked' });
      expect(await say('store_manager_01', '上海一店那个VIP')).toMatchObject({ intent: 'member.orders', slots: { memberNo: 'M00000001' } });
    });

    it('a trait none of that store has picks nobody (asked again or a new request, never a guess)', async () => {
      expect(await say('store_manager_01', '张伟最近的订单')).toMatchObject({ outcome: 'asked' });
      const r = await say('store_manager_01', '北京二店那个VIP');
      expect(r.slots.memberNo).toBeUndefined();
    });
  });

  describe('the figure named before its change ("标签改成…") while a batch waits', () => {
    it('changes the held tag, still held', async () => {
      expect(await say('marketer_01', '流失名单都贴上新客标签')).toMatchObject({ intent: 'tag.batch', outcome: 'held' });
      expect(await say('marketer_01', '标签改成VIP')).toMatchObject({ intent: 'tag.batch', slots: { tag: 'VIP', list: 'churn' }, outcome: 'held' });
    });
  });
});
