/**
 * WeCom / WeChat callback cryptography ("消息加解密方案"), as pure functions, shared by the WeCom
 * and mini-program channels (the same scheme on both platforms).
 *
 * Protocol (docs/wecom.md, protocol rules):
 * - signature = sha1 hex of the lexicographically sorted [token, timestamp, nonce, encrypt];
 *   the mini-program's plain mode (and its URL verification) signs only [token, timestamp, nonce];
 * - AES-256-CBC, key = base64decode(EncodingAESKey + "="), IV = key[0..16];
 * - plaintext = 16 random bytes + 4-byte big-endian message length + message + receive id
 *   (the corp id for WeCom, the app id for mini-programs), PKCS#7-padded to 32-byte blocks.
 *
 * The AES primitive is node:crypto with auto-padding off: the padding, the length field and
 * the receive id are checked here because @wecom/crypto checks none of them. Every failure is
 * an AppError with a 4xx status, so bad input can never become a 5xx or a crash.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, type ErrorCode } from '../../crm/kernel/index.ts';

/** PKCS#7 block size WeCom pads to (its SDKs use 32, not AES's 16). */
export const PAD_BLOCK = 32;
const AES_BLOCK = 16;
const RANDOM_PREFIX = 16;
const LENGTH_FIELD = 4;

const reject = (code: ErrorCode, message: string) => new AppError(code, message);

/** sha1 hex over the lexicographically sorted, concatenated parts (every WeChat-family signature). */
export function sha1Sorted(parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** sha1 hex over the sorted four strings (the msg_signature / signature of a callback). */
export function computeSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1Sorted([token, timestamp, nonce, encrypt]);
}

/** Constant-time comparison of a presented hex signature with the expected one. */
function sameSignature(expectedHex: string, presented: string): boolean {
  if (!/^[0-9a-f]{40}$/i.test(presented)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(presented, 'hex'));
}

/** Boolean twin of the signature check; constant-time so the signature cannot be guessed byte by byte. */
export function verifySignature(token: string, timestamp: string, nonce: string, encrypt: string, signature: string): boolean {
  return sameSignature(computeSignature(token, timestamp, nonce, encrypt), signature);
}

/** The `signature` query parameter of WeChat's plain mode and URL verification: sha1 of sorted [token, timestamp, nonce]. */
export function computePlainSignature(token: string, timestamp: string, nonce: string): string {
  return sha1Sorted([token, timestamp, nonce]);
}

/** Boolean twin of the plain-mode signature check (constant time). */
export function verifyPlainSignature(token: string, timestamp: string, nonce: string, signature: string): boolean {
  return sameSignature(computePlainSignature(token, timestamp, nonce), signature);
}

/** Throws AppError `bad_signature` (401) when the plain-mode signature does not match. */
export function assertPlainSignature(token: string, timestamp: string, nonce: string, signature: string): void {
  if (!verifyPlainSignature(token, timestamp, nonce, signature)) throw reject('bad_signature', 'signature does not match');
}

/** Throws AppError `bad_signature` (401) when the signature does not match. */
export function assertSignature(token: string, timestamp: string, nonce: string, encrypt: string, signature: string): void {
  if (!verifySignature(token, timestamp, nonce, encrypt, signature)) {
    throw reject('bad_signature', 'signature does not match');
  }
}

/** Boolean twin of assertFresh: the callback timestamp lies within maxSkewS of now, either direction. */
export function isFresh(timestamp: string, now: Date, maxSkewS: number): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= maxSkewS;
}

/**
 * Replay protection: WeCom signs the timestamp, so a captured callback replayed later (or one
 * from a clock far in the future) is rejected with 401 `stale_timestamp`.
 */
export function assertFresh(timestamp: string, now: Date, maxSkewS: number): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw reject('bad_timestamp', 'timestamp must be unix seconds');
  if (!isFresh(timestamp, now, maxSkewS)) {
    throw reject('stale_timestamp', `timestamp is more than ${maxSkewS}s away from the server clock`);
  }
}

/**
 * Keys derived so far, by EncodingAESKey: every callback decrypts and every passive reply encrypts
 * with the same one or two keys, so each is checked and decoded once, not twice per callback.
 * Bounded (a process has a key per channel; tests make more): cleared when full.
 */
const derived = new Map<string, { key: Buffer; iv: Buffer }>();
const MAX_DERIVED = 64;

