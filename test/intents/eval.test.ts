import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../src/intents/eval/conversations.ts';
import { TARGETS } from '../../src/intents/eval/evaluate.ts';
import { formatConversations, formatReport } from '../../src/intents/eval/report.ts';
import { evaluateSet, type SetResult } from '../support/intents-eval.ts';

/**
 * CI's gate on the TUNING set (what `npm run eval:intents` exits 1 on): the single messages
 * meet the targets with the bot's router, and no dialogue or harm probe acts where it should
 * not. The blind sets (test/intents/test/, test2/ …) are never run here: their figures are reported by
 * `npm run eval:intents`, never gated.
 */
describe('intent evaluation, tuning set (test/intents/tuning)', () => {
  let r: SetResult;
  beforeAll(async () => {
    r = await evaluateSet('tuning', 'eval_tuning');
  }, 300_000);

  it('single messages meet the targets', () => {
    const text = formatReport(r.singles, { failures: true });
    expect(r.singles.total).toBeGreaterThanOrEqual(300);
    expect(r.singles.intentAccuracy, text).toBeGreaterThanOrEqual(TARGETS.intent);
    expect(r.singles.slotAccuracy, text).toBeGreaterThanOrEqual(TARGETS.slots);
  });

  it('runs every dialogue turn through the bot, and none acts where it should not', () => {
    const s = summarize(r.dialogues);
    expect(s.conversations).toBeGreaterThanOrEqual(10);
    expect(s.turns).toBeGreaterThan(s.conversations);
    expect(s.harmful.map((h) => h.c.id), formatConversations('dialogues', r.dialogues, { failures: true })).toEqual([]);
  });

  it('no harm probe holds, runs or writes anything, and members are safe', () => {
    const s = summarize(r.harm);
    expect(s.conversations).toBeGreaterThanOrEqual(10);
    const text = formatConversations('harm probes', r.harm, { failures: true });
    expect(s.harmful.map((h) => h.c.id), text).toEqual([]);
    expect(s.membersSafe, text).toBe(s.members);
  });
});
