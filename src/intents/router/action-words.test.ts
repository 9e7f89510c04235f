import { describe, expect, it } from 'vitest';
import { hasActionWord } from './action-words.ts';

describe('action words', () => {
  it('reads a kind of contact followed by 记录 as the name of the records, not a note to write', () => {
    for (const t of ['王芳 来电记录', '陈静沟通记录呢', '13800000006 跟进记录']) expect(hasActionWord('interaction.log', t)).toBe(false);
    for (const t of ['记录 王芳 来电 问停车', '王芳来电 记录一下', '王芳来电问停车']) expect(hasActionWord('interaction.log', t)).toBe(true);
  });
});
