import { describe, expect, it } from 'vitest';
import { optionNamed } from './option-word.ts';

describe('an option named by its word', () => {
  it('picks the option a reply names by its object word, never one it does not name', () => {
    const options = ['member.orders', 'member.tickets'];
    expect(optionNamed('订单那个', options)).toBe(0);
    expect(optionNamed('the tickets one', options)).toBe(1);
    expect(optionNamed('看工单吧', options)).toBe(1);
    expect(optionNamed('等级', options)).toBeNull();
    expect(optionNamed('好的', options)).toBeNull();
  });
});
