import { describe, expect, it } from 'vitest';
import { reportedQuestion } from './reported-question.ts';

describe('reportedQuestion', () => {
  it('reads a customer\'s question reported after a verb of asking as content', () => {
    expect(reportedQuestion('他打电话来问下周六还有没有空位')).toBe(true);
    expect(reportedQuestion('微信上问儿童套餐能不能打包')).toBe(true);
    expect(reportedQuestion('客人打听包厢可不可以自带酒水')).toBe(true);
  });
  it('leaves a question put to the bot a question', () => {
    expect(reportedQuestion('她问过什么吗')).toBe(false);
    expect(reportedQuestion('他有没有问过包间')).toBe(false);
    expect(reportedQuestion('还有没有')).toBe(false);
    expect(reportedQuestion('她问了包间的事呢?')).toBe(false);
    expect(reportedQuestion('周六包间还有没有')).toBe(false);
  });
});