/** Derives the AES key and IV from the 43-character EncodingAESKey. A bad key is our config's fault: 500. */
export function deriveAesKey(aesKey43: string): { key: Buffer; iv: Buffer } {
  const kept = derived.get(aesKey43);
  if (kept) return kept;
  const key = /^[A-Za-z0-9+/]{43}$/.test(aesKey43) ? Buffer.from(`${aesKey43}=`, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new AppError('bad_aes_key', 'EncodingAESKey must be 43 base64 characters');
  // Frozen copies would cost as much as deriving: callers only read them (createCipheriv copies the key).
  const out = { key, iv: key.subarray(0, AES_BLOCK) };
  if (derived.size >= MAX_DERIVED) derived.clear();
  derived.set(aesKey43, out);
  return out;
}

/** Strict base64 (Buffer.from(…, 'base64') silently skips junk, which would hide truncation). */
function decodeBase64Strict(b64: string): Buffer {
  if (b64.length === 0 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw reject('bad_ciphertext_encoding', 'ciphertext is not valid base64');
  }
  return Buffer.from(b64, 'base64');
}

/** Removes PKCS#7 padding (1..32 bytes, all equal to the count) or throws `bad_padding`. */
function unpad(data: Buffer): Buffer {
  const pad = data[data.length - 1] ?? 0;
  if (pad < 1 || pad > PAD_BLOCK || pad > data.length) throw reject('bad_padding', 'invalid PKCS#7 padding');
  for (let i = data.length - pad; i < data.length; i++) {
    if (data[i] !== pad) throw reject('bad_padding', 'invalid PKCS#7 padding');
  }
  return data.subarray(0, data.length - pad);
}

function pad(data: Buffer): Buffer {
  const n = PAD_BLOCK - (data.length % PAD_BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decrypts an Encrypt element / echostr and returns the message. Checks padding, the length
 * field, UTF-8 and that the trailing receive id equals `expectedReceiveId` (403
 * `wrong_receive_id`: a message encrypted for another corp or app).
 * Call only after the signature check, so nobody can use the padding errors as an oracle.
 */
export function decrypt(aesKey43: string, encryptB64: string, expectedReceiveId: string): string {
  const { key, iv } = deriveAesKey(aesKey43);
  const cipherText = decodeBase64Strict(encryptB64);
  if (cipherText.length % AES_BLOCK !== 0 || cipherText.length < PAD_BLOCK) {
    throw reject('bad_ciphertext', 'ciphertext length is not a whole number of AES blocks');
  }
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  const plain = unpad(Buffer.concat([decipher.update(cipherText), decipher.final()]));
  if (plain.length < RANDOM_PREFIX + LENGTH_FIELD) throw reject('bad_ciphertext', 'decrypted payload is too short');
  const msgLen = plain.readUInt32BE(RANDOM_PREFIX);
  const msgStart = RANDOM_PREFIX + LENGTH_FIELD;
  if (msgLen > plain.length - msgStart) throw reject('bad_length', 'message length field exceeds the payload');
  let message: string;
  let receiveId: string;
  try {
    message = utf8.decode(plain.subarray(msgStart, msgStart + msgLen));
    receiveId = utf8.decode(plain.subarray(msgStart + msgLen));
  } catch {
    throw reject('bad_text_encoding', 'decrypted payload is not UTF-8');
  }
  if (receiveId !== expectedReceiveId) throw reject('wrong_receive_id', 'message is not addressed to this corp/app');
  return message;
}

/** Encrypts a message for `receiveId` (base64 result). `random16` is injectable for reproducible tests. */
export function encrypt(aesKey43: string, plaintext: string, receiveId: string, random16: Buffer = randomBytes(RANDOM_PREFIX)): string {
  if (random16.length !== RANDOM_PREFIX) throw new AppError('bad_random', 'random prefix must be 16 bytes');
  const { key, iv } = deriveAesKey(aesKey43);
  const msg = Buffer.from(plaintext, 'utf8');
  const len = Buffer.alloc(LENGTH_FIELD);
  len.writeUInt32BE(msg.length, 0);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  cipher.setAutoPadding(false);
  const body = pad(Buffer.concat([random16, len, msg, Buffer.from(receiveId, 'utf8')]));
  return Buffer.concat([cipher.update(body), cipher.final()]).toString('base64');
}
