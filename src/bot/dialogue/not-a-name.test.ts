import { describe, expect, it } from 'vitest';
import { withoutPronounName } from './not-a-name.ts';

const route = (slots: Record<string, unknown>) => ({ intent: 'ticket.create', slots, confidence: 1 });

describe('withoutPronounName', () => {
  it('drops "one" read as a member name', () => {
    expect(withoutPronounName(route({ name: 'one', text: 'open one' })).slots).toEqual({ text: 'open one' });
    expect(withoutPronounName(route({ name: 'this one' })).slots).toEqual({});
  });
  it('keeps real names', () => {
    expect(withoutPronounName(route({ name: '王芳' })).slots).toEqual({ name: '王芳' });
    expect(withoutPronounName(route({ name: 'Oneida' })).slots).toEqual({ name: 'Oneida' });
  });
});
