import { describe, expect, it } from 'vitest';
import { ACK_INTENT, MEMBER_ACK_INTENT, ackIntentFor } from './gate-confirm.ts';

// A lone "好" / "ok" with nothing held is an acknowledgement in the speaker's own audience.
describe('ackIntentFor', () => {
  it('reads a member’s bare assent as their own small talk', () => {
    expect(ackIntentFor({ kind: 'member', memberId: 7, name: '会员', phone: '13900000007', homeStoreId: null } as never)).toBe(MEMBER_ACK_INTENT);
    expect(MEMBER_ACK_INTENT).toBe('my.smalltalk');
  });
  it('reads staff bare assent as small talk, never a confirmation', () => {
    expect(ackIntentFor({ kind: 'staff' } as never)).toBe(ACK_INTENT);
    expect(ACK_INTENT).toBe('smalltalk');
  });
});
