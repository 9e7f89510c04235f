import { createCipheriv, randomBytes } from 'node:crypto';
import * as wecomCrypto from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../crm/kernel/errors.ts';
import { assertFresh, computeSignature, decrypt, deriveAesKey, encrypt, isFresh, verifySignature } from '../shared/crypto.ts';
import { SAMPLE, atUnix } from '../../../test/support/wecom-test-vectors.ts';

const { token, aesKey, corpId } = SAMPLE;

/** Encrypts raw bytes exactly as given (no padding added), to build adversarial ciphertexts. */
function rawEncrypt(plain: Buffer): string {
  const { key, iv } = deriveAesKey(aesKey);
  const c = createCipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]).toString('base64');
}

/** random(16) + len + msg + id, then `padding` appended verbatim. */
function frame(msg: string, id: string, padding: Buffer, lenOverride?: number): Buffer {
  const m = Buffer.from(msg);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(lenOverride ?? m.length);
  return Buffer.concat([randomBytes(16), len, m, Buffer.from(id), padding]);
}

function expectAppError(fn: () => unknown, code: string, status?: number): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected AppError ${code}`).toBeInstanceOf(AppError);
  const err = caught as AppError;
  expect(err.code).toBe(code);
  expect(err.status).toBeGreaterThanOrEqual(400);
  expect(err.status).toBeLessThan(500);
  if (status) expect(err.status).toBe(status);
  expect(err.retryable).toBe(false);
  return err;
}

describe('signature', () => {
  it("matches Tencent's sample vectors (URL verification and message)", () => {
    const v = SAMPLE.verify;
    expect(computeSignature(token, v.timestamp, v.nonce, v.echostr)).toBe(v.msgSignature);
    const m = SAMPLE.message;
    expect(computeSignature(token, m.timestamp, m.nonce, m.encrypt)).toBe(m.msgSignature);
    expect(verifySignature(token, m.timestamp, m.nonce, m.encrypt, m.msgSignature)).toBe(true);
    expect(verifySignature(token, m.timestamp, m.nonce, m.encrypt, m.msgSignature.toUpperCase())).toBe(true);
  });

  it('rejects a wrong, truncated, non-hex or empty signature without throwing', () => {
    const m = SAMPLE.message;
    const flipped = (m.msgSignature[0] === '0' ? '1' : '0') + m.msgSignature.slice(1);
    for (const sig of [flipped, m.msgSignature.slice(0, 39), `${m.msgSignature.slice(0, 39)}z`, '', 'x'.repeat(400)]) {
      expect(verifySignature(token, m.timestamp, m.nonce, m.encrypt, sig)).toBe(false);
    }
    // Any field changed → signature no longer matches.
    expect(verifySignature(token, m.timestamp, '1597212915', m.encrypt, m.msgSignature)).toBe(false);
    expect(verifySignature(token, '1476422780', m.nonce, m.encrypt, m.msgSignature)).toBe(false);
  });
});

describe('freshness (injected clock)', () => {
  const ts = SAMPLE.message.timestamp;
  it('accepts within the skew both ways and rejects beyond it', () => {
    const at = atUnix(ts).getTime();
    expect(isFresh(ts, new Date(at), 300)).toBe(true);
    expect(isFresh(ts, new Date(at + 300_000), 300)).toBe(true);
    expect(isFresh(ts, new Date(at - 300_000), 300)).toBe(true);
    expect(isFresh(ts, new Date(at + 301_000), 300)).toBe(false);
    expectAppError(() => assertFresh(ts, new Date(at + 301_000), 300), 'stale_timestamp', 401); // replayed
    expectAppError(() => assertFresh(ts, new Date(at - 301_000), 300), 'stale_timestamp', 401); // from the future
  });
  it('rejects a non-numeric timestamp', () => {
    for (const bad of ['', 'abc', '1476422779.5', '-1', '1'.repeat(20)]) {
      expect(isFresh(bad, new Date(), 300)).toBe(false);
      expectAppError(() => assertFresh(bad, new Date(), 300), 'bad_timestamp', 400);
    }
  });
});

describe('decrypt / encrypt', () => {
  it("decrypts Tencent's sample vectors", () => {
    expect(decrypt(aesKey, SAMPLE.verify.echostr, corpId)).toBe(SAMPLE.verify.plaintext);
    const xml = decrypt(aesKey, SAMPLE.message.encrypt, corpId);
    expect(xml).toContain('<FromUserName>ChenJiaShun</FromUserName>');
    expect(xml).toContain('<Content>你好</Content>');
    expect(xml).toContain('<MsgId>1456453720</MsgId>');
    expect(xml).toContain('<AgentID>1000002</AgentID>');
  });

  it('round-trips, including multi-byte text and every padding length', () => {
    for (let n = 0; n < 70; n++) {
      const msg = '你好🙂'.repeat(n % 7) + 'x'.repeat(n);
      expect(decrypt(aesKey, encrypt(aesKey, msg, corpId), corpId)).toBe(msg);
    }
  });

  it('is byte-compatible with @wecom/crypto (an independent implementation) both ways', () => {
    const random = randomBytes(16);
    const msg = '<xml><Content><![CDATA[查一下 13800000001]]></Content></xml>';
    expect(encrypt(aesKey, msg, corpId, random)).toBe(wecomCrypto.encrypt(aesKey, msg, corpId, random));
    expect(wecomCrypto.decrypt(aesKey, encrypt(aesKey, msg, corpId)).message).toBe(msg);
    expect(decrypt(aesKey, wecomCrypto.encrypt(aesKey, msg, corpId), corpId)).toBe(msg);
  });

  it('rejects a message encrypted for another corp (receive id), with 403', () => {
    expectAppError(() => decrypt(aesKey, encrypt(aesKey, 'hi', 'ww_other_corp'), corpId), 'wrong_receive_id', 403);
    expectAppError(() => decrypt(aesKey, SAMPLE.message.encrypt, 'ww_other_corp'), 'wrong_receive_id', 403);
    // A message for a corp id that merely starts with ours is still someone else's.
    expectAppError(() => decrypt(aesKey, encrypt(aesKey, 'hi', `${corpId}x`), corpId), 'wrong_receive_id', 403);
  });

  it('rejects non-base64, truncated and non-block-sized ciphertext', () => {
    const good = encrypt(aesKey, 'hello', corpId);
    expectAppError(() => decrypt(aesKey, '', corpId), 'bad_ciphertext_encoding');
    expectAppError(() => decrypt(aesKey, `${good.slice(0, 10)}!${good.slice(11)}`, corpId), 'bad_ciphertext_encoding');
    expectAppError(() => decrypt(aesKey, `${good} `, corpId), 'bad_ciphertext_encoding');
    expectAppError(() => decrypt(aesKey, good.slice(0, -3), corpId), 'bad_ciphertext_encoding'); // length not a multiple of 4
    expectAppError(() => decrypt(aesKey, Buffer.alloc(40).toString('base64'), corpId), 'bad_ciphertext'); // 40 bytes: not AES blocks
    expectAppError(() => decrypt(aesKey, Buffer.alloc(16).toString('base64'), corpId), 'bad_ciphertext'); // below one pad block
    // Cut at a block boundary: decrypts, but the padding is gone.
    const cut = Buffer.from(SAMPLE.message.encrypt, 'base64').subarray(0, 64).toString('base64');
    expect(() => decrypt(aesKey, cut, corpId)).toThrow(AppError);
  });

  it('rejects pad byte 0, pad > 32, inconsistent padding and a length field beyond the buffer', () => {
    const base = frame('hello', corpId, Buffer.alloc(0)); // 16+4+5+18 = 43 bytes
    const need = 64 - base.length; // 21 bytes to reach 64
    expectAppError(() => decrypt(aesKey, rawEncrypt(Buffer.concat([base, Buffer.alloc(need, 0)])), corpId), 'bad_padding');
    // 38 + 9 + 33 = 80 bytes: whole blocks, last byte 33.
    const p33 = Buffer.concat([frame('x'.repeat(9), corpId, Buffer.alloc(0)), Buffer.alloc(33, 33)]);
    expect(p33.length % 16).toBe(0);
    expectAppError(() => decrypt(aesKey, rawEncrypt(p33), corpId), 'bad_padding');
    const mixed = Buffer.alloc(need, need);
    mixed[0] = need - 1;
    expectAppError(() => decrypt(aesKey, rawEncrypt(Buffer.concat([base, mixed])), corpId), 'bad_padding');
    const lying = frame('hello', corpId, Buffer.alloc(need, need), 10_000);
    expectAppError(() => decrypt(aesKey, rawEncrypt(lying), corpId), 'bad_length');
    // Pad covering the whole frame leaves less than random+length.
    expectAppError(() => decrypt(aesKey, rawEncrypt(Buffer.alloc(32, 32)), corpId), 'bad_ciphertext');
  });

  it('rejects invalid UTF-8 in the message', () => {
    const frameBytes = Buffer.concat([randomBytes(16), Buffer.from([0, 0, 0, 2]), Buffer.from([0xc3, 0x28]), Buffer.from(corpId)]);
    const n = 32 - (frameBytes.length % 32);
    expectAppError(() => decrypt(aesKey, rawEncrypt(Buffer.concat([frameBytes, Buffer.alloc(n, n)])), corpId), 'bad_text_encoding');
  });

  it('never throws anything but a 4xx AppError for mutated ciphertext (fuzz)', () => {
    const good = Buffer.from(encrypt(aesKey, '<xml><Content>fuzz</Content></xml>', corpId), 'base64');
    let ok = 0;
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(good);
      const mode = i % 3;
      if (mode === 0) b[i % b.length] = b[i % b.length]! ^ (1 + (i % 255));
      const mutated = mode === 1 ? b.subarray(0, 16 * (i % (b.length / 16))) : mode === 2 ? Buffer.concat([b, randomBytes(i % 40)]) : b;
      try {
        decrypt(aesKey, mutated.toString('base64'), corpId);
        ok++;
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).status).toBeLessThan(500);
      }
    }
    expect(ok).toBeLessThan(2000);
  });

  it('refuses a malformed EncodingAESKey as a server (config) error', () => {
    expect(() => deriveAesKey('short')).toThrow(/43 base64/);
  });
});
