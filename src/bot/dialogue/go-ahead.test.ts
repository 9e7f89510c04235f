import { describe, expect, it } from 'vitest';
import { useFixtureBot } from '../../../test/support/bot-turn.ts';
import { goAheadCore, goAheadParts, namesTheWrite } from './go-ahead.ts';

describe('goAheadCore', () => {
  it('keeps the verb of a short go-ahead', () => {
    expect(goAheadCore('算了 还是打上吧')).toBe('打');
    expect(goAheadCore('那就发吧 15块的')).toBe('发');
    expect(goAheadCore('还是给她加上吧')).toBe('加');
    expect(goAheadCore('okay go ahead then')).toBe('go ahead');
  });
  it('is null for a message longer than a go-ahead', () => {
    expect(goAheadCore('还是帮我看一下她最近半年在静安店的所有订单明细吧')).toBeNull();
  });
});

describe('namesTheWrite: the one rule of what goes ahead with a declined or weighed write', () => {
  it('takes the write\'s own verb, or a verb that confirms a held write, or none', () => {
    expect(namesTheWrite('打', 'tag.add')).toBe(true);
    expect(namesTheWrite('发', 'recall.launch')).toBe(true);
    expect(namesTheWrite('导出来', 'segment.export')).toBe(true);
    expect(namesTheWrite('转过去', 'contacts.transfer')).toBe(true);
    expect(namesTheWrite('send it', 'recall.launch')).toBe(true);
    expect(namesTheWrite('do it', 'ticket.update')).toBe(true);
  });
  it('never another action, nor any short word for a write with no words of its own', () => {
    expect(namesTheWrite('查', 'tag.add')).toBe(false);
    expect(namesTheWrite('查下', 'ticket.update')).toBe(false);
    expect(namesTheWrite('看看', 'contacts.transfer')).toBe(false);
    expect(namesTheWrite('删', 'recall.launch')).toBe(false);
  });
});

// A go-ahead right after the bot declined or weighed a write (sentences of our own, fixture world).
describe('a go-ahead after a declined write', () => {
  const { say } = useFixtureBot('bot_dialogue_go_ahead');

  it('runs the declined tag for the member it named', async () => {
    expect(await say('store_manager_01', '先别给周杰打VIP标签')).toMatchObject({ intent: 'tag.add', slots: { name: '周杰' }, outcome: 'declined' });
    expect(await say('store_manager_01', '算了 还是打上吧')).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000012', tag: 'VIP' }, outcome: 'done' });
  });

  it('previews a write that holds, with the figure said now', async () => {
    expect(await say('marketer_01', '先别给流失会员发召回券')).toMatchObject({ intent: 'recall.launch', outcome: 'declined' });
    expect(await say('marketer_01', '那就发吧 15块的')).toMatchObject({ intent: 'recall.launch', slots: { amount: '15.00' }, outcome: 'held' });
  });

  it('previews a declined deduction for 确认, for the member it named', async () => {
    expect(await say('store_manager_01', '先别扣刘洋50分 重复积分了')).toMatchObject({ intent: 'points.adjust', outcome: 'declined' });
    expect(await say('store_manager_01', '算了 还是扣吧')).toMatchObject({ intent: 'points.adjust', slots: { memberNo: 'M00000006' }, outcome: 'held' });
  });

  it('is no go-ahead when it asks, or when nothing was declined', async () => {
    await say('marketer_01', '先别给流失会员发召回券');
    expect(await say('marketer_01', '那就发吗')).not.toMatchObject({ intent: 'recall.launch', outcome: 'held' });
    expect(await say('store_manager_01', '陈静')).toMatchObject({ intent: 'member.lookup' });
    expect(await say('store_manager_01', 'do it')).not.toMatchObject({ outcome: 'done' });
  });

  it('takes "do it" after a weighed write', async () => {
    expect(await say('store_manager_01', '要不要给陈静打个VIP标签?')).toMatchObject({ intent: 'tag.add' });
    expect(await say('store_manager_01', 'ok do it then')).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000007' }, outcome: 'done' });
  });

  it('is no go-ahead when it names another member or another action, or is vague', async () => {
    await say('store_manager_01', '先别给周杰打VIP标签');
    expect(await say('store_manager_01', '给陈静打吧')).not.toMatchObject({ slots: { memberNo: 'M00000012' }, outcome: 'done' });
    await say('store_manager_01', '先别给周杰打VIP标签');
    expect(await say('store_manager_01', '还是查一下吧')).not.toMatchObject({ intent: 'tag.add' });
    await say('store_manager_01', '先别给周杰打VIP标签');
    expect(await say('store_manager_01', '好')).not.toMatchObject({ intent: 'tag.add', outcome: 'done' });
  });

  describe('the member of a declined write stays in focus for the next turn', () => {
    it('a pointed write after a refusal is about that member, not the one looked up before', async () => {
      expect(await say('store_manager_01', '陈静')).toMatchObject({ intent: 'member.lookup' });
      expect(await say('store_manager_01', '先别给刘洋扣分')).toMatchObject({ intent: 'points.adjust', outcome: 'declined' });
      expect(await say('store_manager_01', '今天给她打过电话了 记一下')).toMatchObject({ intent: 'interaction.log', slots: { memberNo: 'M00000006' } });
    });
    it('never for a message about several people', async () => {
      expect(await say('store_manager_01', '先别给刘洋扣分')).toMatchObject({ intent: 'points.adjust', outcome: 'declined' });
      expect(await say('store_manager_01', '给她们都打上VIP')).not.toMatchObject({ slots: { memberNo: 'M00000006' } });
    });
  });
});

describe('session 25 (s25-harm): goAheadParts', () => {
  it.each([
    ['对 你加吧', 'points.adjust', { core: '加', extra: '' }],
    ['老板同意了 发吧 30块的', 'recall.launch', { core: '发', extra: '' }],
    ['她同意了 开吧 高优先级', 'ticket.create', { core: '开', extra: '高优先级' }],
    ['我问过了 确实要转 转吧', 'contacts.transfer', { core: '转', extra: '' }],
    ['查了 确实没到 加吧 补积分', 'points.adjust', { core: '加', extra: '补积分' }],
    ['ok, set it up', 'recall.launch', { core: 'set it up', extra: '' }],
  ] as const)('%s → the go-ahead, what follows it', (text, intent, parts) => {
    expect(goAheadParts(text, intent)).toEqual(parts);
  });
  it('is null when no clause goes ahead with the write', () => {
    expect(goAheadParts('老板同意了 明天再说', 'recall.launch')).toBeNull();
  });
});
