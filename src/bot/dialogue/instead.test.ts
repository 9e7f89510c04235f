import { describe, expect, it } from 'vitest';
import { insteadFigure } from './instead.ts';

describe('insteadFigure', () => {
  it.each([
    ['no, 20 not 30', '20'],
    ['20 not 30', '20'],
    ['make it 25 instead of 30', '25'],
    ['not 30, 20', '20'],
    ['not 30 but 20', '20'],
    ['20 不是30', '20'],
    ['不对 20块 不是30块', '20'],
    ['30改20', '20'],
    ['30 → 25', '25'],
  ])('%s → %s', (text, figure) => expect(insteadFigure(text)).toBe(figure));
  it.each(['no', '20', '改成30的', '不是她 是王芳', 'not now', '给王芳加20分 不是30分的那个人'])('no figure instead: %s', (text) => expect(insteadFigure(text)).toBeNull());
});
