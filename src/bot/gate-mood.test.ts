import { describe, expect, it } from 'vitest';
import { getIntent } from '../intents/catalogue.ts';
import { moodFor } from './gate.ts';

const intent = (name: string) => getIntent(name)!;

/** One action refused and another asked instead (session 19): the write gate reads each intent against the clause naming it. */
describe('moodFor: one action refused, another asked instead', () => {
  it('lets the asked write run and declines the refused one', () => {
    const text = '不用建工单 就记一下 13800000006 来电咨询';
    expect(moodFor(intent('interaction.log'), text)).toMatchObject({ affirmative: true, negated: false });
    expect(moodFor(intent('ticket.create'), text)).toMatchObject({ affirmative: false, negated: true });
  });

  it('declines an intent with no words of its own listed (nothing tells it apart from the refused one)', () => {
    expect(moodFor(intent('ticket.update'), '别关单 就记一下 T20261121000001 客户还在等').affirmative).toBe(false);
  });

  it('declines both when the asked clause is itself not an order', () => {
    const text = '别发券了，就打个VIP标签 要不要';
    expect(moodFor(intent('tag.add'), text).affirmative).toBe(false);
    expect(moodFor(intent('recall.launch'), text).affirmative).toBe(false);
  });

  it('declines the refused write in English too', () => {
    const text = "don't open a ticket, just log the call from 13800000006";
    expect(moodFor(intent('interaction.log'), text).affirmative).toBe(true);
    expect(moodFor(intent('ticket.create'), text).affirmative).toBe(false);
  });
});
