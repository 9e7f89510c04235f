import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { createRuleRouter } from '../router/rules.ts';
import { EVAL_DICTIONARIES, TARGETS, evaluate, formatReport, loadEvalSet } from './evaluate.ts';

const dir = fileURLToPath(new URL('../../../test/intents/tuning/', import.meta.url));

describe('intent evaluation set (npm run eval:intents)', () => {
  it('has at least 300 utterances covering every intent of the catalogue, in both audiences', async () => {
    const cases = await loadEvalSet(dir);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const covered = new Set(cases.map((c) => c.intent));
    for (const i of intents) expect(covered, `no utterance for ${i.name}`).toContain(i.name);
    // Every expected intent exists (or is the router's clarify answer) and matches its audience.
    const byName = new Map(intents.map((i) => [i.name, i]));
    for (const c of cases) {
      if (c.intent === 'clarify') continue;
      expect(byName.get(c.intent)?.audience, `${c.file}:${c.line} ${c.intent}`).toBe(c.audience);
    }
  });

  it('meets the targets with the rule router', async () => {
    const router = createRuleRouter(intents, EVAL_DICTIONARIES);
    const report = await evaluate(router, await loadEvalSet(dir));
    const text = formatReport(report, { failures: true });
    expect(report.intentAccuracy, text).toBeGreaterThanOrEqual(TARGETS.intent);
    expect(report.slotAccuracy, text).toBeGreaterThanOrEqual(TARGETS.slots);
    expect(report.meetsTargets).toBe(true);
  });

  it('scores a wrong intent and a wrong slot as misses, and reports the confusion', async () => {
    const router = createRuleRouter(intents, EVAL_DICTIONARIES);
    const report = await evaluate(router, [
      { text: '查一下 13800000001', audience: 'staff', intent: 'member.lookup', slots: { phone: '13800000001' }, file: 't', line: 1 },
      { text: '查一下 13800000001', audience: 'staff', intent: 'member.lookup', slots: { phone: '13800000002' }, file: 't', line: 2 },
      { text: '本店流失预警名单', audience: 'staff', intent: 'member.lookup', slots: {}, file: 't', line: 3 },
    ]);
    expect(report.intentAccuracy).toBeCloseTo(2 / 3);
    expect(report.slotAccuracy).toBeCloseTo(1 / 3);
    expect(report.confusions).toEqual([{ expected: 'member.lookup', got: 'churn.list', count: 1 }]);
    expect(report.meetsTargets).toBe(false);
  });
});
