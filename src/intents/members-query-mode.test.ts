import { describe, expect, it } from 'vitest';
import { statedMode } from './members-query.ts';

/** "# of", "no. of": "number of" written short, a count (session 17). */
describe('members.query stated mode', () => {
  it.each(['# of level 4 members', 'no. of members at 静安店', 'nr of gold members', 'num. of VIP members'])('%s asks a count', (text) => expect(statedMode(text)).toBe('count'));
  it.each(['members #3', '有爱吃辣标签的会员'])('%s states no mode', (text) => expect(statedMode(text)).toBeUndefined());
  // Session 25: a level and a plural noun, no number asked, are the members ("lv5 members" is labelled a list in tuning, three times).
  it.each(['level 4 members', 'lv5 members', 'L3 customers'])('%s asks the list', (text) => expect(statedMode(text)).toBe('list'));
  it('how many level 5 members still counts', () => expect(statedMode('how many level 5 members')).toBe('count'));
});
