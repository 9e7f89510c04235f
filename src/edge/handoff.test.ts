import { describe, expect, it } from 'vitest';
import { handoffSecrets, parseHandoff, signHandoff, verifyHandoff } from './handoff.ts';

const now = new Date('2026-12-05T08:00:00Z');
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const body = JSON.stringify({ v: 1, kind: 'message', channel: 'wecom', messageId: '1', from: 'u1', text: 'hi', receivedAt: now.toISOString() });
const codeOf = (f: () => void) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('edge hand-off signature', () => {
  it('verifies its own signature with an injected clock, within the window either way', () => {
    const h = signHandoff(A, body, now);
    expect(codeOf(() => verifyHandoff([A], h, body, new Date(now.getTime() + 59_000), 60))).toBe('ok');
    expect(codeOf(() => verifyHandoff([A], h, body, new Date(now.getTime() - 59_000), 60))).toBe('ok');
    expect(codeOf(() => verifyHandoff([A], h, body, new Date(now.getTime() + 61_000), 60))).toBe('handoff_stale');
  });

  it('accepts any secret of a rotation list, refuses others, a tampered body and malformed headers', () => {
    expect(handoffSecrets(` ${B} , ${A},`)).toEqual([B, A]);
    expect(codeOf(() => verifyHandoff([B, A], signHandoff(A, body, now), body, now, 60))).toBe('ok');
    expect(codeOf(() => verifyHandoff([B], signHandoff(A, body, now), body, now, 60))).toBe('bad_handoff_signature');
    expect(codeOf(() => verifyHandoff([A], signHandoff(A, body, now), body.replace('hi', 'ho'), now, 60))).toBe('bad_handoff_signature');
    const h = signHandoff(A, body, now);
    expect(codeOf(() => verifyHandoff([A], { ...h, 'x-edge-signature': h['x-edge-signature']!.replace('v1=', 'v2=') }, body, now, 60))).toBe('handoff_unsigned');
    expect(codeOf(() => verifyHandoff([A], { 'x-edge-signature': h['x-edge-signature'] }, body, now, 60))).toBe('handoff_unsigned');
  });

  it('parses the body by its schema', () => {
    expect(parseHandoff(body)).toMatchObject({ kind: 'message', channel: 'wecom', text: 'hi' });
    expect(codeOf(() => parseHandoff('{'))).toBe('bad_handoff');
    expect(codeOf(() => parseHandoff(JSON.stringify({ v: 1, kind: 'message', channel: 'sms' })))).toBe('bad_handoff');
  });
});
