import { describe, expect, it } from 'vitest';
import { statedMode } from './members-query.ts';

/** "# of", "no. of": "number of" written short, a count (session 17). */
describe('members.query stated mode', () => {
  it.each(['# of level 4 members', 'no. of members at 静安店', 'nr of gold members', 'num. of VIP members'])('%s asks a count', (text) => expect(statedMode(text)).toBe('count'));
  it.each(['level 4 members', 'members #3'])('%s states no mode', (text) => expect(statedMode(text)).toBeUndefined());
});
