import { describe, expect, it } from 'vitest';
import { BARE_NUMBER, heldChangeText } from './held-change.ts';

describe('BARE_NUMBER (a change to one bare number)', () => {
  it('takes the number with its unit, 的 and a closing particle', () => {
    for (const s of ['改成20的吧', '换成50块的吧', '改为15元吧', '改成30的', '换成 50', '40吧', 'make it 25']) expect(BARE_NUMBER.test(s), s).toBe(true);
    expect('改成20的吧'.replace(BARE_NUMBER, '$1$2元$3')).toBe('改成20元的吧');
  });
  it('takes "that will do" after the number (30就够了, 20块就行, 50 is enough)', () => {
    for (const s of ['30就够了', '20块就行', '150就好', '25元的就可以了', '50 is enough']) expect(BARE_NUMBER.test(s), s).toBe(true);
  });
  it('not a number with words after it', () => {
    for (const s of ['改成20个人', '换成30天的', '改成前5个']) expect(BARE_NUMBER.test(s), s).toBe(false);
  });
});

describe('heldChangeText (a change said while an action is held)', () => {
  it('reads the change after an English interjection, and "make it X" without "to"', () => {
    expect(heldChangeText('hold on, make it 家庭客')).toBe('make it 家庭客');
    expect(heldChangeText('actually change it to 25')).toBe('change it to 25');
    expect(heldChangeText('oops make that 老客')).toBe('make that 老客');
    expect(heldChangeText('换成雨天常客')).toBe('换成雨天常客');
  });
  it('no change in words that only put it off, refuse or ask', () => {
    for (const s of ['wait, not yet', 'no, cancel it', 'hold on, who gets it?', 'wait', '等一下']) expect(heldChangeText(s), s).toBeNull();
  });
});
