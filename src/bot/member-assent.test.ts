import { describe, expect, it } from 'vitest';
import { useFixtureBot } from '../../test/support/bot-turn.ts';

// A member's vague assent: nothing of theirs is ever held for 确认, so it is their small talk (pipeline.ts routeOf).
describe('a member\'s vague assent', () => {
  const { say } = useFixtureBot('bot_member_assent');
  const ME = 'member:13800000001';

  it('is small talk, never help or a choice between intents', async () => {
    expect(await say(ME, '嗯嗯好')).toMatchObject({ intent: 'my.smalltalk', outcome: 'answered' });
    expect(await say(ME, 'ok')).toMatchObject({ intent: 'my.smalltalk', outcome: 'answered' });
  });

  it('after an unsubscribe too', async () => {
    expect(await say(ME, '以后别给我发消息了')).toMatchObject({ intent: 'unsubscribe' });
    expect(await say(ME, '嗯嗯')).toMatchObject({ intent: 'my.smalltalk', outcome: 'answered' });
  });

  it('but a request said with assent is the request', async () => {
    expect(await say(ME, '好的 我还有多少积分')).toMatchObject({ intent: 'my.points' });
  });
});
