import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { buildModel, encodeModel, trainingHash } from './build.ts';
import { foldOf } from './fit.ts';
import { humanLines, humanSource, isHuman, trainingCorpus } from './human.ts';
import { calibrationTable, formatCalibrationTable } from './calibration.ts';
import { corpusHash, expand, generateCorpus, type CorpusLine } from './corpus/generate.ts';
import { TEMPLATES } from './corpus/index.ts';
import { SLOT_VALUES } from './corpus/slots.ts';
import { features, normalizeForFeatures, PLACEHOLDER, stem } from './features.ts';
import { classifierFrom, decodeModel, loadClassifier, NONE } from './model.ts';
import { seededRandom, TRAIN_DEFAULTS } from './train.ts';

describe('classifier features', () => {
  it('folds width and case, and replaces identifiers, amounts and numbers by placeholders', () => {
    expect(normalizeForFeatures('查一下１３８ ０００ ０ ０００１')).toBe(`查一下${PLACEHOLDER.phone}`);
    expect(normalizeForFeatures('M00000001 详情')).toBe(`${PLACEHOLDER.memberNo} 详情`);
    expect(normalizeForFeatures('工单 T20261121000001 已解决')).toBe(`工单 ${PLACEHOLDER.ticket} 已解决`);
    expect(normalizeForFeatures('发30元券, 前20')).toBe(`发${PLACEHOLDER.amount}券, 前${PLACEHOLDER.number}`);
    expect(normalizeForFeatures('Look Up ¥20')).toBe(`look up ${PLACEHOLDER.amount}`);
  });

  it('draws Han character 1–3-grams, segmenter words, stemmed English words and placeholders', () => {
    const f = features('帮我查一下张伟的订单 orders 13800000001');
    expect(f).toEqual(expect.arrayContaining(['c:查', 'c:订单', 'c:查一下', 'w:订单', 'e:order', 'p:phone', 'p:mixed']));
    // Spaces between Han characters do not change the n-grams (voice input has none).
    expect(features('查 一下').filter((x) => x.startsWith('c:'))).toEqual(features('查一下').filter((x) => x.startsWith('c:')));
    expect([stem('orders'), stem('ordered'), stem('purchases'), stem('ordering')]).toEqual(['order', 'order', 'purchas', 'order']);
    expect(new Set(f).size).toBe(f.length);
  });

  it('reads English words as one form and a class of meaning, so a synonym the templates never used still counts', () => {
    // One form: a final e, doubled consonants and irregular verbs.
    expect([stem('close'), stem('closed'), stem('closing')]).toEqual(['clos', 'clos', 'clos']);
    expect([stem('tagged'), stem('stopping'), stem('added'), stem('bought'), stem('sent'), stem('bonus')]).toEqual(['tag', 'stop', 'add', 'buy', 'send', 'bonus']);
    // "kill that recall" and "stop the campaign" share their classes and their class pair.
    const kill = features('kill that recall');
    expect(kill).toEqual(expect.arrayContaining(['ek:stop', 'ek:campaign']));
    expect(features('stop the campaign')).toEqual(expect.arrayContaining(['ek:stop', 'ek:campaign', 'ek2:stop_the']));
    expect(features('guests who are slipping away')).toEqual(expect.arrayContaining(['ek:customer', 'ek:churn']));
  });

});

