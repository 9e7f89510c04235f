import { describe, expect, it } from 'vitest';
import { hasListStructure, toWeComMarkdown } from './markdown.ts';

describe('WeCom markdown for lists', () => {
  it('finds a list in two or more item lines, not in prose', () => {
    expect(hasListStructure('本店流失预警（2 位）：\n1. 张伟 M00000001 138****0001\n2. 李娜 M00000004 138****0004')).toBe(true);
    expect(hasListStructure('工单：\n- T1 待处理\n- T2 处理中')).toBe(true);
    expect(hasListStructure('已给 4 位会员打上标签「VIP」。')).toBe(false);
    expect(hasListStructure('1. 只有一行')).toBe(false);
  });

  it('bolds the lead line and puts masked phones in inline code, keeping every line', () => {
    const text = '本店流失预警（2 位）：\n1. 张伟 M00000001 138****0001\n2. 李娜 M00000004 138****0004';
    const md = toWeComMarkdown(text);
    expect(md.split('\n')).toEqual(['**本店流失预警（2 位）：**', '1. 张伟 M00000001 `138****0001`', '2. 李娜 M00000004 `138****0004`']);
  });
});
