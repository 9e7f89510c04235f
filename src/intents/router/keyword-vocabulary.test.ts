import { describe, expect, it } from 'vitest';
import { intents } from '../catalogue.ts';
import { hanWords } from './homophones.ts';

describe('the typo vocabulary taken from the triggers', () => {
  it('holds no word made of a character class ("分(?![钟数])" once made 总数 read as 钟数)', () => {
    const words = new Set(intents.flatMap((i) => i.rule.keywords.flat().flatMap((k) => hanWords(k))));
    expect(words.has('钟数')).toBe(false);
    // Real terms stay: the transfer phrasings' 接手, points' 积分.
    expect(words.has('接手')).toBe(true);
    expect(words.has('积分')).toBe(true);
  });
});
