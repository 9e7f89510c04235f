import { emailColumns, openEmail, openPhone, phoneColumns, phoneHash } from '../../src/crm/customers/index.ts';
import { buildKeyring } from '../../src/crm/kernel/index.ts';

/**
 * Members' phones are stored sealed (src/crm/customers/sealed.ts): tests that write or read
 * members' rows directly go through these, never a raw `phone` column (there is none).
 */

/** Prisma `member.create` data for a phone: { phoneEnc, phoneHash, phoneTail }. */
export function sealedPhone(phone: string): { phoneEnc: string; phoneHash: string; phoneTail: string } {
  const p = phoneColumns(phone);
  return { phoneEnc: p.phone_enc, phoneHash: p.phone_hash, phoneTail: p.phone_tail };
}

/** The three column values for a raw INSERT listing `PHONE_COLUMNS`. */
export function sealedPhoneValues(phone: string): [string, string, string] {
  const p = phoneColumns(phone);
  return [p.phone_enc, p.phone_hash, p.phone_tail];
}

export const PHONE_COLUMNS = 'phone_enc, phone_hash, phone_tail';

/** A Prisma `where` finding a member by phone. */
export const wherePhone = (phone: string) => ({ phoneHash: phoneHash(phone) });

/** SQL condition + parameter finding a member by phone (alias-free). */
export const phoneIs = (phone: string): [string, string] => ['phone_hash = ?', phoneHash(phone)];

export { emailColumns, openEmail, openPhone, phoneHash };

/**
 * Production settings for the development keys: a test that loads a production configuration
 * over a database the development keyring sealed (loadConfig installs the process's keyring)
 * keeps reading its members.
 */
export function developmentKeysAsProduction(): { DATA_KEYS: string; DATA_KEY_ID: string; DATA_INDEX_KEY: string } {
  const dev = buildKeyring({});
  return { DATA_KEYS: `${dev.currentId}:${dev.keys.get(dev.currentId)!.toString('base64')}`, DATA_KEY_ID: dev.currentId, DATA_INDEX_KEY: dev.indexKey.toString('base64') };
}