describe('corpus', () => {
  it('names only known slots and intents the catalogue has, or the ones being added', () => {
    const names = new Set([...intents.map((i) => i.name), 'smalltalk', 'my.smalltalk', 'members.query', 'recall.status', 'work.today', 'my.tickets', NONE, 'none.member']);
    for (const [name, corpus] of Object.entries(TEMPLATES)) {
      expect(names.has(name), name).toBe(true);
      for (const t of [...corpus.zh, ...(corpus.en ?? [])]) for (const [, slot] of t.matchAll(/\{(\w+)\}/g)) expect(slot === 'm' || slot === 'm_en' || slot! in SLOT_VALUES, `${name}: {${slot}}`).toBe(true);
    }
  });

  it('expands alternatives: all of them when few, a seeded sample when many', () => {
    expect(new Set(expand('[查|看][|一下]{m}', 10, seededRandom(1)))).toEqual(new Set(['查{m}', '看{m}', '查一下{m}', '看一下{m}']));
    const a = expand('[a|b|c][d|e|f][g|h|i]', 5, seededRandom(7));
    expect(a).toHaveLength(5);
    expect(expand('[a|b|c][d|e|f][g|h|i]', 5, seededRandom(7))).toEqual(a);
  });

  it('trains only intents of the catalogue; small talk is NONE while the catalogue has no such intent', () => {
    const catalogue = [{ name: 'my.points', audience: 'member' as const, examples: [{ text: '我的积分' }] }];
    const lines = generateCorpus(catalogue);
    const labels = new Set(lines.map((l) => `${l.audience}:${l.label}`));
    expect([...labels].sort()).toEqual(['member:__none__', 'member:my.points', 'staff:__none__']);
    expect(lines).toContainEqual(expect.objectContaining({ label: 'my.points', text: '我的积分' }));
  });
});

describe('the shipped model', () => {
  it('was trained on the corpus the templates and the catalogue generate today, and on the tuning set as it is (run `npm run train:intents`)', async () => {
    expect(loadClassifier().corpusHash).toBe(trainingHash(await trainingCorpus(intents)));
  });

  it('reads phrasings the rules do not know', () => {
    const c = loadClassifier();
    expect(c.classify('张伟平时都点些什么', 'staff')[0]!.label).toBe('member.orders');
    expect(c.classify('拉一下李娜的消费流水', 'staff')[0]!.label).toBe('member.orders');
    expect(c.classify('复购率多少', 'staff')[0]!.label).toBe('insights.health');
    const p = c.classify('我还有多少积分', 'member');
    expect(p[0]!.label).toBe('my.points');
    expect(p.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 6);
  });
});

describe('training', () => {
  const small: CorpusLine[] = [
    ...['查一下 13800000001', '找一下张伟', 'look up 13800000002', '13800000003 是谁'].map((text) => ({ audience: 'staff' as const, label: 'member.lookup', text, source: 'a' })),
    ...['张伟的订单', '13800000001 买了什么', 'orders of 13800000004', '李娜最近买了啥'].map((text) => ({ audience: 'staff' as const, label: 'member.orders', text, source: 'b' })),
    ...['我的积分', '积分多少', 'my points'].map((text) => ({ audience: 'member' as const, label: 'my.points', text, source: 'c' })),
    ...['我的订单', 'my orders', '我买了什么'].map((text) => ({ audience: 'member' as const, label: 'my.orders', text, source: 'd' })),
  ];
  const opts = { ...TRAIN_DEFAULTS, minCount: 1, pruneBelow: 1 };

  it('is deterministic: the same corpus gives the same file, byte for byte', () => {
    const a = encodeModel(buildModel(small, opts));
    const b = encodeModel(buildModel(small, opts));
    expect(a.equals(b)).toBe(true);
    expect(encodeModel(buildModel([...small].reverse(), opts)).equals(a)).toBe(false);
  });

  it('reads back from its file exactly as it was trained: every probability equal, the file at any offset of a buffer', () => {
    const model = buildModel(small, opts);
    const trained = classifierFrom(model);
    const file = encodeModel(model);
    const shifted = Buffer.alloc(file.length + 3);
    file.copy(shifted, 3); // a read buffer need not start on a multiple of 4
    for (const read of [decodeModel(file), decodeModel(shifted.subarray(3))]) {
      expect(read.corpusHash).toBe(model.corpusHash);
      for (const [text, audience] of [['王芳买了什么', 'staff'], ['look up 13800000002', 'staff'], ['我的积分', 'member'], ['完全无关的话', 'member']] as const) {
        expect(read.classify(text, audience)).toEqual(trained.classify(text, audience));
      }
    }
    expect(() => decodeModel(Buffer.from('{"version":1}'))).toThrow(/not an intent model/);
    expect(() => decodeModel(file.subarray(0, file.length - 4))).toThrow();
  });

  it('weighs a line by its weight; lines without one train exactly as lines of weight 1', () => {
    const weights = (lines: Parameters<typeof buildModel>[0]) => JSON.stringify(buildModel(lines, opts).audiences);
    const a = weights(small);
    expect(weights(small.map((l) => ({ ...l, weight: 1 })))).toBe(a);
    expect(weights(small.map((l, i) => ({ ...l, weight: i === 0 ? 3 : 1 })))).not.toBe(a);
    expect(trainingHash(small)).toBe(corpusHash(small));
    expect(trainingHash(small.map((l, i) => ({ ...l, weight: i === 0 ? 3 : 1 })))).not.toBe(corpusHash(small));
  });

  it('learns the small corpus', () => {
    const c = decodeModel(encodeModel(buildModel(small, opts)));
    expect(c.classify('王芳买了什么', 'staff')[0]!.label).toBe('member.orders');
    expect(c.classify('查一下王芳', 'staff')[0]!.label).toBe('member.lookup');
    expect(c.labels('member')).toEqual(['my.orders', 'my.points']);
  });
});

