import { createHash } from 'node:crypto';

/**
 * The keys personal data is sealed with (docs/deployment.md, "Personal data keys"): every AES-256
 * key by its id, the id new values are sealed with, and the HMAC key of the blind indexes.
 */
export interface Keyring {
  /** Key id → 32-byte AES-256 key. */
  keys: ReadonlyMap<string, Buffer>;
  /** The id new values are sealed with (DATA_KEY_ID); always in `keys`. */
  currentId: string;
  /** The HMAC-SHA256 key of the blind indexes (DATA_INDEX_KEY). */
  indexKey: Buffer;
  /** True for the fixed development key (no DATA_KEYS configured). */
  development: boolean;
  /** Members' fields sealed beside phone and e-mail (PERSONAL_DATA_FIELDS). */
  extraFields: ReadonlySet<ExtraPersonalField>;
}

/**
 * Fields a chain may choose to seal beside phone and e-mail (PERSONAL_DATA_FIELDS): free text and
 * addresses can hold as much personal data as a phone. They are read whether sealed or not, so
 * switching one on or off takes effect for new writes at once and for stored rows with
 * `npm run crm -- rotate-keys`. Never searched by content, so they need no blind index.
 */
export const EXTRA_PERSONAL_FIELDS = ['remarks', 'addresses'] as const;
export type ExtraPersonalField = (typeof EXTRA_PERSONAL_FIELDS)[number];

/** `remarks,addresses` → the set; throws naming an unknown field. */
export function parseExtraFields(spec: string | undefined): Set<ExtraPersonalField> {
  const out = new Set<ExtraPersonalField>();
  for (const f of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(EXTRA_PERSONAL_FIELDS as readonly string[]).includes(f)) throw new Error(`unknown field "${f}": the fields that can be sealed are ${EXTRA_PERSONAL_FIELDS.join(', ')}`);
    out.add(f as ExtraPersonalField);
  }
  return out;
}

/** What the environment gives (src/config.ts validates the shapes). */
export interface KeyringSettings {
  DATA_KEYS?: string;
  DATA_KEY_ID?: string;
  DATA_INDEX_KEY?: string;
  PERSONAL_DATA_FIELDS?: string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

/** `kid:base64key,kid2:base64key` → key id → 32-byte key; throws naming the bad entry. */
export function parseDataKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = part.indexOf(':');
    const id = at < 0 ? '' : part.slice(0, at);
    if (!KEY_ID.test(id)) throw new Error(`entry "${id || part.slice(0, 8)}…" must be <id>:<base64 key>, the id 1-16 letters, digits, _ or -`);
    const key = Buffer.from(part.slice(at + 1), 'base64');
    if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes in base64 (openssl rand -base64 32), got ${key.length}`);
    if (keys.has(id)) throw new Error(`key id "${id}" is listed twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('no key given');
  return keys;
}

/** DATA_INDEX_KEY: at least 32 bytes in base64 (HMAC-SHA256 gains nothing past its block size, loses below 32). */
export function parseIndexKey(spec: string): Buffer {
  const key = Buffer.from(spec, 'base64');
  if (key.length < 32) throw new Error(`must be at least 32 bytes in base64 (openssl rand -base64 32), got ${key.length}`);
  return key;
}

// Derived from a published string on purpose: anyone can open development data, which is the point —
// it is never a secret, and production refuses to start without real keys (src/config.ts).
const DEV_SEED = 'wecom-crm-bot development personal-data key (not a secret)';
export const DEV_KEY_ID = 'dev';

/** The keyring of the settings; without DATA_KEYS the fixed development keyring (config refuses that in production). */
export function buildKeyring(s: KeyringSettings): Keyring {
  if (!s.DATA_KEYS) {
    return {
      keys: new Map([[DEV_KEY_ID, createHash('sha256').update(`${DEV_SEED}/aes`).digest()]]),
      currentId: DEV_KEY_ID,
      indexKey: createHash('sha256').update(`${DEV_SEED}/index`).digest(),
      development: true,
      extraFields: parseExtraFields(s.PERSONAL_DATA_FIELDS),
    };
  }
  const keys = parseDataKeys(s.DATA_KEYS);
  const currentId = s.DATA_KEY_ID ?? (keys.size === 1 ? [...keys.keys()][0]! : '');
  if (!keys.has(currentId)) throw new Error(`DATA_KEY_ID "${currentId}" is not one of the ids in DATA_KEYS (${[...keys.keys()].join(', ')})`);
  if (!s.DATA_INDEX_KEY) throw new Error('DATA_INDEX_KEY is required with DATA_KEYS');
  return { keys, currentId, indexKey: parseIndexKey(s.DATA_INDEX_KEY), development: false, extraFields: parseExtraFields(s.PERSONAL_DATA_FIELDS) };
}

// One process-wide keyring, installed once at start from the configuration (createServices, the
// CLI). Exact-lookup functions such as the order writer's member lookup take only a connection,
// and the keys are configuration like the database URL, so they are not threaded through every call.
let installed: Keyring | undefined;

export function installKeyring(k: Keyring): void {
  installed = k;
}

/**
 * The installed keyring. Without one (a script that never loaded the configuration) the
 * environment's, so a migration run from any entry point seals with the configured keys — and
 * never silently with the development key in production.
 */
export function keyring(): Keyring {
  if (installed) return installed;
  const env = process.env;
  if (!env.DATA_KEYS && env.NODE_ENV === 'production') throw new Error('DATA_KEYS, DATA_KEY_ID and DATA_INDEX_KEY are required in production (docs/configuration.md)');
  installed = buildKeyring({ DATA_KEYS: env.DATA_KEYS || undefined, DATA_KEY_ID: env.DATA_KEY_ID || undefined, DATA_INDEX_KEY: env.DATA_INDEX_KEY || undefined, PERSONAL_DATA_FIELDS: env.PERSONAL_DATA_FIELDS || undefined });
  return installed;
}
