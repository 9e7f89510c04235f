import { describe, expect, it } from 'vitest';
import { memberAnswer } from './answers.ts';

describe('memberAnswer', () => {
  it('a name after a pointing word is still the whole reply ("就是那个刘洋")', () => {
    expect(memberAnswer('就是那个刘洋')).toEqual({ slots: { name: '刘洋' }, bare: true });
    expect(memberAnswer('这位王芳')).toEqual({ slots: { name: '王芳' }, bare: true });
    expect(memberAnswer('刘洋')).toEqual({ slots: { name: '刘洋' }, bare: true });
  });
  it('a request around a name is no bare answer', () => {
    expect(memberAnswer('她的工单')).toBeNull();
  });
});
