import { describe, expect, it } from 'vitest';
import { narrowingCondition } from './segment-narrow.ts';

describe('narrowingCondition (a condition added to the segment in focus)', () => {
  it('reads the condition after 再加个条件 / 加个条件 / 只要 / 只圈 / 仅保留', () => {
    expect(narrowingCondition('再加个条件 爱吃辣')).toBe('爱吃辣');
    expect(narrowingCondition('加个条件：最近30天有消费')).toBe('最近30天有消费');
    expect(narrowingCondition('只要3级以上')).toBe('3级以上');
    expect(narrowingCondition('只圈徐汇的')).toBe('徐汇');
    expect(narrowingCondition('那就只留女性的就行')).toBe('女性');
    expect(narrowingCondition('仅保留 等级≥3 吧')).toBe('等级≥3');
  });
  it('nothing for a message that adds no condition', () => {
    for (const s of ['导出来给我', '有几个人', '给王芳加个标签', '条件是什么']) expect(narrowingCondition(s), s).toBeUndefined();
  });
});