describe('human tuning lines as training lines', () => {
  const catalogue = [
    { name: 'my.points', audience: 'member' as const },
    { name: 'member.orders', audience: 'staff' as const },
  ] as unknown as Parameters<typeof humanLines>[0];
  const cases = [
    { text: '我现在攒了多少分', audience: 'member' as const, intent: 'my.points', file: 'a.jsonl' },
    { text: '看下刘洋这半年买过啥', audience: 'staff' as const, intent: 'member.orders', file: 'b.jsonl', style: 'colloquial' as const },
    { text: '刘洋订单还是详情', audience: 'staff' as const, intent: 'clarify', file: 'b.jsonl' },
    { text: '我买过啥', audience: 'member' as const, intent: 'member.orders', file: 'a.jsonl' },
  ];

  it('keeps lines labelled with an intent of their audience, by file, with the weight', () => {
    const lines = humanLines(catalogue, cases, 2);
    expect(lines).toEqual([
      { audience: 'member', label: 'my.points', text: '我现在攒了多少分', source: humanSource('a.jsonl'), weight: 2 },
      { audience: 'staff', label: 'member.orders', text: '看下刘洋这半年买过啥', source: humanSource('b.jsonl'), style: 'colloquial', weight: 2 },
    ]);
    expect(lines.every(isHuman)).toBe(true);
  });

  it('a file is one fold: every line of it is held out together', () => {
    const lines = humanLines(catalogue, [...cases, { text: '积分还剩几个', audience: 'member' as const, intent: 'my.points', file: 'b.jsonl' }]);
    const folds = new Map<string, Set<number>>();
    for (const l of lines) folds.set(l.source, (folds.get(l.source) ?? new Set()).add(foldOf(l, 4)));
    expect([...folds.values()].every((f) => f.size === 1)).toBe(true);
  });
});

describe('calibrationTable', () => {
  it('bins answers by reported confidence and compares with how often they were right', () => {
    const pairs = [
      ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.95, correct: i < 9 })),
      ...Array.from({ length: 4 }, (_, i) => ({ confidence: 0.55, correct: i < 1 })),
      { confidence: 1, correct: true },
    ];
    const t = calibrationTable(pairs);
    expect(t.n).toBe(15);
    expect(t.bins).toEqual([
      { from: 0.5, to: 0.6, n: 4, reported: 0.55, observed: 0.25 },
      { from: 0.9, to: 1, n: 11, reported: expect.closeTo((0.95 * 10 + 1) / 11, 9), observed: 10 / 11 },
    ]);
    expect(t.ece).toBeCloseTo((4 / 15) * 0.3 + (11 / 15) * Math.abs((0.95 * 10 + 1) / 11 - 10 / 11), 9);
    const text = formatCalibrationTable(t);
    expect(text).toContain('0.9–1.0');
    expect(text).toContain('n = 15');
    expect(calibrationTable([]).bins).toEqual([]);
  });
});
