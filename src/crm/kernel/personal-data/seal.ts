import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { keyring, type Keyring } from './keyring.ts';

/**
 * Sealed personal data (docs/deployment.md, "Personal data keys"): AES-256-GCM
 * envelopes `v1:<keyId>:<iv b64>:<ciphertext+tag b64>`, with the column's name as additional
 * authenticated data, so a value copied into another column (phone into email, one member's
 * remarks into another field) fails to open instead of reading as something else.
 */

/** The field names used as AAD and blind-index domains; a new sealed field is a new name here. */
export type SealedField = `members.${'phone' | 'email' | 'remarks' | 'addresses'}` | `member_profile_changes.${'phone' | 'email' | 'remarks' | 'addresses'}`;

const VERSION = 'v1';
const IV_BYTES = 12; // GCM's native nonce size (NIST SP 800-38D): random 96-bit IVs, a fresh one per value.

export function seal(field: SealedField, plaintext: string, k: Keyring = keyring()): string {
  const key = k.keys.get(k.currentId)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(field, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}:${k.currentId}:${iv.toString('base64')}:${body.toString('base64')}`;
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}:`);
}

// The whole shape of an envelope: a field that may hold either (remarks written before sealing was
// switched on) is read as sealed only when it is exactly this, never because it starts with "v1:".
const ENVELOPE = /^v1:[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]+={0,2}$/;
export function isEnvelope(value: string): boolean {
  return ENVELOPE.test(value);
}

/** The key id of an envelope (rotation picks the values not under DATA_KEY_ID). */
export function sealedKeyId(envelope: string): string | null {
  const parts = envelope.split(':');
  return parts.length === 4 && parts[0] === VERSION ? parts[1]! : null;
}

/**
 * Opens an envelope of `field`. A wrong field, a tampered value or a key id missing from DATA_KEYS
 * is a 500 `personal_data_unreadable` (the data or the configuration is wrong, not the request).
 */
export function open(field: SealedField, envelope: string, k: Keyring = keyring()): string {
  const parts = envelope.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) throw unreadable(field, 'not a sealed value');
  const [, kid, ivB64, bodyB64] = parts as [string, string, string, string];
  const key = k.keys.get(kid);
  if (!key) throw unreadable(field, `key "${kid}" is not in DATA_KEYS (was it removed before rotate-keys finished?)`);
  const body = Buffer.from(bodyB64, 'base64');
  if (body.length < 16) throw unreadable(field, 'truncated value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivB64, 'base64'));
    decipher.setAAD(Buffer.from(field, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw unreadable(field, 'authentication failed (wrong key, wrong field or altered value)');
  }
}

/** open() for a nullable column. */
export function openOrNull(field: SealedField, envelope: string | null | undefined, k?: Keyring): string | null {
  return envelope == null ? null : open(field, envelope, k);
}

/** seal() for a nullable value. */
export function sealOrNull(field: SealedField, plaintext: string | null | undefined, k?: Keyring): string | null {
  return plaintext == null ? null : seal(field, plaintext, k);
}

/** Re-seals an envelope under the current key (rotate-keys); the same envelope when it already is. */
export function reseal(field: SealedField, envelope: string, k: Keyring = keyring()): string {
  return sealedKeyId(envelope) === k.currentId ? envelope : seal(field, open(field, envelope, k), k);
}

function unreadable(field: string, why: string): AppError {
  return new AppError('personal_data_unreadable', `${field}: ${why}`);
}

/**
 * The blind index of an exact value: HMAC-SHA256 under DATA_INDEX_KEY, hex. The kind is part of
 * the message, so a phone's index never equals an email's. Callers pass the normalised value
 * (normalizePhone, normalizeEmail): the index only finds what was written in the same form.
 */
export function blindIndex(kind: 'phone' | 'email', normalized: string, k: Keyring = keyring()): string {
  return createHmac('sha256', k.indexKey).update(`${kind}:${normalized}`, 'utf8').digest('hex');
}

/** The last four digits kept in clear for "尾号1234" searches and masked display (138****0003 keeps them anyway). */
export function phoneTail(phone: string): string {
  return phone.slice(-4);
}

/** E-mail addresses compare case-insensitively in practice (RFC 5321 allows otherwise; no provider does). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
