import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildKeyring } from './keyring.ts';
import { blindIndex, open, reseal, seal, sealedKeyId } from './seal.ts';

const b64 = () => randomBytes(32).toString('base64');
const indexKey = b64();
const a = b64();
const b = b64();
const ringA = buildKeyring({ DATA_KEYS: `a:${a}`, DATA_KEY_ID: 'a', DATA_INDEX_KEY: indexKey });
const ringAB = buildKeyring({ DATA_KEYS: `a:${a},b:${b}`, DATA_KEY_ID: 'b', DATA_INDEX_KEY: indexKey });
const ringB = buildKeyring({ DATA_KEYS: `b:${b}`, DATA_KEY_ID: 'b', DATA_INDEX_KEY: indexKey });

describe('sealed personal data (AES-256-GCM envelopes)', () => {
  it('round-trips, with a fresh IV each time and the key id in the envelope', () => {
    const x = seal('members.phone', '13800000001', ringA);
    const y = seal('members.phone', '13800000001', ringA);
    expect(x).toMatch(/^v1:a:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]+$/);
    expect(x).not.toBe(y);
    expect(x).not.toContain('13800000001');
    expect(open('members.phone', x, ringA)).toBe('13800000001');
    expect(open('members.email', seal('members.email', 'lin@example.com', ringA), ringA)).toBe('lin@example.com');
  });

  it('a value moved to another column (other field as AAD) or altered does not open', () => {
    const phone = seal('members.phone', '13800000001', ringA);
    expect(() => open('members.email', phone, ringA)).toThrow(expect.objectContaining({ code: 'personal_data_unreadable' }));
    const [v, kid, iv, body] = phone.split(':') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64');
    flipped[0]! ^= 1;
    expect(() => open('members.phone', [v, kid, iv, flipped.toString('base64')].join(':'), ringA)).toThrow(/authentication failed/);
    expect(() => open('members.phone', '13800000001', ringA)).toThrow(/not a sealed value/);
  });

  it('rotation: old values open while both keys are configured, re-seal under the new id, and then need only the new key', () => {
    const old = seal('members.phone', '13900001111', ringA);
    expect(open('members.phone', old, ringAB)).toBe('13900001111');
    const rotated = reseal('members.phone', old, ringAB);
    expect(sealedKeyId(rotated)).toBe('b');
    expect(reseal('members.phone', rotated, ringAB)).toBe(rotated); // already current: unchanged
    expect(open('members.phone', rotated, ringB)).toBe('13900001111');
    expect(() => open('members.phone', old, ringB)).toThrow(/key "a" is not in DATA_KEYS/);
  });

  it('the blind index is keyed, deterministic, and separates kinds', () => {
    expect(blindIndex('phone', '13800000001', ringA)).toBe(blindIndex('phone', '13800000001', ringB)); // same DATA_INDEX_KEY
    expect(blindIndex('phone', '13800000001', ringA)).toMatch(/^[0-9a-f]{64}$/);
    expect(blindIndex('phone', '13800000001', ringA)).not.toBe(blindIndex('email', '13800000001', ringA));
    const other = buildKeyring({ DATA_KEYS: `a:${a}`, DATA_INDEX_KEY: b64() });
    expect(blindIndex('phone', '13800000001', other)).not.toBe(blindIndex('phone', '13800000001', ringA));
  });

  it('rejects malformed key settings', () => {
    expect(() => buildKeyring({ DATA_KEYS: 'a:c2hvcnQ=', DATA_INDEX_KEY: indexKey })).toThrow(/32 bytes/);
    expect(() => buildKeyring({ DATA_KEYS: `a:${a}`, DATA_KEY_ID: 'z', DATA_INDEX_KEY: indexKey })).toThrow(/DATA_KEY_ID "z"/);
    expect(buildKeyring({}).development).toBe(true);
  });
});
