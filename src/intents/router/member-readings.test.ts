import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { asksForOthers, isPlanAfterAck, joinedMemberReads, NEXT_LEVEL } from './member-readings.ts';

const byName = new Map(intents.map((i) => [i.name, i]));
/** Hits as the rules give them: where each intent's word was found. */
const hit = (text: string, intent: string, word: string) => ({ intent, spans: [{ start: text.indexOf(word), end: text.indexOf(word) + word.length }] });

describe('member readings', () => {
  it('asks which first when two of the member\'s records are joined by a word (和, 还有, 然后, 另外, and)', () => {
    const cases: [string, [string, string, string, string]][] = [
      ['我的积分还有券都看看', ['my.points', '积分', 'my.coupons', '券']],
      ['我想看看我最近买了啥然后还有多少积分', ['my.orders', '买了啥', 'my.points', '积分']],
      ['投诉进度 另外我有啥券', ['my.tickets', '投诉进度', 'my.coupons', '券']],
      ['my points and my level please', ['my.points', 'points', 'my.level', 'level']],
    ];
    for (const [text, [a, wa, b, wb]] of cases) expect(joinedMemberReads(text, [hit(text, a, wa), hit(text, b, wb)], byName), text).toEqual([a, b].sort());
  });

  it('does not when words in between relate them, or when one is a write', () => {
    expect(joinedMemberReads('积分换券', [hit('积分换券', 'my.points', '积分'), hit('积分换券', 'my.coupons', '券')], byName)).toBeNull();
    expect(joinedMemberReads('我要投诉 还有积分', [hit('我要投诉 还有积分', 'handoff', '投诉'), hit('我要投诉 还有积分', 'my.points', '积分')], byName)).toBeNull();
  });

  it('reads what the next level takes as the level, and a plan after an acknowledgement as talk', () => {
    for (const s of ['积分多少能升级', '升级要多少积分', '还差多少分升级', 'how many points do i need for the next level']) expect(NEXT_LEVEL.test(s), s).toBe(true);
    expect(NEXT_LEVEL.test('我有多少积分')).toBe(false);
    for (const s of ['ok 那下次来再用券吧', '好的 我回头去店里用']) expect(isPlanAfterAck(s), s).toBe(true);
    for (const s of ['好的 那我看看我的券', '好 明天去用券 有几张来着', '下次再用券']) expect(isPlanAfterAck(s), s).toBe(false);
  });

  it("reads a member's request to send or give something to other people as staff's work (session 20)", () => {
    for (const s of ['能不能替沉睡的那些会员也送点券', '帮我妈妈加点积分吧', '给大家都发个优惠券']) expect(asksForOthers(s), s).toBe(true);
    for (const s of ['给我发张券', '帮我加点积分', '我妈妈能领券吗', '给我看看积分']) expect(asksForOthers(s), s).toBe(false);
  });
});
