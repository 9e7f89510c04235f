import { describe, expect, it } from 'vitest';
import { useFixtureBot } from '../../../test/support/bot-turn.ts';

// undo-write.ts: the write just made, taken back ("算了 还是去掉吧") — same member, same tag, only when asked.
describe('the write just made, taken back', () => {
  const { say } = useFixtureBot('bot_dialogue_undo');

  it('a tag just added, removed again', async () => {
    expect(await say('store_manager_01', '周杰打个高价值标签')).toMatchObject({ intent: 'tag.add', outcome: 'done' });
    expect(await say('store_manager_01', '哎 算了 还是撤掉吧')).toMatchObject({ intent: 'tag.remove', slots: { memberNo: 'M00000012', tag: '高价值' }, outcome: 'done' });
  });

  it('a tag just removed, put back', async () => {
    expect(await say('store_manager_01', '给周杰打个新客标签')).toMatchObject({ outcome: 'done' });
    expect(await say('store_manager_01', '把周杰的新客去掉')).toMatchObject({ intent: 'tag.remove', outcome: 'done' });
    expect(await say('store_manager_01', '不对 还是加回去吧')).toMatchObject({ intent: 'tag.add', slots: { memberNo: 'M00000012', tag: '新客' }, outcome: 'done' });
  });

  it('never after a write that was not asked for', async () => {
    expect(await say('store_manager_01', '先别给周杰打高价值')).toMatchObject({ outcome: 'declined' });
    const r = await say('store_manager_01', '去掉吧');
    expect(r.outcome).not.toBe('done');
  });

  it('never when the taking back is itself refused', async () => {
    expect(await say('store_manager_01', '周杰打个高价值标签')).toMatchObject({ outcome: 'done' });
    expect((await say('store_manager_01', '先别去掉 我再问问')).outcome).not.toBe('done');
  });
});
