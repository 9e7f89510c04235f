import { describe, expect, it } from 'vitest';
import { createTypoFixer, expandShorthand } from './typos.ts';

describe('typo fixer', () => {
  const fix = createTypoFixer(['churn', 'summary', 'lookup', 'retention']);

  it.each([
    ['本店流式名单', '本店流失名单'],
    ['李娜现在几及', '李娜现在几级'],
    ['上周复够率', '上周复购率'],
    ['KOC排形榜', 'KOC排行榜'],
    ['今天要回仿谁', '今天要回访谁'],
    ['我的劵', '我的券'],
    ['先别发召回卷', '先别发召回券'],
    ['13800000012 扣50积粉', '13800000012 扣50积分'],
    ['chrun list', 'churn list'],
  ])('%s → %s', (typed, fixed) => {
    expect(fix(typed)).toBe(fixed);
  });

  it('leaves real words alone', () => {
    expect(fix('about the order')).toBe('about the order');
  });
});

describe('English chat shorthand', () => {
  it.each([
    ['tix for zhang wei', 'tickets for zhang wei'],
    ['chen jing lvl', 'chen jing level'],
    ['AOV this wk', 'AOV this week'],
    ['add 100 pts to M00000001 bday', 'add 100 points to M00000001 birthday'],
    ['export seg VIP-A', 'export segment VIP-A'],
  ])('%s → %s', (typed, written) => {
    expect(expandShorthand(typed)).toBe(written);
  });

  it('changes whole words only, and nothing in Chinese or identifiers', () => {
    for (const text of ['mixer wkend', 'segment', 'M00000001 详情', '13800000001 的积分', 'VIP-A']) expect(expandShorthand(text)).toBe(text);
  });
});
