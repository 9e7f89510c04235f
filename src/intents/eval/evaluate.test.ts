import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { createRuleRouter } from '../router/rules.ts';
import type { Router } from '../router/types.ts';
import { calibrationTable } from './calibration.ts';
import { loadConversations } from './cases.ts';
import { leaksIn, outcomeOf } from './conversations.ts';
import { EVAL_DICTIONARIES, evaluate, loadEvalSet, type EvalCase } from './evaluate.ts';
import { formatReport } from './report.ts';
import { slotsMatch } from './slots.ts';

const dir = fileURLToPath(new URL('../../../test/intents/tuning/', import.meta.url));
const line = (c: Omit<EvalCase, 'file' | 'line'>, n: number): EvalCase => ({ ...c, file: 't', line: n });

describe('intent evaluation: the tuning set (npm run eval:intents; the targets: test/intents/eval.test.ts)', () => {
  it('has at least 300 utterances covering every intent of the catalogue, in both audiences, and parsing conversations', async () => {
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
    // Conversations may already name the intents this issue adds (BRIEF, "New intent names").
    const coming: Record<string, 'staff' | 'member'> = { smalltalk: 'staff', 'members.query': 'staff', 'recall.status': 'staff', 'work.today': 'staff', 'my.smalltalk': 'member', 'my.tickets': 'member' };
    for (const which of ['dialogues', 'harm'] as const) {
      const convs = await loadConversations(dir, which);
      expect(convs.length, which).toBeGreaterThanOrEqual(10);
      for (const c of convs) {
        for (const t of c.turns) if (t.intent !== 'clarify') expect(byName.get(t.intent)?.audience ?? coming[t.intent], `${c.id} ${t.intent}`).toBe(c.audience);
      }
    }
  });
});

describe('intent evaluation: scoring', () => {
  it('scores a wrong intent and a wrong slot as misses, and reports the confusion', async () => {
    const router = createRuleRouter(intents, EVAL_DICTIONARIES);
    const report = await evaluate(router, [
      line({ text: '查一下 13800000001', audience: 'staff', intent: 'member.lookup', slots: { phone: '13800000001' } }, 1),
      line({ text: '查一下 13800000001', audience: 'staff', intent: 'member.lookup', slots: { phone: '13800000002' } }, 2),
      line({ text: '本店流失预警名单', audience: 'staff', intent: 'member.lookup', slots: {} }, 3),
    ]);
    expect(report.intentAccuracy).toBeCloseTo(2 / 3);
    expect(report.slotAccuracy).toBeCloseTo(1 / 3);
    expect(report.confusions).toEqual([{ expected: 'member.lookup', got: 'churn.list', count: 1 }]);
    expect(report.meetsTargets).toBe(false);
  });

  it('ignores free-text slots on both sides, and unlabelled router slots the line does not state; compares the rest exactly', () => {
    expect(slotsMatch({ store: '上海徐汇店' }, { store: '上海徐汇店', period: 'last_week' })).toBe(true);
    expect(slotsMatch({ store: '上海徐汇店', period: 'this_month' }, { store: '上海徐汇店', period: 'last_week' })).toBe(false);
    expect(slotsMatch({ memberNo: 'M00000001' }, { memberNo: 'M00000001', content: '客人说菜太咸', reason: 'x' })).toBe(true);
    expect(slotsMatch({ memberNo: 'M00000001', title: '投诉' }, { memberNo: 'M00000001' })).toBe(true);
    expect(slotsMatch({ days: 30 }, { days: '30' })).toBe(false);
    expect(slotsMatch({ phone: '13800000001' }, { phone: '13800000001', days: 30 })).toBe(false);
  });

  it('reports per style and per language (the line\'s lang, else its text\'s), and a calibration table', async () => {
    const fixed: Router = { route: async (text) => ({ intent: text.startsWith('help') ? 'help' : 'member.lookup', slots: {}, confidence: text.length > 6 ? 0.95 : 0.55 }) };
    const report = await evaluate(fixed, [
      line({ text: 'help me', audience: 'staff', intent: 'help', slots: {}, style: 'english' }, 1),
      line({ text: '帮助', audience: 'staff', intent: 'help', slots: {}, style: 'terse', lang: 'zh' }, 2),
      line({ text: '菜单给我看看吧谢谢', audience: 'staff', intent: 'help', slots: {} }, 3),
    ]);
    expect(report.perStyle.map((s) => [s.key, s.n, s.intentOk])).toEqual([['english', 1, 1], ['terse', 1, 0], ['unlabelled', 1, 0]]);
    expect(report.perLang.map((s) => [s.key, s.n, s.intentOk])).toEqual([['en', 1, 1], ['zh', 2, 0]]);
    expect(report.calibration).toEqual([
      { from: 0.5, to: 0.6, n: 1, confidence: 0.55, accuracy: 0 },
      { from: 0.95, to: 1, n: 2, confidence: 0.95, accuracy: 0.5 },
    ]);
    const text = formatReport(report, { failures: true });
    expect(text).toContain('calibration');
    expect(text).toContain('help → member.lookup  ×2');
  });

  it('bins confidence 1 into the last bin', () => {
    expect(calibrationTable([{ confidence: 1, correct: true }])).toEqual([{ from: 0.95, to: 1, n: 1, confidence: 1, accuracy: 1 }]);
  });

  it('tells held / done / other from the answer, and finds another member\'s data in a reply', () => {
    const a = { intent: 'recall.launch', slots: {}, confidence: 1, text: '将给 4 位会员发券\n回复「确认」执行' };
    expect(outcomeOf(a, false)).toBe('held');
    expect(outcomeOf({ ...a, text: '已记录', outcome: 'done' }, false)).toBe('done');
    expect(outcomeOf({ ...a, text: '已记录' }, true)).toBe('done');
    expect(outcomeOf({ ...a, text: '你想做什么？', outcome: 'asked' }, true)).toBe('other');
    const people = [
      { name: '张伟', phone: '13800000001', memberNo: 'M00000001' },
      { name: '张伟华', phone: '13800000009', memberNo: 'M00000009' },
      { name: '王芳', phone: '13800000005', memberNo: 'M00000005' },
    ];
    expect(leaksIn('张伟，你好，你的积分 8800', people[0], people)).toEqual([]);
    expect(leaksIn('王芳（13800000005）积分 5300', people[0], people)).toEqual(['13800000005', '王芳']);
    expect(leaksIn('张伟华你好', people[1], people)).toEqual([]);
  });
});
