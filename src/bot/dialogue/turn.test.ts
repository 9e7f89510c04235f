import { describe, expect, it } from 'vitest';
import { useFixtureBot } from '../../../test/support/bot-turn.ts';

// Turns of the dialogue (turn.ts) against the fixture world with the router the bot runs, one conversation a test.
describe('dialogue turns', () => {
  const { say } = useFixtureBot('bot_dialogue_turn');

  describe('a read pointed at "her" after a write the sender may not make', () => {
    it('takes the member that write named (a service agent has no points.adjust)', async () => {
      expect(await say('agent_01', '13800000007扣50分')).toMatchObject({ intent: 'points.adjust', outcome: 'declined' });
      const r = await say('agent_01', '那帮我看下她积分还剩多少');
      expect(r).toMatchObject({ intent: 'member.lookup', slots: { memberNo: 'M00000007' }, outcome: 'answered' });
      expect(r.text).toContain('M00000007');
    });

    it('by name too (a marketer has no points.adjust)', async () => {
      expect(await say('marketer_01', '给周杰加100积分 原因 老客回馈')).toMatchObject({ intent: 'points.adjust', outcome: 'declined' });
      expect(await say('marketer_01', '那帮我看下他的等级')).toMatchObject({ slots: { memberNo: 'M00000012' }, outcome: 'answered' });
    });

    it('a read that points at nobody still asks who', async () => {
      await say('agent_01', '13800000007扣50分');
      expect(await say('agent_01', '积分还剩多少')).toMatchObject({ outcome: 'asked' });
    });
  });

  describe('a member carried from the turn before is reported by number', () => {
    it('the write refused by phone, then asked for', async () => {
      expect(await say('hq_ops_01', "don't add points to 13800000006")).toMatchObject({ outcome: 'declined' });
      expect(await say('hq_ops_01', 'actually yes, add 100, reason 生日礼')).toMatchObject({ intent: 'points.adjust', slots: { memberNo: 'M00000006', delta: 100 }, outcome: 'done' });
    });

    it('a correction of the tag just given by name', async () => {
      expect(await say('store_manager_01', '给周杰打标签 新客')).toMatchObject({ intent: 'tag.add', outcome: 'done' });
      expect(await say('store_manager_01', '不对 改成流失风险')).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000012', tag: '流失风险' }, outcome: 'done' });
    });

    it('a name that is several members stays as said (the run asks which one)', async () => {
      await say('marketer_01', '给张伟加100积分 原因 老客回馈');
      const r = await say('marketer_01', '那帮我看下他的等级');
      expect(r.slots).toMatchObject({ name: '张伟' });
      expect(r.slots.memberNo).toBeUndefined();
    });
  });
});
