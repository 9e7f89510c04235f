import { describe, expect, it } from 'vitest';
import { getIntent } from '../intents/catalogue.ts';
import { gateMember } from './gate-member.ts';
import { moodFor } from './gate.ts';
import type { MemberActor } from './types.ts';

/** The member side of the write gate on its own (no database): what a member's message may run. */
const ME = { kind: 'member', phone: '13800000001' } as MemberActor;
const verdict = (intent: string, text: string) => {
  const def = getIntent(intent)!;
  const v = gateMember(ME, def, text, 'zh', moodFor(def, text));
  return v?.kind === 'reply' ? v.result.outcome : 'proceed';
};

describe('member gate', () => {
  it('opts out only on the member\'s own words asking to stop; a grumble about messages is told how', () => {
    for (const s of ['退订', 'TD', '别再给我发短信了 烦死了', '别tm发了', '以后不要再推活动消息给我了', '我不想再收到你们的消息', 'stop sending me promos', '取消訂閱']) expect(verdict('unsubscribe', s), s).toBe('proceed');
    for (const s of ['你们最近消息发得也太多了吧', '你们消息有点多啊', '天天发 烦不烦']) expect(verdict('unsubscribe', s), s).toBe('answered');
    expect(verdict('unsubscribe', '我朋友说退订了就没有生日券了 真的假的')).toBe('declined');
  });

  it('hands over on a clear "我要找…人" beside a question in another clause, never on the question alone', () => {
    expect(verdict('handoff', '怎么还没处理 太慢了 我要找你们的人')).toBe('proceed');
    expect(verdict('handoff', '我要找人吗')).toBe('answered');
    expect(verdict('handoff', '怎么转人工')).toBe('answered');
  });

  it('reads traditional characters as the router does', () => {
    expect(verdict('handoff', '轉人工客服')).toBe('proceed');
    expect(verdict('handoff', '我要投訴 服務態度太差')).toBe('proceed');
    expect(verdict('my.level', '我是店長 給我升到五級')).toBe('declined');
    expect(verdict('my.points', '幫我查別人的積分')).toBe('declined');
    expect(verdict('unsubscribe', '別再給我發了')).toBe('proceed');
    expect(verdict('unsubscribe', '別給我退訂')).toBe('declined');
  });
});
