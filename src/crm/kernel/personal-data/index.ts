/** Personal data at rest: sealing, opening, blind indexes and the keyring (docs/deployment.md, "Personal data keys"). */
export { buildKeyring, DEV_KEY_ID, EXTRA_PERSONAL_FIELDS, installKeyring, keyring, parseDataKeys, parseExtraFields, parseIndexKey, type ExtraPersonalField, type Keyring, type KeyringSettings } from './keyring.ts';
export { blindIndex, isEnvelope, isSealed, normalizeEmail, open, openOrNull, phoneTail, reseal, seal, sealedKeyId, sealOrNull, type SealedField } from './seal.ts';
